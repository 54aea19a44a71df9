"""Internal quality assurance services (issue 6): policies (0 to 100 %), plans drawn deterministically for a
seed and redrawn keeping signed samples, compliance per coach x kind x stage, and signed decisions that
lock the item (feedback required to disagree; never on one's own assessment)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from carelead.apprenticeships import iqa_selectors, iqa_services
from carelead.apprenticeships.models import (
    EvidenceEvent, EvidenceKind, EvidenceStatus, PlannedSample, PortfolioEvidence, SampleDecision, SamplingPlan,
    SamplingPolicy, SamplingStage,
)
from carelead.apprenticeships.tests.factories import coach_of, provider_org
from carelead.apprenticeships.tests.factories_iqa import assessed, iqa_of, policy_of, provider_with_coach
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import AuditEvent
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
RA = EvidenceKind.REFLECTIVE_ACCOUNT
SPRING = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def setting(reference_data):
    """A provider with an IQA and one apprenticeship (its coach a member), and an everything-at-50% policy."""
    provider = provider_org()
    iqa = iqa_of(provider)
    apprenticeship = provider_with_coach(provider)
    policy = policy_of(provider, created_by=iqa.user, default_percent=50)
    return provider, Actor(iqa.user), apprenticeship, policy


def rates(**given):
    """{(kind, stage): percent} for the policy services, every kind and stage blank unless given."""
    out = {(kind, stage): None for kind in EvidenceKind.values for stage in SamplingStage.values}
    out.update({tuple(key.rsplit("__", 1)): value for key, value in given.items()})
    return out


# --- Policies -----------------------------------------------------------------------------------


def test_someone_without_the_iqa_role_at_the_provider_cannot_write_a_policy(setting):
    provider, _, apprenticeship, _ = setting
    for outsider in (Actor(iqa_of().user), Actor(apprenticeship.coach)):
        with pytest.raises(NotAllowed):
            iqa_services.create_policy(actor=outsider, provider=provider, name="Mine", default_percent=10, rates={})
    assert SamplingPolicy.objects.filter(provider=provider).count() == 1


@pytest.mark.parametrize("percent", [Decimal("-0.01"), Decimal("100.01"), -1, 101])
def test_a_percentage_outside_0_to_100_is_refused_beside_its_field(setting, percent):
    provider, actor, _, _ = setting
    with pytest.raises(ValidationError) as refused:
        iqa_services.create_policy(actor=actor, provider=provider, name="", default_percent=percent,
                                   rates=rates(file__interim=percent))
    assert refused.value.message_dict == {"name": [iqa_services.NAME_MESSAGE],
                                          "default_percent": [iqa_services.PERCENT_MESSAGE],
                                          "rate_file_interim": [iqa_services.PERCENT_MESSAGE]}
    assert SamplingPolicy.objects.filter(provider=provider).count() == 1


@pytest.mark.parametrize("percent", [0, 100, Decimal("12.5")])
def test_a_policy_takes_0_to_100_per_kind_and_stage_and_is_audited(setting, percent):
    provider, actor, _, _ = setting
    policy = iqa_services.create_policy(actor=actor, provider=provider, name=" New assessors ", default_percent=25,
                                        rates=rates(file__interim=percent, observation__summative=100))
    assert policy.name == "New assessors"
    assert {(rate.kind, rate.stage): rate.percent for rate in policy.rates.all()} == {
        ("file", "interim"): percent, ("observation", "summative"): 100}
    assert AuditEvent.objects.filter(actor=actor.user, action="create",
                                     subject__endswith=str(policy.public_id)).exists()
    iqa_services.edit_policy(actor=actor, policy=policy, name="Renamed", default_percent=10, active=False,
                             rates=rates(file__summative=5))
    policy.refresh_from_db()
    assert (policy.name, policy.active, policy.default_percent) == ("Renamed", False, 10)
    assert [(rate.kind, rate.stage, rate.percent) for rate in policy.rates.all()] == [("file", "summative", 5)]


# --- Plans --------------------------------------------------------------------------------------


def test_a_plan_samples_the_providers_assessed_evidence_in_the_period_only(setting):
    provider, actor, apprenticeship, policy = setting
    inside = [assessed(apprenticeship, on=date(2026, 3, day)) for day in (1, 15, 31)]
    assessed(apprenticeship, on=date(2026, 4, 1))  # after the period
    assessed(provider_with_coach(), on=date(2026, 3, 5))  # another provider's
    draft = assessed(apprenticeship, on=date(2026, 3, 5))
    draft.status = EvidenceStatus.SUBMITTED
    draft.save()
    policy_all = policy_of(provider, created_by=actor.user, default_percent=100, name="All")
    plan = iqa_services.generate_plan(actor=actor, policy=policy_all, period_from=SPRING[0], period_to=SPRING[1])
    assert set(PlannedSample.objects.filter(plan=plan).values_list("evidence_id", flat=True)) == {
        item.pk for item in inside}
    assert AuditEvent.objects.filter(action="create", subject__endswith=str(plan.public_id)).exists()


def test_the_same_seed_draws_the_same_plan(setting):
    provider, actor, apprenticeship, policy = setting
    for day in range(1, 21):
        assessed(apprenticeship, on=date(2026, 3, day))
    first = iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1],
                                       seed="2026-Q1")
    second = iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1],
                                        seed="2026-Q1")

    def drawn(plan):
        return sorted(PlannedSample.objects.filter(plan=plan).values_list("evidence_id", flat=True))

    assert len(drawn(first)) == 10 and drawn(first) == drawn(second)
    other_seeds = {tuple(drawn(iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0],
                                                          period_to=SPRING[1], seed=str(n)))) for n in range(4)}
    assert len(other_seeds) > 1


def test_interim_and_summative_follow_the_gateway_date(setting):
    provider, actor, apprenticeship, _ = setting
    apprenticeship.gateway_date = date(2026, 3, 16)
    apprenticeship.save()
    before, on = assessed(apprenticeship, on=date(2026, 3, 15)), assessed(apprenticeship, on=date(2026, 3, 16))
    policy = policy_of(provider, created_by=actor.user, default_percent=100, name="All")
    plan = iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1])
    assert dict(PlannedSample.objects.filter(plan=plan).values_list("evidence_id", "stage")) == {
        before.pk: SamplingStage.INTERIM, on.pk: SamplingStage.SUMMATIVE}


def test_a_plan_needs_an_ordered_period_an_active_policy_and_the_providers_iqa(setting):
    provider, actor, apprenticeship, policy = setting
    with pytest.raises(ValidationError) as refused:
        iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[1], period_to=SPRING[0])
    assert refused.value.message_dict == {"period_to": [iqa_services.PERIOD_ORDER_MESSAGE]}
    with pytest.raises(NotAllowed):
        iqa_services.generate_plan(actor=Actor(iqa_of().user), policy=policy, period_from=SPRING[0],
                                   period_to=SPRING[1])
    policy.active = False
    policy.save()
    with pytest.raises(ValidationError, match="not in use"):
        iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1])
    assert not SamplingPlan.objects.exists()


def test_redrawing_keeps_signed_samples_and_replaces_the_rest(setting):
    provider, actor, apprenticeship, policy = setting
    for day in range(1, 11):
        assessed(apprenticeship, on=date(2026, 3, day))
    plan = iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1], seed="a")
    signed = PlannedSample.objects.filter(plan=plan).select_related("evidence").first()
    iqa_services.record_decision(actor=actor, evidence=signed.evidence, verdict="agree")
    seeds = {}
    for seed in ("b", "c", "d", "e"):
        iqa_services.regenerate_plan(actor=actor, plan=plan, seed=seed)
        seeds[seed] = set(PlannedSample.objects.filter(plan=plan).values_list("evidence_id", flat=True))
        assert signed.evidence_id in seeds[seed]
        assert PlannedSample.objects.filter(pk=signed.pk, decision__isnull=False).exists()
        assert len(seeds[seed]) in (5, 6)  # 50% of 10, plus the signed one when the draw missed it
    assert len({frozenset(each) for each in seeds.values()}) > 1
    plan.refresh_from_db()
    assert plan.seed == "e"


# --- Compliance ---------------------------------------------------------------------------------


def test_compliance_reports_required_planned_and_signed_in_words(setting):
    provider, actor, apprenticeship, _ = setting
    other = provider_with_coach(provider)
    for day in range(1, 5):
        assessed(apprenticeship, on=date(2026, 3, day))
    assessed(other, on=date(2026, 3, 2), kind=EvidenceKind.OBSERVATION)
    policy = policy_of(provider, created_by=actor.user, default_percent=50,
                       rates=[(EvidenceKind.OBSERVATION, SamplingStage.INTERIM, 100)])
    plan = iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1])
    report = {(line.coach, line.kind, line.stage): line for line in iqa_selectors.compliance_report(plan)}
    line = report[(apprenticeship.coach.full_name, "Reflective account", "Interim")]
    assert (line.assessed, line.required, line.planned, line.signed, line.result, line.signed_result) == (
        4, 2, 2, 0, "Compliant", "Not compliant")
    assert report[(other.coach.full_name, "Observation of practice", "Interim")].required == 1
    # A sample taken out of the plan (by hand, say) makes it short
    PlannedSample.objects.filter(plan=plan, coach=apprenticeship.coach).first().delete()
    line = next(each for each in iqa_selectors.compliance_report(plan) if each.coach == apprenticeship.coach.full_name)
    assert (line.planned, line.result) == (1, "Not compliant")


# --- Decisions ----------------------------------------------------------------------------------


@pytest.fixture
def sampled(setting):
    provider, actor, apprenticeship, policy = setting
    item = assessed(apprenticeship, on=date(2026, 3, 3))
    policy.default_percent = 100
    policy.save()
    iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1])
    return actor, item


def test_disagreeing_needs_feedback_for_the_coach(sampled):
    actor, item = sampled
    for feedback in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            iqa_services.record_decision(actor=actor, evidence=item, verdict="disagree", feedback=feedback)
        assert refused.value.message_dict == {"feedback": [iqa_services.FEEDBACK_MESSAGE]}
    with pytest.raises(ValidationError):
        iqa_services.record_decision(actor=actor, evidence=item, verdict="maybe")
    assert not SampleDecision.objects.exists() and not EvidenceEvent.objects.filter(evidence=item).exists()


def test_a_signed_decision_locks_the_item_and_is_an_event_and_an_audit_row(sampled):
    actor, item = sampled
    assert not iqa_selectors.is_iqa_locked(item)
    decision = iqa_services.record_decision(actor=actor, evidence=item, verdict="disagree",
                                            feedback="The reflection does not show K3: ask for an example.")
    assert decision.locks_evidence and decision.signed_at and decision.iqa == actor.user
    assert decision.sample.evidence_id == item.pk
    assert iqa_selectors.is_iqa_locked(item)
    event = EvidenceEvent.objects.get(evidence=item)
    assert (event.event, event.changed_by, event.comment) == (
        iqa_services.EVENT_DISAGREED, actor.user, "The reflection does not show K3: ask for an example.")
    assert AuditEvent.objects.filter(action="create", subject__endswith=str(decision.public_id)).exists()
    with pytest.raises(ValidationError, match="not waiting for a decision"):  # signed once, never again
        iqa_services.record_decision(actor=actor, evidence=item, verdict="agree")


def test_only_an_iqa_of_the_provider_releases_the_lock_with_a_reason(sampled):
    actor, item = sampled
    decision = iqa_services.record_decision(actor=actor, evidence=item, verdict="agree")
    for outsider in (Actor(iqa_of().user), Actor(item.apprenticeship.coach)):
        with pytest.raises(NotAllowed):
            iqa_services.release_iqa_lock(actor=outsider, decision=decision, reason="Reassess")
    with pytest.raises(ValidationError):
        iqa_services.release_iqa_lock(actor=actor, decision=decision, reason=" ")
    assert iqa_selectors.is_iqa_locked(item)
    iqa_services.release_iqa_lock(actor=actor, decision=decision, reason="The coach is to reassess after feedback")
    assert not iqa_selectors.is_iqa_locked(item)
    assert EvidenceEvent.objects.filter(evidence=item, event=iqa_services.EVENT_RELEASED).count() == 1
    with pytest.raises(ValidationError):
        iqa_services.release_iqa_lock(actor=actor, decision=decision, reason="Again")


def test_a_signed_decision_stops_the_coach_unlocking_and_the_apprentice_changing_the_item(sampled, client, sign_in):
    from carelead.apprenticeships import evidence_services
    from django.urls import reverse

    actor, item = sampled  # accepted, so locked, and the coach could unlock it before the IQA signed
    coach = Actor(item.apprenticeship.coach)
    decision = iqa_services.record_decision(actor=actor, evidence=item, verdict="agree")
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="internal quality assurer"):
        evidence_services.unlock_evidence(actor=coach, evidence=item, seen_version=item.version, reason="Reassess")
    sign_in(item.apprenticeship.coach)
    page = client.get(reverse("apprenticeships:evidence-detail", args=[item.public_id])).content.decode()
    assert iqa_selectors.IQA_LOCKED_MESSAGE in page and "Unlock this evidence" not in page
    iqa_services.release_iqa_lock(actor=actor, decision=decision, reason="The coach is to reassess after feedback")
    evidence_services.unlock_evidence(actor=coach, evidence=item, seen_version=item.version, reason="Reassess")
    item.refresh_from_db()
    assert item.locked_at is None


def test_a_disagreement_locks_an_item_needing_more_work_from_the_apprentice_too(setting):
    from carelead.apprenticeships import evidence_services

    provider, actor, apprenticeship, policy = setting
    item = assessed(apprenticeship, on=date(2026, 3, 3), status="needs_more_work")
    policy.default_percent = 100
    policy.save()
    iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1])
    iqa_services.record_decision(actor=actor, evidence=item, verdict="disagree", feedback="Feedback was too thin.")
    with pytest.raises(ValidationError, match="internal quality assurer"):
        evidence_services.edit_evidence(actor=Actor(apprenticeship.apprentice), evidence=item,
                                        seen_version=item.version, title="A new title")


def test_an_iqa_never_decides_on_their_own_assessment_or_on_an_unsampled_item(setting):
    provider, actor, apprenticeship, policy = setting
    coach_iqa = coach_of(provider)  # a coach who is also an IQA there
    MembershipFactory(user=coach_iqa.user, organisation=provider, role="iqa", all_locations=True)
    own = assessed(apprenticeship, on=date(2026, 3, 3), by=coach_iqa.user)
    unsampled = assessed(apprenticeship, on=date(2026, 5, 3))
    policy.default_percent = 100
    policy.save()
    iqa_services.generate_plan(actor=actor, policy=policy, period_from=SPRING[0], period_to=SPRING[1])
    with pytest.raises(ValidationError, match="assessed this evidence yourself"):
        iqa_services.record_decision(actor=Actor(coach_iqa.user), evidence=own, verdict="agree")
    with pytest.raises(ValidationError, match="not waiting"):
        iqa_services.record_decision(actor=actor, evidence=unsampled, verdict="agree")
    with pytest.raises(NotAllowed):
        iqa_services.record_decision(actor=Actor(iqa_of().user), evidence=own, verdict="agree")
    assert not SampleDecision.objects.exists()


def test_sampled_item_for_reaches_only_the_iqas_providers_sampled_items(sampled):
    actor, item = sampled
    assert iqa_selectors.sampled_item_for(actor.user, item.public_id) == item
    unsampled = assessed(item.apprenticeship, on=date(2026, 6, 1))
    for user, evidence in ((iqa_of().user, item), (actor.user, unsampled), (item.apprenticeship.coach, item)):
        with pytest.raises(Http404):
            iqa_selectors.sampled_item_for(user, evidence.public_id)


def test_the_coach_sees_decisions_on_their_own_assessments_only(sampled):
    actor, item = sampled
    decision = iqa_services.record_decision(actor=actor, evidence=item, verdict="agree")
    assert list(iqa_selectors.feedback_for_coach(item.apprenticeship.coach)) == [decision]
    assert not iqa_selectors.feedback_for_coach(coach_of(item.apprenticeship.provider).user).exists()
    assert not iqa_selectors.feedback_for_coach(actor.user).exists()
    item.assessed_by, item.status = None, EvidenceStatus.SUBMITTED  # unlocked by the coach after a release
    item.save()
    assert list(iqa_selectors.feedback_for_coach(item.apprenticeship.coach)) == [decision]


def test_a_decision_reads_the_item_as_it_is_now_and_moves_its_version_on(sampled):
    """The coach may have unlocked the item since the IQA's page loaded it: the decision reads the item
    afresh (and holds it), and signing moves its version on, so a coach's unlock or edit begun
    before the decision is refused as stale instead of silently undoing the lock."""
    actor, item = sampled
    stale = PortfolioEvidence.objects.get(pk=item.pk)
    PortfolioEvidence.objects.filter(pk=item.pk).update(status=EvidenceStatus.SUBMITTED, locked_at=None)
    with pytest.raises(ValidationError, match="Only evidence the coach has assessed"):
        iqa_services.record_decision(actor=actor, evidence=stale, verdict="agree")
    PortfolioEvidence.objects.filter(pk=item.pk).update(status=EvidenceStatus.ACCEPTED)
    before = PortfolioEvidence.objects.get(pk=item.pk).version
    iqa_services.record_decision(actor=actor, evidence=stale, verdict="agree")
    assert PortfolioEvidence.objects.get(pk=item.pk).version == before + 1 == stale.version
