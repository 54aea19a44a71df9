"""Internal quality assurance pages (issue 6): per role (the provider's IQA 200; another provider's IQA,
a coach, an employer contact, the apprentice 404 or 403), the policy form's errors, drawing a plan,
filters, the compliance table in words, signing a decision and unlocking, the coach's feedback page,
and query counts that do not grow with the samples."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships import iqa_forms, iqa_services
from carelead.apprenticeships.models import EvidenceKind, SampleDecision, SamplingPlan, SamplingPolicy
from carelead.apprenticeships.tests.factories import employer_contact_of, provider_org
from carelead.apprenticeships.tests.factories_otj import PDF, media, upload  # noqa: F401 (media: a fixture)
from carelead.apprenticeships.tests.factories_iqa import assessed, iqa_of, provider_with_coach, sampled_world
from carelead.core.actor import Actor
from carelead.core.models import AuditEvent
from carelead.organisations.models import Membership

pytestmark = pytest.mark.django_db
SPRING = {"period_from_0": "1", "period_from_1": "3", "period_from_2": "2026",
          "period_to_0": "31", "period_to_1": "3", "period_to_2": "2026"}


@pytest.fixture
def world(reference_data):
    return sampled_world()


def iqa_urls(world):
    return [reverse("apprenticeships:iqa-policy-edit", args=[world["policy"].public_id]),
            reverse("apprenticeships:iqa-plan-new", args=[world["policy"].public_id]),
            reverse("apprenticeships:iqa-plan", args=[world["plan"].public_id]),
            reverse("apprenticeships:iqa-plan-compliance", args=[world["plan"].public_id]),
            reverse("apprenticeships:iqa-sample", args=[world["item"].public_id])]


def coach_of_item(world):
    return Membership.objects.get(user=world["apprenticeship"].coach, organisation=world["provider"])


@pytest.mark.parametrize("who", ["other_iqa", "coach", "other_coach", "employer_contact", "apprentice"])
def test_nobody_but_the_providers_iqa_reaches_its_records(world, sign_in, who):
    apprenticeship = world["apprenticeship"]
    membership = {
        "other_iqa": lambda: iqa_of(),
        "coach": lambda: coach_of_item(world),
        "other_coach": lambda: Membership.objects.get(user=provider_with_coach().coach, role="skills_coach"),
        "employer_contact": lambda: employer_contact_of(apprenticeship),
        "apprentice": lambda: Membership.objects.get(user=apprenticeship.apprentice),
    }[who]()
    client = sign_in(membership)
    for url in iqa_urls(world):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("apprenticeships:iqa-sample", args=[world["item"].public_id]), {"verdict": "agree"})
    assert response.status_code == 404
    expected = 200 if who == "other_iqa" else 403
    assert client.get(reverse("apprenticeships:iqa-policy-list")).status_code == expected
    assert not SampleDecision.objects.exists()


def test_the_providers_iqa_reads_each_page_and_each_read_is_audited(world, sign_in):
    client = sign_in(world["iqa"])
    for url in [reverse("apprenticeships:iqa-policy-list"), *iqa_urls(world)]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert AuditEvent.objects.filter(actor=world["iqa"].user, action="view",
                                     subject__endswith=str(world["item"].public_id)).exists()
    page = client.get(reverse("apprenticeships:iqa-policy-list")).content.decode()
    assert "Standard sampling" in page and "1 Mar 2026 to 31 Mar 2026" in page
    listed = AuditEvent.objects.filter(actor=world["iqa"].user, action="list", subject="apprenticeships.SamplingPlan")
    assert listed.exists() and listed.first().details["ids"] == [str(world["plan"].public_id)]


def test_a_policy_with_a_percentage_over_100_shows_the_error_summary(world, sign_in):
    client = sign_in(world["iqa"])
    response = client.post(reverse("apprenticeships:iqa-policy-new"), {
        "name": "New assessors", "active": "on", "default_percent": "50", "rate_file_interim": "150"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "nhsuk-error-summary" in body and iqa_services.PERCENT_MESSAGE in body
    assert not SamplingPolicy.objects.filter(name="New assessors").exists()
    response = client.post(reverse("apprenticeships:iqa-policy-new"), {
        "name": "New assessors", "active": "on", "default_percent": "50", "rate_file_interim": "12.5"})
    assert response.status_code == 302
    policy = SamplingPolicy.objects.get(name="New assessors")
    assert (policy.provider, [(rate.kind, rate.stage, rate.percent) for rate in policy.rates.all()]) == (
        world["provider"], [("file", "interim", 12.5)])


def test_drawing_a_plan_from_the_page_and_its_errors(world, sign_in):
    client = sign_in(world["iqa"])
    url = reverse("apprenticeships:iqa-plan-new", args=[world["policy"].public_id])
    response = client.post(url, {**SPRING, "period_to_0": "1", "period_to_1": "2"})
    assert response.status_code == 200 and iqa_services.PERIOD_ORDER_MESSAGE in response.content.decode()
    response = client.post(url, {**SPRING, "seed": "Q1"})
    plan = SamplingPlan.objects.get(seed="Q1")
    assert response.status_code == 302 and response["Location"] == reverse("apprenticeships:iqa-plan",
                                                                           args=[plan.public_id])
    assert plan.samples.get().evidence == world["item"]


def test_the_plan_filters_by_coach_kind_stage_and_decision(world, sign_in):
    second = provider_with_coach(world["provider"])
    observation = assessed(second, on=date(2026, 3, 4), kind=EvidenceKind.OBSERVATION)
    iqa_services.regenerate_plan(actor=Actor(world["iqa"].user), plan=world["plan"])
    client = sign_in(world["iqa"])
    url = reverse("apprenticeships:iqa-plan", args=[world["plan"].public_id])
    both = client.get(url).content.decode()
    assert world["item"].title in both and observation.title in both
    by_coach = client.get(url, {"coach": second.coach.pk}).content.decode()
    assert observation.title in by_coach and world["item"].title not in by_coach
    by_kind = client.get(url, {"kind": "reflective_account", "stage": "interim"}).content.decode()
    assert world["item"].title in by_kind and observation.title not in by_kind
    iqa_services.record_decision(actor=Actor(world["iqa"].user), evidence=observation, verdict="agree")
    waiting = client.get(url, {"decided": "no"}).content.decode()
    assert world["item"].title in waiting and observation.title not in waiting
    assert client.get(url, {"stage": "summative"}).content.decode().count("iqa/samples/") == 0


def test_compliance_is_in_words(world, sign_in):
    body = sign_in(world["iqa"]).get(
        reverse("apprenticeships:iqa-plan-compliance", args=[world["plan"].public_id])).content.decode()
    assert "Compliant" in body and "The plan is <strong>compliant</strong>" in body
    world["plan"].samples.all().delete()
    body = sign_in(world["iqa"]).get(
        reverse("apprenticeships:iqa-plan-compliance", args=[world["plan"].public_id])).content.decode()
    assert "Not compliant" in body and "not compliant</strong>" in body


def test_disagreeing_without_feedback_is_an_error_then_signing_locks(world, sign_in):
    client = sign_in(world["iqa"])
    url = reverse("apprenticeships:iqa-sample", args=[world["item"].public_id])
    response = client.post(url, {"verdict": "disagree", "feedback": ""})
    assert response.status_code == 200 and iqa_services.FEEDBACK_MESSAGE in response.content.decode()
    assert "nhsuk-error-summary" in response.content.decode()
    assert not SampleDecision.objects.exists()
    response = client.post(url, {"verdict": "disagree", "feedback": "K3 is not shown."})
    assert response.status_code == 302
    decision = SampleDecision.objects.get()
    assert decision.locks_evidence and decision.feedback == "K3 is not shown."
    page = client.get(url).content.decode()
    assert "Sign the decision" not in page and "only an internal quality assurer can unlock it" in page
    release = reverse("apprenticeships:iqa-decision-release", args=[decision.public_id])
    assert client.post(release, {"reason": ""}).status_code == 200
    assert client.post(release, {"reason": "Agreed with the coach to reassess"}).status_code == 302
    decision.refresh_from_db()
    assert not decision.locks_evidence


def test_another_iqa_cannot_unlock_a_decision(world, sign_in):
    decision = iqa_services.record_decision(actor=Actor(world["iqa"].user), evidence=world["item"], verdict="agree")
    client = sign_in(iqa_of())
    url = reverse("apprenticeships:iqa-decision-release", args=[decision.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Mine now"}).status_code == 404
    decision.refresh_from_db()
    assert decision.locks_evidence


def test_the_coach_sees_feedback_on_their_assessments_and_links_to_the_item(world, sign_in):
    iqa_services.record_decision(actor=Actor(world["iqa"].user), evidence=world["item"], verdict="disagree",
                                 feedback="Ask for a second example of K3.")
    url = reverse("apprenticeships:iqa-coach-feedback")
    body = sign_in(coach_of_item(world)).get(url).content.decode()
    assert "Ask for a second example of K3." in body
    assert reverse("apprenticeships:evidence-detail", args=[world["item"].public_id]) in body
    other = Membership.objects.get(user=provider_with_coach(world["provider"]).coach, role="skills_coach")
    assert "Ask for a second example" not in sign_in(other).get(url).content.decode()
    assert sign_in(world["iqa"]).get(url).status_code == 403
    assert sign_in(employer_contact_of(world["apprenticeship"])).get(url).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_plan_and_feedback_pages_do_not_grow_with_samples(world, sign_in):
    apprenticeship, iqa = world["apprenticeship"], world["iqa"]
    for day in range(4, 6):
        assessed(apprenticeship, on=date(2026, 3, day))
    iqa_services.regenerate_plan(actor=Actor(iqa.user), plan=world["plan"])
    for sample in world["plan"].samples.select_related("evidence")[:2]:
        iqa_services.record_decision(actor=Actor(iqa.user), evidence=sample.evidence, verdict="agree")
    client = sign_in(iqa)
    urls = [reverse("apprenticeships:iqa-plan", args=[world["plan"].public_id]),
            reverse("apprenticeships:iqa-plan-compliance", args=[world["plan"].public_id]),
            reverse("apprenticeships:iqa-policy-list")]
    for url in urls:
        client.get(url)
    few = [_queries(client, url) for url in urls]
    coach, feedback = sign_in(coach_of_item(world)), reverse("apprenticeships:iqa-coach-feedback")
    coach.get(feedback)
    few_feedback = _queries(coach, feedback)
    assert world["plan"].samples.count() == 3
    for day in range(6, 33):
        assessed(provider_with_coach(world["provider"]) if day % 3 else apprenticeship,
                 on=date(2026, 3, min(day, 31)), kind=EvidenceKind.OBSERVATION if day % 2 else EvidenceKind.FILE)
    iqa_services.regenerate_plan(actor=Actor(iqa.user), plan=world["plan"])
    for sample in world["plan"].samples.filter(decision__isnull=True).select_related("evidence"):
        iqa_services.record_decision(actor=Actor(iqa.user), evidence=sample.evidence, verdict="agree")
    assert world["plan"].samples.count() == 30
    client = sign_in(iqa)
    assert [_queries(client, url) for url in urls] == few
    coach = sign_in(coach_of_item(world))
    assert SampleDecision.objects.filter(evidence__assessed_by=apprenticeship.coach).count() > 2
    assert _queries(coach, feedback) == few_feedback


def test_the_iqa_downloads_a_sampled_file_and_nobody_else_does(world, sign_in, media):  # noqa: F811
    item = world["item"]
    item.kind, item.file_name = EvidenceKind.FILE, "observation notes.pdf"
    item.file.save("notes.pdf", upload(), save=True)
    url = reverse("apprenticeships:iqa-sample-file", args=[item.public_id])
    response = sign_in(world["iqa"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(actor=world["iqa"].user, action="export",
                                     subject__endswith=str(item.public_id)).exists()
    assert sign_in(iqa_of()).get(url).status_code == 404
    page = sign_in(world["iqa"]).get(reverse("apprenticeships:iqa-sample", args=[item.public_id])).content.decode()
    assert url in page and "observation notes.pdf" in page


def test_the_items_history_shows_the_iqa_decision_in_words(world, sign_in):
    iqa_services.record_decision(actor=Actor(world["iqa"].user), evidence=world["item"], verdict="agree")
    page = sign_in(world["iqa"]).get(reverse("apprenticeships:iqa-sample", args=[world["item"].public_id]))
    assert "Internal quality assurer agreed" in page.content.decode()


def test_an_iqa_at_two_providers_chooses_the_provider_of_a_policy(world, sign_in):
    second = provider_org()
    Membership.objects.create(user=world["iqa"].user, organisation=second, role="iqa", all_locations=True)
    client = sign_in(world["iqa"])
    fields = {"name": "Second provider's", "default_percent": "20"}
    elsewhere = str(iqa_of().organisation.public_id)
    response = client.post(reverse("apprenticeships:iqa-policy-new"), {**fields, "provider": elsewhere})
    assert response.status_code == 200 and "Select a training provider" in response.content.decode()
    assert not SamplingPolicy.objects.filter(name="Second provider's").exists()
    response = client.post(reverse("apprenticeships:iqa-policy-new"), {**fields, "provider": str(second.public_id)})
    assert response.status_code == 302
    assert SamplingPolicy.objects.get(name="Second provider's").provider == second


def test_drawing_again_with_a_bad_seed_says_what_to_fix(world, sign_in, client):
    sign_in(world["iqa"].user)

    def client_post_follow(url, data):
        return client.post(url, data, follow=True)

    url = reverse("apprenticeships:iqa-plan-redraw", args=[world["plan"].public_id])
    html = client_post_follow(url, {"seed": "x" * 41}).content.decode()
    assert iqa_forms.SEED_MESSAGE in html
    assert SamplingPlan.objects.get(pk=world["plan"].pk).seed == world["plan"].seed
    html = client_post_follow(url, {"seed": "spring"}).content.decode()
    assert "Sampling plan drawn again" in html and SamplingPlan.objects.get(pk=world["plan"].pk).seed == "spring"
