"""Private iCalendar feeds of sessions (issue 5): each apprentice and coach may make a secret URL that
Outlook or a phone's calendar subscribes to. The secret is shown once; only its SHA-256 is kept,
so a copy of the database opens no feed. Making a new link revokes the old one; turning the feed
off revokes it. The feed holds the user's sessions (organised by them, with an apprentice they
coach invited, or invited to as an apprentice) from the last 90 days on, with cancelled ones
marked cancelled, and never anything about people supported.
"""

import hashlib
import secrets
from datetime import timedelta

import icalendar
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import session_selectors
from carelead.apprenticeships.models import CalendarFeed, TrainingSession
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action

PAST_DAYS = 90
PRODID = "-//carelead//Apprenticeship sessions//EN"
CALENDAR_NAME = "carelead sessions"
UID_DOMAIN = "carelead"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def _revoke_live(user, now) -> list[int]:
    live = list(CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
                .values_list("pk", flat=True))
    CalendarFeed.objects.filter(pk__in=live).update(revoked_at=now)
    return live


@transaction.atomic
def make_feed(*, actor: Actor) -> tuple[CalendarFeed, str]:
    """A new private feed for the actor, revoking any live one; returns it with its secret token,
    which is never stored and cannot be shown again."""
    now = timezone.now()
    revoked = _revoke_live(actor.user, now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor.user, token_hash=token_hash(token), created_at=now)
    audit.record(actor, Action.CREATE, feed, details={"revoked": revoked})
    return feed, token


@transaction.atomic
def turn_off_feed(*, actor: Actor) -> bool:
    """Revoke the actor's live feed; False when there was none."""
    revoked = _revoke_live(actor.user, timezone.now())
    for pk in revoked:
        audit.record(actor, Action.DELETE, CalendarFeed(pk=pk), details={"revoked": True})
    return bool(revoked)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed this token opens, with its user, or None (unknown, revoked, or the user gone)."""
    if not token or len(token) > 200:
        return None
    return (CalendarFeed.objects.select_related("user")
            .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True).first())


def mark_used(feed: CalendarFeed) -> None:
    """Note when a calendar last fetched the feed (one UPDATE, no read)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())


def feed_sessions(user, now=None) -> list[TrainingSession]:
    """The user's sessions for their feed, the same ones the sessions page shows them
    (`session_selectors.sessions_for`): organised by them, with an apprentice they coach invited, or
    they are an invited apprentice; from 90 days ago on (cancelled ones included, to be shown as
    cancelled). One query."""
    now = now or timezone.now()
    return list(session_selectors.sessions_for(user).filter(ends_at__gte=now - timedelta(days=PAST_DAYS))
                .order_by("starts_at", "pk"))


def calendar_bytes(sessions: list[TrainingSession], *, now=None) -> bytes:
    """The sessions as an iCalendar (RFC 5545) document. Times are in UTC, which every calendar
    reads without a VTIMEZONE; UID is stable per session and SEQUENCE goes up with each change, so
    a calendar replaces its copy rather than adding a second one."""
    now = now or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for session in sessions:
        calendar.add_component(_event(session, now))
    return calendar.to_ical()


def _event(session: TrainingSession, now) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{session.public_id}@{UID_DOMAIN}")
    event.add("dtstamp", now)
    event.add("last-modified", session.updated_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("sequence", session.sequence)
    event.add("summary", session.title)
    event.add("status", "CANCELLED" if session.cancelled_at else "CONFIRMED")
    event.add("transp", "OPAQUE")
    lines = [f"{session.get_kind_display()} with {session.provider.name}."]
    if session.join_url:
        event.add("url", session.join_url)
        event.add("location", session.join_url)
        lines.append(f"Join: {session.join_url}")
    elif session.venue:
        event.add("location", session.venue)
    if session.description:
        lines.append(session.description)
    event.add("description", "\n\n".join(lines))
    return event
