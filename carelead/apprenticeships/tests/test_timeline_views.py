"""The timeline tab: what the apprentice led (from the portfolio's redacted snapshot), learned and had
assessed; strand filter and month pages; who may see it; the same queries for few or many things."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships.models import (
    ApprenticeshipStatus, EvidenceEvent, EvidenceKind, EvidenceStatus, OtjStatus,
)
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, TrainingSessionFactory, employer_contact_of, staff_of,
)
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory
from carelead.apprenticeships.tests.factories_reviews import fix_today, signed_review
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 17)
SNAPSHOT = {"source": "careplans.review", "source_label": "Care plan review", "title": "Held a care plan review",
            "summary": "Reviewed 4 areas of the plan; 2 actions agreed.", "themes": ["Communication"],
            "occurred_on": "2026-03-02", "record_id": "abc"}


def url(apprenticeship):
    return reverse("apprenticeships:timeline", args=[apprenticeship.public_id])


def practice_record(apprenticeship, on=date(2026, 3, 2), **fields):
    return PortfolioEvidenceFactory(apprenticeship=apprenticeship, kind=EvidenceKind.PRACTICE_RECORD,
                                    source_key=SNAPSHOT["source"], source_record_id=f"{on}-{fields.get('title', '')}",
                                    source_snapshot=SNAPSHOT, occurred_on=on, **fields)


def decision(evidence, event, when, number=1):
    return EvidenceEvent.objects.create(evidence=evidence, number=number, event=event, snapshot={},
                                        changed_by=evidence.apprenticeship.coach, changed_at=when)


@pytest.fixture
def today(monkeypatch):
    fix_today(monkeypatch, TODAY)
    return TODAY


def test_the_three_strands_newest_first_by_month(client, sign_in, reference_data, today):
    apprenticeship = ApprenticeshipFactory()
    practice_record(apprenticeship, title="My own title", body="private words I wrote")
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 2, 10), status=OtjStatus.APPROVED,
                          what_learned="Read the MCA code of practice")
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 2, 11), status=OtjStatus.RETURNED,
                          what_learned="Returned entry words")
    reflection = PortfolioEvidenceFactory(apprenticeship=apprenticeship, title="Reflection on a hard conversation",
                                          status=EvidenceStatus.ACCEPTED, assessed_by=apprenticeship.coach)
    decision(reflection, "needs_more_work", datetime(2026, 1, 20, 12, tzinfo=UTC))
    decision(reflection, "accepted", datetime(2026, 3, 5, 12, tzinfo=UTC), number=2)
    signed_review(apprenticeship, held_on=date(2025, 12, 1))
    sign_in(apprenticeship.coach)
    html = client.get(url(apprenticeship)).content.decode()
    for text in ("Held a care plan review", "Reviewed 4 areas of the plan; 2 actions agreed.", "Care plan review",
                 "Read the MCA code of practice", "Evidence accepted", "Evidence needs more work",
                 "Reflection on a hard conversation", "Progress review 1", "Signed by all three",
                 'aria-current="page">Timeline', "October 2025 to March 2026", "2 Mar 2026"):
        assert text in html, text
    assert "Returned entry words" not in html and "private words I wrote" not in html
    order = [html.index(month) for month in ("March 2026</h3>", "February 2026</h3>", "January 2026</h3>",
                                             "December 2025</h3>")]
    assert order == sorted(order)
    assert AuditEvent.objects.filter(action="view", details__tab="timeline", actor=apprenticeship.coach).exists()


def test_a_session_attended_is_learned_under_its_title(client, sign_in, reference_data, today):
    apprenticeship = ApprenticeshipFactory()
    session = TrainingSessionFactory(provider=apprenticeship.provider, title="Coaching: the Mental Capacity Act")
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 3, 3), status=OtjStatus.APPROVED,
                          session=session, source="attendance_import", minutes=60)
    sign_in(apprenticeship.apprentice)
    html = client.get(url(apprenticeship), {"strand": "learned"}).content.decode()
    assert "Session attended" in html and "Coaching: the Mental Capacity Act" in html and "1 h." in html


def test_the_strand_filter_shows_only_that_strand(client, sign_in, reference_data, today):
    apprenticeship = ApprenticeshipFactory()
    practice_record(apprenticeship)
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 2, 10), status=OtjStatus.APPROVED,
                          what_learned="Read the MCA code of practice")
    sign_in(apprenticeship.apprentice)
    html = client.get(url(apprenticeship), {"strand": "learned"}).content.decode()
    assert "Read the MCA code of practice" in html and "Held a care plan review" not in html


def test_older_months_are_on_the_next_page_with_the_filter_kept(client, sign_in, reference_data, today):
    apprenticeship = ApprenticeshipFactory(start_date=date(2025, 1, 6))
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 6, 10), status=OtjStatus.APPROVED,
                          what_learned="Old learning")
    sign_in(apprenticeship.apprentice)
    first = client.get(url(apprenticeship), {"strand": "learned"}).content.decode()
    assert "Old learning" not in first and "?strand=learned&amp;page=2" in first
    second = client.get(url(apprenticeship), {"strand": "learned", "page": "2"}).content.decode()
    assert "Old learning" in second and "April 2025 to September 2025" in second
    assert "?strand=learned&amp;page=1" in second and "page=3" in second  # January 2025 is still older


@pytest.mark.parametrize("page", ["4052", "99999999999"])
def test_a_page_far_past_the_start_is_the_oldest_page_not_an_error(client, sign_in, reference_data, today, page):
    apprenticeship = ApprenticeshipFactory(start_date=date(2025, 9, 1))
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 9, 10), status=OtjStatus.APPROVED,
                          what_learned="First learning")
    sign_in(apprenticeship.apprentice)
    response = client.get(url(apprenticeship), {"page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "First learning" in html and "April 2025 to September 2025" in html and "page=1" in html


def test_an_ended_apprenticeship_starts_at_its_last_month_with_anything(client, sign_in, reference_data, today):
    apprenticeship = ApprenticeshipFactory(start_date=date(2022, 1, 10), status=ApprenticeshipStatus.COMPLETED)
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2023, 5, 10), status=OtjStatus.APPROVED,
                          what_learned="Last learning")
    signed_review(apprenticeship, held_on=date(2023, 4, 3))
    sign_in(apprenticeship.coach)
    html = client.get(url(apprenticeship)).content.decode()
    assert "Last learning" in html and "Progress review 1" in html and "December 2022 to May 2023" in html
    assert "page=2" in html and "This apprenticeship is completed, so the timeline starts at the last month" in html


def test_a_live_apprenticeship_still_starts_at_this_month(client, sign_in, reference_data, today):
    apprenticeship = ApprenticeshipFactory(start_date=date(2022, 1, 10))
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2023, 5, 10), status=OtjStatus.APPROVED)
    sign_in(apprenticeship.coach)
    html = client.get(url(apprenticeship)).content.decode()
    assert "October 2025 to March 2026" in html and "the timeline starts at the last month" not in html


@pytest.mark.parametrize("who", ["apprentice", "coach", "employer_contact"])
def test_the_parties_see_the_timeline(client, sign_in, reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = employer_contact_of(apprenticeship).user if who == "employer_contact" else getattr(apprenticeship, who)
    sign_in(user)
    assert client.get(url(apprenticeship)).status_code == 200


@pytest.mark.parametrize("who", ["other_coach", "unrelated_staff", "staff_of_the_employer"])
def test_anyone_else_gets_404(client, sign_in, reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = {"other_coach": lambda: ApprenticeshipFactory().coach,
            "unrelated_staff": lambda: staff_of().user,
            "staff_of_the_employer": lambda: staff_of(apprenticeship.employer).user}[who]()
    sign_in(user)
    assert client.get(url(apprenticeship)).status_code == 404
    assert not AuditEvent.objects.filter(details__tab="timeline").exists()


def test_the_same_queries_for_few_or_many_things(client, sign_in, reference_data, today):
    apprenticeship = ApprenticeshipFactory()

    def add(day):
        item = practice_record(apprenticeship, on=date(2026, 1, day), title=f"Record {day}",
                               status=EvidenceStatus.ACCEPTED, assessed_by=apprenticeship.coach)
        decision(item, "accepted", datetime(2026, 2, day, 12, tzinfo=UTC))
        OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2026, 2, day), status=OtjStatus.APPROVED)
        signed_review(apprenticeship, held_on=date(2025, 12, day), number=day)

    add(1)
    sign_in(apprenticeship.coach)
    client.get(url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(url(apprenticeship))
    for day in range(2, 12):
        add(day)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url(apprenticeship)).content.decode()
    assert len(many) == len(few)
    assert html.count("timeline-event--led") == 11 and html.count("Progress review ") == 11
