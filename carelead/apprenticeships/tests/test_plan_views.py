"""The training plan pages: who sees what, writing the draft, signing, and flat query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from carelead.apprenticeships import plan_services
from carelead.apprenticeships.models import Ksb, Party, Signature, SignatureMethod, TrainingPlanActivity
from carelead.apprenticeships.rules import ActivityType
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, TrainingPlanActivityFactory, TrainingPlanVersionFactory, coach_of, employer_contact_of,
)
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(name, apprenticeship, *args) -> str:
    return reverse(f"apprenticeships:{name}", args=[apprenticeship.public_id, *args])


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory()


def plan_with(apprenticeship, activities=1, signed=()):
    plan = TrainingPlanVersionFactory(apprenticeship=apprenticeship, number=1)
    ksbs = list(Ksb.objects.filter(version=apprenticeship.standard_version)[:3])
    for n in range(activities):
        TrainingPlanActivityFactory(plan=plan, title=f"Coaching block {n + 1}").ksbs.set(ksbs)
    for party in signed:
        Signature.objects.create(plan_version=plan, party=party, signed_by=apprenticeship.coach)
    return plan


def test_a_coach_of_another_apprentice_gets_404(client, sign_in, apprenticeship):
    plan_with(apprenticeship)
    sign_in(coach_of(apprenticeship.provider))
    for name, args in (("training-plan", ()), ("training-plan-version", (1,)), ("training-plan-new", ()),
                       ("training-plan-sign", (1,)), ("training-plan-activity-new", ())):
        assert client.get(url(name, apprenticeship, *args)).status_code == 404, name


def test_the_plan_page_shows_activities_totals_and_signatures(client, sign_in, apprenticeship):
    plan = plan_with(apprenticeship, signed=[Party.PROVIDER])
    TrainingPlanActivityFactory(plan=plan, activity_type=ActivityType.PROGRESS_REVIEW.value, title="Review 1",
                                planned_hours=Decimal("1.5"), counts_as_otj=False)
    first_ksb = plan.activities.first().ksbs.first()
    sign_in(apprenticeship.apprentice)
    html = client.get(url("training-plan", apprenticeship)).content.decode()
    for text in ("Coaching block 1", "Coaching session (Microsoft Teams)", "1 Sep 2025 to 31 Aug 2026",
                 "No: Progress reviews do not count (§4)", "Training provider", first_ksb.code, "19.5", ">18<",
                 "Signed online by " + apprenticeship.coach.full_name, "Waiting for their signature",
                 "Sign version 1", 'aria-current="page">Training plan<',
                 "Not known: the published minimum for ST0007 v1.1 has not been imported"):
        assert text in html, text
    assert "Add an activity" not in html and "Record a signature obtained offline" not in html
    assert AuditEvent.objects.get(action="view").subject.endswith(str(plan.public_id))


def test_the_plan_page_queries_do_not_grow_with_activities(client, sign_in, apprenticeship,
                                                            django_assert_num_queries):
    plan = plan_with(apprenticeship, signed=[Party.PROVIDER])
    sign_in(apprenticeship.coach)
    page = url("training-plan", apprenticeship)
    client.get(page)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    for n in range(9):
        TrainingPlanActivityFactory(plan=plan, title=f"More {n}")
    with django_assert_num_queries(len(one)):
        html = client.get(page).content.decode()
    assert html.count("nhsuk-table-responsive__heading\" aria-hidden=\"true\">Activity") == 10


def test_an_earlier_version_is_shown_with_a_link_to_the_current(client, sign_in, apprenticeship):
    plan_with(apprenticeship, signed=[Party.PROVIDER, Party.APPRENTICE, Party.EMPLOYER])
    TrainingPlanVersionFactory(apprenticeship=apprenticeship, number=2, change_summary="Study day added")
    sign_in(apprenticeship.coach)
    html = client.get(url("training-plan", apprenticeship)).content.decode()
    assert "version 2" in html and url("training-plan-version", apprenticeship, 1) in html
    assert "Study day added" in html and "Add an activity" in html
    old = client.get(url("training-plan-version", apprenticeship, 1)).content.decode()
    assert "This is an earlier version" in old and "Agreed and locked" in old and "Coaching block 1" in old
    assert client.get(url("training-plan-version", apprenticeship, 3)).status_code == 404


def test_the_apprentice_cannot_open_the_coach_pages(client, sign_in, apprenticeship):
    plan_with(apprenticeship)
    sign_in(apprenticeship.apprentice)  # no APPRENTICESHIP_MANAGE: the coach's pages are not there for them
    assert client.get(url("training-plan-new", apprenticeship)).status_code == 404
    contact = employer_contact_of(apprenticeship)
    sign_in(contact)
    assert client.get(url("training-plan-activity-new", apprenticeship)).status_code == 404
    assert client.post(url("training-plan-new", apprenticeship)).status_code == 404
    assert not apprenticeship.training_plans.filter(number=2).exists()


def activity_post(**changes) -> dict:
    return {"activity_type": "study_day", "title": "Safeguarding study day", "planned_hours": "7.5",
            "planned_from_0": "1", "planned_from_1": "10", "planned_from_2": "2025",
            "planned_to_0": "1", "planned_to_1": "10", "planned_to_2": "2025", "responsible": "provider", **changes}


def test_the_coach_starts_the_plan_adds_changes_and_removes_activities(client, sign_in, apprenticeship):
    sign_in(apprenticeship.coach)
    assert client.get(url("training-plan-new", apprenticeship)).status_code == 200
    response = client.post(url("training-plan-new", apprenticeship))
    assert response.status_code == 302 and response["Location"] == url("training-plan", apprenticeship)
    form = client.get(url("training-plan-activity-new", apprenticeship)).content.decode()
    assert "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Knowledge" in form
    assert "Behaviours" in form and "CL-B1" in form
    skill = Ksb.objects.get(version=apprenticeship.standard_version, code="CL-S1")
    response = client.post(url("training-plan-activity-new", apprenticeship),
                           activity_post(ksbs_skill=[str(skill.pk)]))
    assert response.status_code == 302
    activity = TrainingPlanActivity.objects.get()
    assert list(activity.ksbs.all()) == [skill] and activity.counts_as_otj
    edit = url("training-plan-activity-edit", apprenticeship, activity.pk)
    assert f'value="{skill.pk}" checked' in client.get(edit).content.decode()
    assert client.post(edit, activity_post(title="Renamed")).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed" and not activity.ksbs.exists()
    assert client.post(url("training-plan-activity-remove", apprenticeship, activity.pk)).status_code == 302
    assert not TrainingPlanActivity.objects.exists()


def test_a_bad_activity_shows_messages_beside_the_fields(client, sign_in, apprenticeship):
    plan_with(apprenticeship, activities=0)
    sign_in(apprenticeship.coach)
    html = client.post(url("training-plan-activity-new", apprenticeship),
                       activity_post(title="", planned_from_2="2024")).content.decode()
    assert "nhsuk-error-summary" in html and "Enter title" in html
    html = client.post(url("training-plan-activity-new", apprenticeship), activity_post(planned_to_2="2028")
                       ).content.decode()
    assert escape(plan_services.DATE_OUTSIDE_MESSAGE.format(start="1 Sep 2025", end="1 Mar 2027")) in html
    assert 'href="#id_planned_to_0"' in html and not TrainingPlanActivity.objects.exists()


def test_an_activity_of_a_signed_version_is_not_editable_and_an_unknown_one_is_404(client, sign_in, apprenticeship):
    plan = plan_with(apprenticeship, signed=[Party.PROVIDER])
    sign_in(apprenticeship.coach)
    activity = plan.activities.get()
    html = client.post(url("training-plan-activity-edit", apprenticeship, activity.pk),
                       activity_post()).content.decode()
    assert plan_services.NO_DRAFT_MESSAGE.format(number=1) in html
    other = TrainingPlanActivityFactory()
    assert client.get(url("training-plan-activity-edit", apprenticeship, other.pk)).status_code == 404


def test_each_party_signs_online_in_order_through_the_page(client, sign_in, apprenticeship):
    plan = plan_with(apprenticeship)
    contact = employer_contact_of(apprenticeship)
    sign_in(contact)
    html = client.post(url("training-plan-sign", apprenticeship, 1), {"confirm": "on"}).content.decode()
    assert plan_services.NOT_YOUR_TURN_MESSAGE.format(number=1) in html and not plan.signatures.exists()
    for who in (apprenticeship.coach, apprenticeship.apprentice, contact):
        sign_in(who)
        assert client.post(url("training-plan-sign", apprenticeship, 1), {"confirm": "on"}).status_code == 302
    assert plan.signatures.count() == 3
    html = client.get(url("training-plan", apprenticeship)).content.decode()
    assert "Agreed and locked" in html and "Start a new version" not in html  # the employer contact is not the coach


def test_the_coach_records_an_offline_signature_through_the_page(client, sign_in, apprenticeship):
    plan_with(apprenticeship, signed=[Party.PROVIDER])
    sign_in(apprenticeship.coach)
    page = url("training-plan-offline-signature", apprenticeship, 1)
    html = client.post(page, {"party": "apprentice"}).content.decode()
    for message in ("Enter the name of the person who signed", "Enter when they signed",
                    "Enter how the signature was obtained, for example a signed paper copy"):
        assert message in html
    today = timezone.localdate()
    response = client.post(page, {"party": "apprentice", "signatory_name": "Sam Apprentice",
                                  "obtained_on_0": today.day, "obtained_on_1": today.month,
                                  "obtained_on_2": today.year, "obtained_how": "Signed paper copy"})
    assert response.status_code == 302
    assert Signature.objects.get(party=Party.APPRENTICE).method == SignatureMethod.OFFLINE
    html = client.get(url("training-plan", apprenticeship)).content.decode()
    assert f"Obtained offline from Sam Apprentice on {today:%-d %b %Y} by Signed paper copy" in html


def test_opening_an_activity_or_the_signing_page_is_audited(client, sign_in, apprenticeship):
    plan = plan_with(apprenticeship)
    activity = plan.activities.get()
    sign_in(apprenticeship.coach)
    client.get(url("training-plan-activity-edit", apprenticeship, activity.pk))
    client.get(url("training-plan-sign", apprenticeship, 1))
    views = AuditEvent.objects.filter(action="view", subject__endswith=str(plan.public_id))
    assert sorted(event.details["form"] for event in views) == ["edit", "sign"]
    assert all(event.person is None for event in views)


def test_opening_the_offline_signature_page_is_audited(client, sign_in, apprenticeship):
    """The page names the version and the apprentice: a read of programme records like the signing page."""
    plan = plan_with(apprenticeship, signed=[Party.PROVIDER])
    sign_in(apprenticeship.coach)
    assert client.get(url("training-plan-offline-signature", apprenticeship, 1)).status_code == 200
    views = AuditEvent.objects.filter(action="view", subject__endswith=str(plan.public_id))
    assert [event.details.get("form") for event in views] == ["offline-signature"]
