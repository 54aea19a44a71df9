"""Private calendar feeds: a secret URL, shown once, stored only as its SHA-256; revocable; the
.ics holds the user's own sessions and nothing else."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships import calendar_feed, session_services
from carelead.apprenticeships.models import CalendarFeed
from carelead.apprenticeships.tests.factories_sessions import apprenticeship_of, coach_at, cohort, session_at
from carelead.core.actor import Actor
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(reference_data):
    soon = timezone.now().replace(microsecond=0) + timedelta(days=3)
    return cohort(starts_at=soon, title="Coaching: safeguarding adults")


def make_link(client) -> str:
    response = client.post(reverse("apprenticeships:calendar-feed"), {"action": "new"})
    assert response.status_code == 200
    url = re.search(r'value="(http[^"]+\.ics)"', response.content.decode())[1]
    return url.removeprefix("http://testserver")


def events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_the_link_is_shown_once_and_only_its_hash_is_kept(group, sign_in):
    client = sign_in(group.amara.apprentice)
    path = make_link(client)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=group.amara.apprentice)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    page = client.get(reverse("apprenticeships:calendar-feed")).content.decode()
    assert token not in page and "cannot be shown again" in page
    assert AuditEvent.objects.filter(actor=group.amara.apprentice, action="create",
                                     subject=f"apprenticeships.CalendarFeed:{feed.pk}").exists()


def test_the_feed_is_an_icalendar_of_the_apprentices_sessions(group, sign_in, client):
    path = make_link(sign_in(group.amara.apprentice))
    client.logout()
    response = client.get(path)  # calendar apps do not sign in
    [event] = events(response)
    session = group.session
    assert str(event["UID"]) == f"{session.public_id}@carelead"
    assert str(event["SUMMARY"]) == "Coaching: safeguarding adults"
    assert event.decoded("DTSTART") == session.starts_at.astimezone(UTC)
    assert event.decoded("DTEND") == session.ends_at.astimezone(UTC)
    assert str(event["URL"]) == session.join_url == str(event["LOCATION"])
    assert event["SEQUENCE"] == 0 and "DTSTAMP" in event and str(event["STATUS"]) == "CONFIRMED"
    assert "Amara" not in response.content.decode() and "Ben" not in response.content.decode()
    assert CalendarFeed.objects.get().last_used_at is not None
    assert AuditEvent.objects.filter(actor=group.amara.apprentice, action="export", via="feed").exists()


def test_a_change_raises_the_sequence_and_a_cancelled_session_stays_as_cancelled(group, sign_in, client):
    path = make_link(sign_in(group.coach))
    coach = Actor(group.coach.user)
    session_services.update_session(actor=coach, session=group.session, title="Coaching: moved")
    session_services.cancel_session(actor=coach, session=group.session)
    [event] = events(client.get(path))
    assert (event["SEQUENCE"], str(event["STATUS"]), str(event["SUMMARY"])) == (2, "CANCELLED", "Coaching: moved")


def test_another_users_sessions_and_old_ones_are_not_in_the_feed(group, sign_in, client):
    elsewhere = session_at(group.coach, group.ben, title="Ben only")
    session_at(group.coach, group.amara, title="Long ago", starts_at=timezone.now() - timedelta(days=91, hours=2))
    session_at(group.coach, group.amara, title="Lately", starts_at=timezone.now() - timedelta(days=89))
    path = make_link(sign_in(group.amara.apprentice))
    titles = {str(event["SUMMARY"]) for event in events(client.get(path))}
    assert titles == {"Coaching: safeguarding adults", "Lately"}
    assert elsewhere.title not in titles


def test_the_coachs_feed_holds_the_sessions_they_organise(group, sign_in, client):
    path = make_link(sign_in(group.coach))
    assert [str(e["SUMMARY"]) for e in events(client.get(path))] == ["Coaching: safeguarding adults"]


def test_a_colleagues_feed_holds_only_sessions_where_an_apprentice_they_coach_is_invited(group, sign_in, client):
    colleague = coach_at(group.provider)
    dev = apprenticeship_of(colleague, "dev.shah@example.org", "Dev Shah")
    shared = session_at(group.coach, group.amara, dev, title="Shared", starts_at=timezone.now() + timedelta(days=5))
    own = session_at(colleague, title="Their own", starts_at=timezone.now() + timedelta(days=6))
    path = make_link(sign_in(colleague))
    titles = [str(e["SUMMARY"]) for e in events(client.get(path))]
    assert titles == [shared.title, own.title]  # not Sam's session with only Sam's apprentices
    assert "Amara" not in client.get(path).content.decode()


def test_a_new_link_revokes_the_old_and_turning_off_revokes_it(group, sign_in):
    client = sign_in(group.amara.apprentice)
    old = make_link(client)
    new = make_link(client)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.post(reverse("apprenticeships:calendar-feed"), {"action": "off"})
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(actor=group.amara.apprentice, action="delete").count() == 1


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 300, ""])
def test_an_unknown_token_is_a_404(client, db, token):
    assert client.get(f"/apprenticeships/calendar/{token}.ics").status_code == 404


def test_a_deactivated_users_feed_stops(group):
    feed, token = calendar_feed.make_feed(actor=Actor(group.amara.apprentice))
    assert calendar_feed.feed_for_token(token) == feed
    group.amara.apprentice.is_active = False
    group.amara.apprentice.save()
    assert calendar_feed.feed_for_token(token) is None


def test_the_feed_makes_the_same_queries_for_1_or_10_sessions(group, django_assert_max_num_queries):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _, token = calendar_feed.make_feed(actor=Actor(group.amara.apprentice))
    client, url = Client(), f"/apprenticeships/calendar/{token}.ics"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(9):
        session_at(group.coach, group.amara, starts_at=datetime(2030, 1, 1 + day, 10, tzinfo=UTC))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(events(client.get(url))) == 10
