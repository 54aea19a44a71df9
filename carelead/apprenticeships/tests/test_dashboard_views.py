"""The dashboards: the coach's caseload (sortable, filterable, paginated, with charts), the employer's
apprentices with what waits for their signature, and the apprentice's own progress. Per role."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils import timezone

from carelead.apprenticeships import rules
from carelead.apprenticeships.models import (
    ActionOwner, ApprenticeshipStatus, OtjStatus, Party, ReviewAction, ReviewStatus, SessionAttendee, Signature,
    StandardVersion,
)
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, ProgressReviewFactory, TrainingPlanVersionFactory,
    TrainingSessionFactory, employer_contact_of, staff_of,
)
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role

pytestmark = pytest.mark.django_db
CASELOAD = reverse("apprenticeships:caseload")
MINE = reverse("apprenticeships:my-apprenticeship")
EMPLOYER = reverse("apprenticeships:employer-dashboard")


def today():
    return timezone.localdate()


def on_programme(months_in: int, **kwargs):
    """An apprenticeship `months_in` months into an 18-month programme, before Aug 2025 rules aside."""
    start = today() - timedelta(days=30 * months_in)
    return ApprenticeshipFactory(start_date=start, practical_period_end=start + timedelta(days=548), **kwargs)


def entries(apprenticeship, n=3, minutes=120):
    ksbs = list(apprenticeship.standard_version.ksbs.order_by("pk")[:n])
    for index in range(n):
        entry = OffTheJobEntryFactory(apprenticeship=apprenticeship, minutes=minutes, status=OtjStatus.APPROVED,
                                      entry_date=apprenticeship.start_date + timedelta(days=index + 1))
        entry.ksbs.set(ksbs[index:index + 1])


def names_in_order(html: str, names) -> list[str]:
    return sorted(names, key=html.index)


def test_a_coach_sees_only_their_own_apprentices_with_the_rule_and_charts(client, sign_in, reference_data):
    mine = on_programme(6, apprentice__full_name="Ada Mine")
    entries(mine)
    other = on_programme(6, apprentice__full_name="Olly Other")
    sign_in(mine.coach)
    response = client.get(CASELOAD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ada Mine" in html and "Olly Other" not in html and str(other.public_id) not in html
    assert escape(rules.CASELOAD_RULE) in html
    assert html.count('role="img"') >= 2 and "<title id=\"rag-chart-title\">" in html
    assert "Apprentices by status, as a table" in html
    event = AuditEvent.objects.filter(subject="apprenticeships.Apprenticeship").latest("pk")
    assert event.details["ids"] == [str(mine.public_id)] and event.person is None


def test_the_caseload_sorts_filters_and_pages(client, sign_in, reference_data):
    behind = on_programme(12, apprentice__full_name="Bea Behind")  # nothing logged at 2/3 of the time
    coach, provider = behind.coach, behind.provider
    fresh = on_programme(1, coach=coach, provider=provider, memberships=False, apprentice__full_name="Cal Fresh")
    away = on_programme(5, coach=coach, provider=provider, memberships=False, apprentice__full_name="Abe Away",
                        status=ApprenticeshipStatus.BREAK_IN_LEARNING)
    sign_in(coach)
    html = client.get(CASELOAD).content.decode()
    assert names_in_order(html, ["Cal Fresh", "Abe Away", "Bea Behind"]) == ["Abe Away", "Bea Behind", "Cal Fresh"]
    html = client.get(CASELOAD, {"sort": "rag"}).content.decode()
    assert names_in_order(html, ["Cal Fresh", "Bea Behind"])[0] == "Bea Behind"
    html = client.get(CASELOAD, {"sort": "time"}).content.decode()
    assert names_in_order(html, ["Cal Fresh", "Abe Away", "Bea Behind"]) == ["Bea Behind", "Abe Away", "Cal Fresh"]
    html = client.get(CASELOAD, {"rag": rules.RED}).content.decode()
    assert "Bea Behind" in html and "Cal Fresh" not in html
    html = client.get(CASELOAD, {"status": ApprenticeshipStatus.BREAK_IN_LEARNING}).content.decode()
    assert "Abe Away" in html and "Bea Behind" not in html
    html = client.get(CASELOAD, {"overdue": "on"}).content.decode()  # first review 12 weeks after the start
    assert "Bea Behind" in html and "Abe Away" in html and "Cal Fresh" not in html
    assert client.get(CASELOAD, {"employer": fresh.employer.public_id}).content.decode().count("Cal Fresh") >= 1
    html = client.get(CASELOAD, {"employer": fresh.employer.public_id}).content.decode()
    assert "Bea Behind" not in html
    html = client.get(CASELOAD, {"rag": "purple", "sort": "nonsense", "employer": "not-a-uuid"}).content.decode()
    assert "Bea Behind" in html and "Cal Fresh" in html  # bad filters are ignored
    assert away


def test_the_caseload_pages_by_25_keeping_the_filters(client, sign_in, reference_data):
    first = on_programme(6, apprentice__full_name="Aaa First")
    for _ in range(25):
        on_programme(6, coach=first.coach, provider=first.provider, memberships=False)
    sign_in(first.coach)
    html = client.get(CASELOAD, {"sort": "name"}).content.decode()
    assert "26 apprentices, page 1 of 2" in html and "sort=name&amp;page=2" in html
    html = client.get(CASELOAD, {"sort": "name", "page": 2}).content.decode()
    assert "page 2 of 2" in html and "Aaa First" not in html


def test_the_caseload_costs_the_same_queries_for_1_or_10_apprentices(client, sign_in, reference_data):
    first = on_programme(8)
    entries(first)
    sign_in(first.coach)
    client.get(CASELOAD)
    with CaptureQueriesContext(connection) as one:
        assert client.get(CASELOAD, {"sort": "rag"}).status_code == 200
    for months in range(9):
        other = on_programme(months + 1, coach=first.coach, provider=first.provider, memberships=False)
        entries(other, n=4)
        ProgressReviewFactory(apprenticeship=other, status=ReviewStatus.SIGNED, held_on=today())
    with CaptureQueriesContext(connection) as ten:
        html = client.get(CASELOAD, {"sort": "rag"}).content.decode()
    assert html.count('<th class="nhsuk-table__header" scope="row"><a') == 10
    assert len(one) == len(ten), [q["sql"] for q in ten.captured_queries]


def test_a_registered_manager_and_an_employer_contact_see_their_organisations_apprentices(client, sign_in,
                                                                                          reference_data):
    ours = on_programme(6, apprentice__full_name="Our Apprentice")
    theirs = on_programme(6, apprentice__full_name="Their Apprentice")
    contact = employer_contact_of(ours)
    manager = staff_of(ours.employer, role=Role.REGISTERED_MANAGER)
    for who in (contact, manager):
        sign_in(who)
        for url in (CASELOAD, EMPLOYER):
            html = client.get(url).content.decode()
            assert "Our Apprentice" in html and "Their Apprentice" not in html, (who, url)
    sign_in(staff_of(ours.employer))  # a care worker: nothing
    html = client.get(CASELOAD).content.decode()
    assert "Our Apprentice" not in html and "No apprentices match" in html
    assert theirs


def test_an_apprentice_sees_no_caseload_and_only_their_own_dashboard(client, sign_in, reference_data):
    mine = on_programme(6, apprentice__full_name="Me Myself")
    other = on_programme(6, coach=mine.coach, provider=mine.provider, memberships=False)
    sign_in(mine.apprentice)
    assert "No apprentices match" in client.get(CASELOAD).content.decode()
    html = client.get(MINE).content.decode()
    assert "Your apprenticeship" in html and str(mine.public_id) in html and str(other.public_id) not in html
    sign_in(mine.coach)  # a coach with no apprenticeship of their own
    assert "You are not enrolled on an apprenticeship" in client.get(MINE).content.decode()


def test_the_apprentice_dashboard_shows_progress_next_session_review_and_actions(client, sign_in, reference_data):
    a = on_programme(6)
    entries(a, n=2, minutes=90)
    now = timezone.now()
    session = TrainingSessionFactory(provider=a.provider, title="Zoom: safeguarding adults",
                                     starts_at=now + timedelta(days=3),
                                     join_url="https://zoom.us/j/98765432100")
    SessionAttendee.objects.create(session=session, apprenticeship=a)
    review = ProgressReviewFactory(apprenticeship=a, number=1, status=ReviewStatus.SIGNED,
                                   held_on=today() - timedelta(days=30))
    ReviewAction.objects.create(review=review, description="Write a reflective account of a safeguarding referral",
                                measure="Uploaded", owner=ActionOwner.APPRENTICE, due_on=today() - timedelta(days=2))
    ReviewAction.objects.create(review=review, description="Shadow the registered manager at a care review",
                                measure="Logged", owner=ActionOwner.EMPLOYER, due_on=today() + timedelta(days=20))
    ReviewAction.objects.create(review=review, description="Done already", measure="-", owner=ActionOwner.COACH,
                                due_on=today(), completed_on=today())
    ProgressReviewFactory(apprenticeship=a, number=2, status=ReviewStatus.AWAITING_APPRENTICE)
    sign_in(a.apprentice)
    html = client.get(MINE).content.decode()
    assert html.count("<progress") == 2  # time and KSBs; the minimum for a 2026 start is not published
    assert "3 hours approved" in html and "has not been imported" in html
    assert "Zoom: safeguarding adults" in html and 'href="https://zoom.us/j/98765432100"' in html
    due = rules.next_review_due(start=a.start_date, previous_review=today() - timedelta(days=30))
    assert f"By {due.day} {due:%b %Y}" in html
    assert html.index("Write a reflective account") < html.index("Shadow the registered manager")
    assert "Overdue" in html and "Done already" not in html
    assert "1 review waiting for your signature" in html
    assert AuditEvent.objects.filter(subject=f"apprenticeships.Apprenticeship:{a.public_id}").exists()


def test_the_apprentice_dashboard_shows_otj_against_a_known_minimum(client, sign_in, reference_data):
    a = on_programme(6)
    StandardVersion.objects.filter(pk=a.standard_version_id).update(minimum_otj_hours=Decimal(300))
    entries(a, n=2, minutes=90)
    sign_in(a.apprentice)
    html = client.get(MINE).content.decode()
    assert html.count("<progress") == 3 and "(3 of 300 hours approved)" in html


def test_the_employer_sees_reviews_and_plans_awaiting_their_signature(client, sign_in, reference_data):
    a = on_programme(6, apprentice__full_name="Sign Please")
    contact = employer_contact_of(a)
    ProgressReviewFactory(apprenticeship=a, number=4, status=ReviewStatus.AWAITING_EMPLOYER, held_on=today())
    ProgressReviewFactory(apprenticeship=a, number=5, status=ReviewStatus.AWAITING_APPRENTICE)
    done = TrainingPlanVersionFactory(apprenticeship=a, number=1)
    superseded = TrainingPlanVersionFactory(apprenticeship=a, number=2)  # only the latest can be signed
    waiting = TrainingPlanVersionFactory(apprenticeship=a, number=3)
    for plan, parties in ((waiting, [Party.PROVIDER, Party.APPRENTICE]), (superseded, [Party.PROVIDER, Party.APPRENTICE]),
                          (done, [Party.PROVIDER, Party.APPRENTICE, Party.EMPLOYER])):
        for party in parties:
            Signature.objects.create(plan_version=plan, party=party, signed_by=a.coach)
    other = on_programme(6)
    ProgressReviewFactory(apprenticeship=other, number=1, status=ReviewStatus.AWAITING_EMPLOYER)
    sign_in(contact)
    html = client.get(EMPLOYER).content.decode()
    assert "Progress review 4 for Sign Please" in html and "Progress review 5" not in html
    assert "Training plan version 3 for Sign Please" in html
    assert "Training plan version 1 " not in html and "Training plan version 2 " not in html
    assert other.apprentice.full_name not in html
    sign_in(a.coach)  # a coach is not the employer: nothing of theirs here
    html = client.get(EMPLOYER).content.decode()
    assert "Sign Please" not in html and "Nothing is waiting for your signature" in html


def test_the_header_links_the_caseload_for_skills_coaches_only(client, sign_in, reference_data):
    a = on_programme(6)
    sign_in(a.coach)
    assert f'href="{CASELOAD}"' in client.get(MINE).content.decode()
    sign_in(a.apprentice)
    assert f'href="{CASELOAD}"' not in client.get(MINE).content.decode()


def test_on_the_caseload_only_the_caseload_item_is_current(client, sign_in, reference_data):
    sign_in(on_programme(6).coach)
    html = client.get(CASELOAD).content.decode()
    assert html.count('aria-current="page"') == 1
    current = html[:html.index('aria-current="page"')]
    assert current.rindex(f'href="{CASELOAD}"') > current.rfind('href="/apprenticeships/"')


def test_the_employer_dashboard_costs_the_same_queries_for_1_or_10(client, sign_in, reference_data):
    first = on_programme(6)
    contact = employer_contact_of(first)
    ProgressReviewFactory(apprenticeship=first, status=ReviewStatus.AWAITING_EMPLOYER)
    sign_in(contact)
    client.get(EMPLOYER)
    with CaptureQueriesContext(connection) as one:
        assert client.get(EMPLOYER).status_code == 200
    for _ in range(9):
        other = on_programme(4, employer=first.employer, memberships=False)
        entries(other)
        ProgressReviewFactory(apprenticeship=other, status=ReviewStatus.AWAITING_EMPLOYER)
        plan = TrainingPlanVersionFactory(apprenticeship=other)
        for party in (Party.PROVIDER, Party.APPRENTICE):
            Signature.objects.create(plan_version=plan, party=party, signed_by=other.coach)
    with CaptureQueriesContext(connection) as ten:
        html = client.get(EMPLOYER).content.decode()
    assert html.count("Training plan version") == 9 and html.count("Progress review ") >= 10
    assert len(one) == len(ten)


def test_past_the_compute_limit_the_caseload_pages_by_name_and_refuses_computed_sorts(client, sign_in, reference_data,
                                                                                      monkeypatch):
    from carelead.apprenticeships import dashboard_filters

    monkeypatch.setattr(dashboard_filters, "COMPUTE_LIMIT", 2)
    monkeypatch.setattr(dashboard_filters, "PER_PAGE", 2)
    first = on_programme(12, apprentice__full_name="Ann Early")
    for name in ("Bob Middle", "Cat Late"):
        on_programme(1, coach=first.coach, provider=first.provider, memberships=False, apprentice__full_name=name)
    sign_in(first.coach)
    html = client.get(CASELOAD, {"sort": "time"}).content.decode()
    assert "3 apprentices, page 1 of 2" in html and "shown by name only" in html
    assert names_in_order(html, ["Bob Middle", "Ann Early"]) == ["Ann Early", "Bob Middle"] and "Cat Late" not in html
    html = client.get(CASELOAD, {"page": 2}).content.decode()
    assert "Cat Late" in html and "shown by name only" not in html
