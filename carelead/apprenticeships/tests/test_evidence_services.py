"""Portfolio evidence written through evidence_services: who writes which kind, two-stage mapping,
submitting, the coach's assessment, the lock and unlocking with a reason, stale versions refused,
and an event and an audit row for every write."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carelead.apprenticeships import evidence_services as services
from carelead.apprenticeships.models import (
    ApprenticeshipStatus, EvidenceEvent, EvidenceKind, EvidenceMapping, EvidenceStatus, Ksb, MappingStage,
    PortfolioEvidence, Qualification, QualificationUnit, ReflectionModel,
)
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_otj import PDF, PNG, media, upload  # noqa: F401
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory, ksbs_of, mapped, units_of
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)
GIBBS = {key: f"My {key}" for key in services.GIBBS_KEYS}


def as_(user) -> Actor:
    return Actor(user=user)


def new_reflection(apprenticeship, **changes):
    fields = {"kind": EvidenceKind.REFLECTIVE_ACCOUNT, "title": "Leading a handover", "occurred_on": date(2026, 3, 2),
              "body": "What happened and what I learned", "ksbs": ksbs_of(apprenticeship, 2), "today": TODAY,
              **changes}
    return services.create_evidence(actor=as_(apprenticeship.apprentice), apprenticeship=apprenticeship, **fields)


def submitted(apprenticeship=None, **fields):
    evidence = PortfolioEvidenceFactory(status=EvidenceStatus.SUBMITTED, **(
        {"apprenticeship": apprenticeship} if apprenticeship else {}), **fields)
    return mapped(evidence, *ksbs_of(evidence.apprenticeship, 1))


def accepted(evidence):
    return services.assess_evidence(actor=as_(evidence.apprenticeship.coach), evidence=evidence,
                                    seen_version=evidence.version, decision=services.ACCEPT)


# --- Creating ---


def test_the_apprentice_writes_a_reflective_account_as_a_draft_with_claims(reference_data):
    apprenticeship = ApprenticeshipFactory()
    units = units_of(apprenticeship, 1)
    evidence = new_reflection(apprenticeship, units=units)
    assert (evidence.status, evidence.created_by, evidence.version) == (EvidenceStatus.DRAFT,
                                                                        apprenticeship.apprentice, 1)
    stages = set(evidence.mappings.values_list("stage", flat=True))
    assert evidence.mappings.count() == 3 and stages == {MappingStage.CLAIMED}
    event = EvidenceEvent.objects.get()
    assert (event.number, event.event, event.changed_by) == (1, "created", apprenticeship.apprentice)
    assert sorted(event.snapshot["mappings"]) == sorted([k.code for k in ksbs_of(apprenticeship, 2)]
                                                        + [f"Unit {units[0].position}"])
    audit = AuditEvent.objects.get(action="create")
    assert audit.details["kind"] == "reflective_account"


def test_a_gibbs_reflection_keeps_six_stages_and_no_free_text(reference_data):
    apprenticeship = ApprenticeshipFactory()
    evidence = new_reflection(apprenticeship, reflection_model=ReflectionModel.GIBBS,
                              reflection={**GIBBS, "action_plan": "  ", "extra": "dropped"})
    assert evidence.reflection_model == "gibbs" and evidence.body == ""
    assert evidence.reflection == {**GIBBS, "action_plan": ""}
    with pytest.raises(ValidationError) as error:
        new_reflection(apprenticeship, reflection_model=ReflectionModel.GIBBS, reflection={})
    assert error.value.message_dict == {"reflection": [services.GIBBS_EMPTY_MESSAGE]}


def test_a_file_is_checked_and_stored_through_the_file_field(reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    evidence = new_reflection(apprenticeship, kind=EvidenceKind.FILE, body="", file=upload("care plan.pdf"))
    assert evidence.file.name.startswith(f"portfolio/{evidence.public_id}/")
    assert (media / evidence.file.name).read_bytes() == PDF and evidence.file_name == "care plan.pdf"
    with pytest.raises(ValidationError) as error:
        new_reflection(apprenticeship, kind=EvidenceKind.FILE, file=upload("fake.pdf", PNG))
    assert "not a real PDF" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as error:
        new_reflection(apprenticeship, kind=EvidenceKind.FILE)
    assert error.value.message_dict["file"] == [services.FILE_MESSAGE]
    assert PortfolioEvidence.objects.count() == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": " "}, "title", services.TITLE_MESSAGE),
    ({"occurred_on": date(2026, 3, 11)}, "occurred_on", services.DATE_FUTURE_MESSAGE),
    ({"body": ""}, "body", services.BODY_MESSAGE),
    ({"kind": "witness_testimony"}, "kind", services.ELSEWHERE_MESSAGE),
    ({"kind": "poem"}, "kind", services.KIND_MESSAGE),
])
def test_bad_content_is_refused_naming_the_field(reference_data, changes, field, message):
    with pytest.raises(ValidationError) as error:
        new_reflection(ApprenticeshipFactory(), **changes)
    assert error.value.message_dict[field] == [message]
    assert not PortfolioEvidence.objects.exists() and not EvidenceEvent.objects.exists()


def test_only_ksbs_of_the_standard_version_not_retired_and_units_of_the_diploma(reference_data):
    apprenticeship = ApprenticeshipFactory()
    other_version = Ksb.objects.exclude(version=apprenticeship.standard_version).first()
    retired = ksbs_of(apprenticeship, 1)[0]
    Ksb.objects.filter(pk=retired.pk).update(retired=True)
    retired.refresh_from_db()
    other = Qualification.objects.create(title="Another Diploma", awarding_organisation="X",
                                         specification_number="000/0000/0", level=4)
    other_unit = QualificationUnit.objects.create(qualification=other, title="Elsewhere", mandatory=True, position=1)
    for bad in ({"ksbs": [other_version]}, {"ksbs": [retired]}):
        with pytest.raises(ValidationError) as error:
            new_reflection(apprenticeship, **bad)
        assert error.value.message_dict["ksbs"] == [services.KSB_MESSAGE]
    with pytest.raises(ValidationError) as error:
        new_reflection(apprenticeship, units=[other_unit])
    assert error.value.message_dict["units"] == [services.UNIT_MESSAGE]
    assert not PortfolioEvidence.objects.exists()


def test_the_coach_writes_an_observation_already_waiting_for_assessment(reference_data):
    apprenticeship = ApprenticeshipFactory()
    evidence = services.create_evidence(
        actor=as_(apprenticeship.coach), apprenticeship=apprenticeship, kind=EvidenceKind.OBSERVATION,
        title="Observed a team meeting", occurred_on=date(2026, 3, 2), body="Led it well",
        ksbs=ksbs_of(apprenticeship, 1), today=TODAY)
    assert evidence.status == EvidenceStatus.SUBMITTED and evidence.submitted_at is not None
    assert evidence.mappings.get().stage == MappingStage.ADDED_BY_COACH
    accepted(evidence)
    assert PortfolioEvidence.objects.get().is_locked


@pytest.mark.parametrize("kind", [EvidenceKind.OBSERVATION, EvidenceKind.PROFESSIONAL_DISCUSSION])
def test_the_apprentice_cannot_write_a_coach_kind(reference_data, kind):
    apprenticeship = ApprenticeshipFactory()
    with pytest.raises(PermissionDenied):
        new_reflection(apprenticeship, kind=kind)
    assert not PortfolioEvidence.objects.exists()


def test_the_coach_cannot_write_the_apprentices_kinds_and_others_write_nothing(reference_data):
    apprenticeship = ApprenticeshipFactory()
    for who in (apprenticeship.coach, employer_contact_of(apprenticeship).user, ApprenticeshipFactory().coach):
        with pytest.raises(PermissionDenied):
            services.create_evidence(actor=as_(who), apprenticeship=apprenticeship,
                                     kind=EvidenceKind.REFLECTIVE_ACCOUNT, title="x", occurred_on=date(2026, 3, 2),
                                     body="x", today=TODAY)
    assert not PortfolioEvidence.objects.exists() and not AuditEvent.objects.exists()


def test_a_closed_apprenticeship_takes_no_evidence(reference_data):
    apprenticeship = ApprenticeshipFactory(status=ApprenticeshipStatus.WITHDRAWN)
    with pytest.raises(ValidationError, match="locked"):
        new_reflection(apprenticeship)


# --- Editing and submitting ---


def test_the_apprentice_edits_a_draft_and_their_claims_replace_only_their_own(reference_data):
    evidence = PortfolioEvidenceFactory()
    apprenticeship = evidence.apprenticeship
    first, second, third = ksbs_of(apprenticeship, 3)
    mapped(evidence, first)
    mapped(evidence, second, stage=MappingStage.ADDED_BY_COACH, by=apprenticeship.coach)
    services.edit_evidence(actor=as_(apprenticeship.apprentice), evidence=evidence, seen_version=1,
                           title="Better title", body="More", ksbs=[third], today=TODAY)
    evidence.refresh_from_db()
    assert (evidence.title, evidence.body, evidence.version) == ("Better title", "More", 2)
    assert set(evidence.mappings.values_list("ksb", "stage")) == {
        (second.pk, MappingStage.ADDED_BY_COACH), (third.pk, MappingStage.CLAIMED)}
    assert EvidenceEvent.objects.get().event == "edited"
    assert AuditEvent.objects.get(action="update").details["fields"][0] == "title"


def test_a_stale_edit_is_refused_and_nothing_changes(reference_data):
    evidence = PortfolioEvidenceFactory()
    with pytest.raises(StaleEdit) as stale:
        services.edit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=2, title="New",
                               today=TODAY)
    assert stale.value.message == services.STALE_MESSAGE
    evidence.refresh_from_db()
    assert evidence.title != "New" and not EvidenceEvent.objects.exists()


def test_a_concurrent_save_since_loading_is_refused(reference_data):
    evidence = PortfolioEvidenceFactory()
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(version=2)  # someone saved after we loaded it
    with pytest.raises(StaleEdit):
        services.edit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=1, title="New",
                               today=TODAY)
    assert PortfolioEvidence.objects.get().title != "New"


@pytest.mark.parametrize("status", [EvidenceStatus.SUBMITTED])
def test_the_apprentice_cannot_change_evidence_waiting_for_the_coach(reference_data, status):
    evidence = PortfolioEvidenceFactory(status=status)
    with pytest.raises(ValidationError, match="waiting for the coach"):
        services.edit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=1, title="x",
                               today=TODAY)


def test_the_apprentice_cannot_change_a_coach_kind_nor_the_coach_another_coachs_notes(reference_data):
    evidence = submitted(kind=EvidenceKind.OBSERVATION)
    evidence.created_by = evidence.apprenticeship.coach
    evidence.save()
    with pytest.raises(PermissionDenied):
        services.edit_evidence(actor=as_(evidence.apprenticeship.apprentice), evidence=evidence, seen_version=1,
                               title="x", today=TODAY)
    services.edit_evidence(actor=as_(evidence.apprenticeship.coach), evidence=evidence, seen_version=1,
                           title="Observed again", ksbs=ksbs_of(evidence.apprenticeship, 2), today=TODAY)
    assert PortfolioEvidence.objects.get().title == "Observed again"


def test_the_employer_contact_cannot_edit_or_submit(reference_data):
    evidence = PortfolioEvidenceFactory()
    contact = employer_contact_of(evidence.apprenticeship).user
    with pytest.raises(PermissionDenied):
        services.edit_evidence(actor=as_(contact), evidence=evidence, seen_version=1, title="x", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.submit_evidence(actor=as_(contact), evidence=evidence, seen_version=1)
    assert PortfolioEvidence.objects.get().status == EvidenceStatus.DRAFT


def test_submitting_needs_a_mapping_then_sends_it_to_the_coach(reference_data):
    evidence = PortfolioEvidenceFactory()
    with pytest.raises(ValidationError) as error:
        services.submit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=1)
    assert error.value.messages == [services.NO_MAPPING_MESSAGE]
    mapped(evidence, *units_of(evidence.apprenticeship, 1))
    services.submit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=1)
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.SUBMITTED and evidence.submitted_at and evidence.version == 2
    assert EvidenceEvent.objects.get().event == "submitted"
    with pytest.raises(ValidationError, match="Only a draft"):
        services.submit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=2)


def test_a_gibbs_reflection_is_sent_only_with_all_six_stages(reference_data):
    evidence = PortfolioEvidenceFactory(reflection_model="gibbs", body="", reflection={**GIBBS, "analysis": ""})
    mapped(evidence, *ksbs_of(evidence.apprenticeship, 1))
    with pytest.raises(ValidationError) as error:
        services.submit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=1)
    assert error.value.messages == [services.GIBBS_STAGE_MESSAGE.format(stage="Analysis")]


# --- The coach's assessment ---


def test_needs_more_work_needs_feedback_then_the_apprentice_changes_and_resubmits(reference_data):
    evidence = submitted()
    coach = as_(evidence.apprenticeship.coach)
    with pytest.raises(ValidationError) as error:
        services.assess_evidence(actor=coach, evidence=evidence, seen_version=1, decision=services.NEEDS_MORE_WORK,
                                 feedback=" ")
    assert error.value.message_dict == {"feedback": [services.FEEDBACK_MESSAGE]}
    services.assess_evidence(actor=coach, evidence=evidence, seen_version=1, decision=services.NEEDS_MORE_WORK,
                             feedback="Say what you would do next time")
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.NEEDS_MORE_WORK and not evidence.is_locked
    assert EvidenceEvent.objects.get().comment == "Say what you would do next time"
    services.edit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=2, body="Next time...",
                           ksbs=ksbs_of(evidence.apprenticeship, 1), today=TODAY)
    services.submit_evidence(actor=as_(evidence.created_by), evidence=evidence, seen_version=3)
    assert PortfolioEvidence.objects.get().status == EvidenceStatus.SUBMITTED


def test_accepting_locks_and_nothing_changes_a_locked_item(reference_data):
    evidence = accepted(submitted())
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.ACCEPTED and evidence.locked_at and evidence.assessed_by
    apprentice, coach = as_(evidence.created_by), as_(evidence.apprenticeship.coach)
    version = evidence.version
    for attempt in (
        lambda: services.edit_evidence(actor=apprentice, evidence=evidence, seen_version=version, title="x"),
        lambda: services.submit_evidence(actor=apprentice, evidence=evidence, seen_version=version),
        lambda: services.assess_evidence(actor=coach, evidence=evidence, seen_version=version,
                                         decision=services.NEEDS_MORE_WORK, feedback="x"),
        lambda: services.add_mapping(actor=coach, evidence=evidence, seen_version=version,
                                     ksb=ksbs_of(evidence.apprenticeship, 3)[2]),
        lambda: services.remove_mapping(actor=coach, evidence=evidence, seen_version=version,
                                        mapping_id=evidence.mappings.get().pk),
    ):
        with pytest.raises(ValidationError):
            attempt()
    assert PortfolioEvidence.objects.get().version == version and EvidenceMapping.objects.count() == 1


def test_accepting_needs_a_mapping(reference_data):
    evidence = PortfolioEvidenceFactory(status=EvidenceStatus.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        accepted(evidence)
    assert error.value.message_dict == {"decision": [services.NO_MAPPING_MESSAGE]}


def test_only_evidence_waiting_is_assessed_and_only_by_its_coach(reference_data):
    draft = PortfolioEvidenceFactory()
    with pytest.raises(ValidationError, match="Only evidence waiting"):
        accepted(draft)
    evidence = submitted()
    for who in (evidence.created_by, ApprenticeshipFactory().coach, employer_contact_of(evidence.apprenticeship).user):
        with pytest.raises(PermissionDenied):
            services.assess_evidence(actor=as_(who), evidence=evidence, seen_version=1, decision=services.ACCEPT)
    with pytest.raises(ValidationError) as error:
        services.assess_evidence(actor=as_(evidence.apprenticeship.coach), evidence=evidence, seen_version=1,
                                 decision="maybe")
    assert error.value.message_dict == {"decision": [services.DECISION_MESSAGE]}
    with pytest.raises(StaleEdit):
        services.assess_evidence(actor=as_(evidence.apprenticeship.coach), evidence=evidence, seen_version=5,
                                 decision=services.ACCEPT)
    assert PortfolioEvidence.objects.get(pk=evidence.pk).status == EvidenceStatus.SUBMITTED


def test_the_coach_adds_and_removes_mappings_before_deciding(reference_data):
    evidence = submitted()
    coach = as_(evidence.apprenticeship.coach)
    claimed = evidence.mappings.get()
    extra, unit = ksbs_of(evidence.apprenticeship, 2)[1], units_of(evidence.apprenticeship, 1)[0]
    added = services.add_mapping(actor=coach, evidence=evidence, seen_version=1, ksb=extra)
    assert (added.stage, added.added_by, added.label) == (MappingStage.ADDED_BY_COACH, coach.user, extra.code)
    services.add_mapping(actor=coach, evidence=evidence, seen_version=2, unit=unit)
    with pytest.raises(ValidationError, match="already mapped"):
        services.add_mapping(actor=coach, evidence=evidence, seen_version=3, ksb=extra)
    with pytest.raises(ValidationError, match="one KSB or one"):
        services.add_mapping(actor=coach, evidence=evidence, seen_version=3, ksb=extra, unit=unit)
    services.remove_mapping(actor=coach, evidence=evidence, seen_version=3, mapping_id=claimed.pk)
    with pytest.raises(ValidationError, match="no longer"):
        services.remove_mapping(actor=coach, evidence=evidence, seen_version=4, mapping_id=claimed.pk)
    assert set(evidence.mappings.values_list("stage", flat=True)) == {MappingStage.ADDED_BY_COACH}
    events = list(EvidenceEvent.objects.order_by("number").values_list("event", "comment"))
    assert events == [("mapped", f"Added {extra.code}"), ("mapped", f"Added Unit {unit.position}"),
                      ("mapped", f"Removed {claimed.label}")]
    with pytest.raises(PermissionDenied):
        services.add_mapping(actor=as_(evidence.created_by), evidence=evidence, seen_version=4, ksb=extra)


# --- Unlocking ---


def test_unlocking_needs_a_reason_and_puts_it_back_waiting(reference_data):
    evidence = accepted(submitted())
    coach = as_(evidence.apprenticeship.coach)
    with pytest.raises(ValidationError) as error:
        services.unlock_evidence(actor=coach, evidence=evidence, seen_version=evidence.version, reason="  ")
    assert error.value.message_dict == {"reason": [services.REASON_MESSAGE]}
    assert PortfolioEvidence.objects.get().is_locked
    services.unlock_evidence(actor=coach, evidence=evidence, seen_version=evidence.version,
                             reason="Wrong KSB accepted")
    evidence.refresh_from_db()
    assert (evidence.status, evidence.locked_at, evidence.assessed_by) == (EvidenceStatus.SUBMITTED, None, None)
    event = EvidenceEvent.objects.order_by("number").last()
    assert (event.event, event.comment) == ("unlocked", "Wrong KSB accepted")
    assert AuditEvent.objects.filter(action="update", details__unlocked=True).exists()
    with pytest.raises(ValidationError, match="Only accepted"):
        services.unlock_evidence(actor=coach, evidence=evidence, seen_version=evidence.version, reason="again")


def test_only_the_coach_unlocks(reference_data):
    evidence = accepted(submitted())
    for who in (evidence.created_by, employer_contact_of(evidence.apprenticeship).user):
        with pytest.raises(PermissionDenied):
            services.unlock_evidence(actor=as_(who), evidence=evidence, seen_version=evidence.version, reason="x")
    assert PortfolioEvidence.objects.get().is_locked


def test_the_coachs_own_record_needing_more_work_waits_for_them_again_once_changed(reference_data):
    """An observation the coach marked as needing more work is theirs to change (the apprentice cannot
    send a coach's record): changing it puts it back in their queue, so it is never stuck."""
    apprenticeship = ApprenticeshipFactory()
    coach = as_(apprenticeship.coach)
    evidence = services.create_evidence(
        actor=coach, apprenticeship=apprenticeship, kind=EvidenceKind.OBSERVATION, title="Observed a meeting",
        occurred_on=date(2026, 3, 2), body="Led it well", ksbs=ksbs_of(apprenticeship, 1), today=TODAY)
    evidence = services.assess_evidence(actor=coach, evidence=evidence, seen_version=evidence.version,
                                        decision=services.NEEDS_MORE_WORK, feedback="Add what was decided")
    evidence = services.edit_evidence(actor=coach, evidence=evidence, seen_version=evidence.version,
                                      body="Led it well; agreed the new rota", ksbs=ksbs_of(apprenticeship, 1),
                                      today=TODAY)
    assert evidence.status == EvidenceStatus.SUBMITTED
    services.assess_evidence(actor=coach, evidence=evidence, seen_version=evidence.version,
                             decision=services.ACCEPT)
    assert PortfolioEvidence.objects.get().is_locked
