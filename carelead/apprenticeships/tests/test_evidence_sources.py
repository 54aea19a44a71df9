"""Evidence declaration of the apprenticeships app (apprenticeships/evidence.py): training a user
delivered, read as the sessions they organised that took place and were not cancelled. Redaction
first (no title, description, venue or attendee name), then only the organiser's own sessions, dates,
one query, `item`."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.apprenticeships import evidence
from carelead.apprenticeships.models import SessionAttendee, SessionKind
from carelead.apprenticeships.otj import ActivityType
from carelead.apprenticeships.tests.factories_sessions import apprenticeship_of, coach_at, session_at
from carelead.core import evidence as registry

pytestmark = pytest.mark.django_db

SECRET = "Zebedee Quillfeather-Ormskirk of 14 Marrowbone Crescent, NHS 999 000 0018, born 17/02/1931"


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def coach(reference_data):
    return coach_at()


def delivered(coach, *attending, starts=None, minutes=60, **kwargs):
    starts = starts or at(2025, 10, 7)
    return session_at(coach, *attending, starts_at=starts, ends_at=starts + timedelta(minutes=minutes),
                      title=SECRET[:200], description=SECRET, venue=SECRET[:200], **kwargs)


def test_no_title_description_venue_or_attendee_name_leaks(coach):
    amara = apprenticeship_of(coach, "amara.quillfeather@example.org", "Amara Quillfeather")
    delivered(coach, amara)
    items = evidence.training_source.items_led_by(coach.user)
    assert items
    for item in items + [each for each in registry.items_led_by(coach.user)]:
        for text in ("Zebedee", "Quillfeather", "Ormskirk", "Marrowbone", "999", "1931", "17/02", "Amara"):
            assert text not in item.title and text not in item.summary, (text, item)


def test_summary_gives_kind_length_activity_and_attendance(coach):
    amara = apprenticeship_of(coach, "a@example.org", "A One")
    ben = apprenticeship_of(coach, "b@example.org", "B Two")
    session = delivered(coach, amara, ben, minutes=90, kind=SessionKind.TAUGHT,
                        activity_type=ActivityType.ZOOM_TAUGHT_SESSION.value)
    SessionAttendee.objects.filter(session=session, apprenticeship=amara).update(attended_minutes=85)
    SessionAttendee.objects.filter(session=session, apprenticeship=ben).update(attended_minutes=0)
    (item,) = evidence.training_source.items_led_by(coach.user)
    assert item.record_id == str(session.public_id) and item.occurred_on == session.starts_at.date()
    assert item.title == "Delivered a taught session"
    assert item.summary == ("Taught session delivered: 1 h 30 min. Activity: Taught session (Zoom). "
                            "2 apprentices invited; 1 attended.")
    assert item.themes == ("Professional development",)


def test_attendance_not_yet_recorded_says_so(coach):
    delivered(coach, apprenticeship_of(coach, "a@example.org", "A One"))
    (item,) = evidence.training_source.items_led_by(coach.user)
    assert item.summary.endswith("1 apprentice invited; attendance not yet recorded.")


def test_only_sessions_the_user_organised_that_happened_and_were_not_cancelled(coach):
    mine = delivered(coach)
    theirs = delivered(coach_at())
    cancelled = delivered(coach, cancelled_at=timezone.now())
    to_come = delivered(coach, starts=timezone.now() + timedelta(days=2))
    under_way = delivered(coach, starts=timezone.now() - timedelta(minutes=10), minutes=60)
    assert [item.record_id for item in evidence.training_source.items_led_by(coach.user)] == [str(mine.public_id)]
    for other in (theirs, cancelled, to_come, under_way):
        assert evidence.training_source.item(coach.user, str(other.public_id)) is None
    assert evidence.training_source.item(coach.user, str(mine.public_id)).record_id == str(mine.public_id)
    assert evidence.training_source.item(coach.user, "nonsense") is None
    assert evidence.training_source.item(coach.user, str(uuid.uuid4())) is None
    assert evidence.training_source.items_led_by(UserFactory()) == []


def test_date_bounds_are_inclusive_by_uk_date_and_newest_comes_first(coach):
    # 23:30 UTC on 31 Oct 2025 is 23:30 in London (GMT); 23:30 UTC on 14 Oct is 00:30 on 15 Oct (BST)
    for starts in (at(2025, 9, 30, 12), at(2025, 10, 1, 12), at(2025, 10, 14, 23), at(2025, 10, 16, 12)):
        delivered(coach, starts=starts.replace(minute=30) if starts.hour == 23 else starts, minutes=30)
    found = evidence.training_source.items_led_by(coach.user, at(2025, 10, 1).date(), at(2025, 10, 15).date())
    assert [item.occurred_on.isoformat() for item in found] == ["2025-10-15", "2025-10-01"]
    assert len(evidence.training_source.items_led_by(coach.user)) == 4


def test_reads_in_one_query(coach, django_assert_num_queries):
    apprentices = [apprenticeship_of(coach, f"a{n}@example.org", f"A {n}") for n in range(3)]
    for offset in range(4):
        delivered(coach, *apprentices, starts=at(2025, 10, 1 + offset))
    with django_assert_num_queries(1):
        found = evidence.training_source.items_led_by(coach.user)
    assert len(found) == 4 and all("3 apprentices invited" in item.summary for item in found)
