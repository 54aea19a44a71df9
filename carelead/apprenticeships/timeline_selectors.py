"""Reads behind the apprentice's timeline (issue 6): one bounded query per kind of thing on it, for
the months of one page, whatever the size of the portfolio.

- LED: practice records in the portfolio, read from the redacted SNAPSHOT kept when attached
  (`PortfolioEvidence.source_snapshot`), never from the care records themselves.
- LEARNED: off-the-job entries approved or waiting for approval (a session attended comes in as an
  entry from its attendance report, so it is named as a session).
- ASSESSED: the coach's decisions on evidence (accepted, needs more work: each decision from the
  item's history, so an item sent back and later accepted shows both) and progress reviews signed
  by all three.
Reach is decided before this by `selectors.apprenticeship_for`.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Min, Subquery
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships.models import (
    Apprenticeship, EvidenceEvent, EvidenceEventKind, EvidenceKind, OffTheJobEntry, OtjStatus, PortfolioEvidence,
    ProgressReview, ReviewStatus,
)
from carelead.apprenticeships.otj import hours_and_minutes
from carelead.apprenticeships.parties import is_locked
from carelead.apprenticeships.timeline import ASSESSED, LEARNED, LED, STRANDS, Event, Window, window

LEARNED_STATUSES = (OtjStatus.APPROVED, OtjStatus.SUBMITTED)
DECISIONS = (EvidenceEventKind.ACCEPTED, EvidenceEventKind.NEEDS_MORE_WORK)


def _evidence_url(public_id) -> str:
    return reverse("apprenticeships:evidence-detail", args=[public_id])


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def led_in_practice(apprenticeship: Apprenticeship, since: date, until: date) -> list[Event]:
    """Practice records the apprentice attached, dated in the range, told by their redacted snapshot (one query)."""
    items = PortfolioEvidence.objects.filter(
        apprenticeship_id=apprenticeship.pk, kind=EvidenceKind.PRACTICE_RECORD, occurred_on__range=(since, until),
    ).only("public_id", "title", "occurred_on", "status", "source_snapshot").order_by()
    return [Event(strand=LED, on=item.occurred_on, kind=item.source_snapshot.get("source_label") or "Practice record",
                  title=item.source_snapshot.get("title") or item.title, detail=item.source_snapshot.get("summary", ""),
                  status=f"Portfolio: {item.get_status_display().lower()}", url=_evidence_url(item.public_id),
                  key=f"evidence:{item.public_id}") for item in items]


def learned(apprenticeship: Apprenticeship, since: date, until: date) -> list[Event]:
    """Off-the-job training approved or waiting for approval, dated in the range (one query)."""
    entries = OffTheJobEntry.objects.filter(
        apprenticeship_id=apprenticeship.pk, status__in=LEARNED_STATUSES, entry_date__range=(since, until),
    ).select_related("session").order_by()
    return [Event(strand=LEARNED, on=entry.entry_date,
                  kind="Session attended" if entry.session_id else "Off-the-job training",
                  title=entry.session.title if entry.session_id else entry.get_activity_type_display(),
                  detail=f"{hours_and_minutes(entry.minutes)}. {entry.what_learned}",
                  status=entry.get_status_display(), url=reverse("apprenticeships:otj-entry", args=[entry.public_id]),
                  key=f"otj:{entry.public_id}") for entry in entries]


def evidence_decisions(apprenticeship: Apprenticeship, since: date, until: date) -> list[Event]:
    """The coach's decisions on the apprentice's evidence made in the range, from each item's history (one query)."""
    events = EvidenceEvent.objects.filter(
        evidence__apprenticeship_id=apprenticeship.pk, event__in=DECISIONS,
        changed_at__gte=_start_of(since), changed_at__lt=_start_of(until + timedelta(days=1)),
    ).select_related("evidence").only(
        "event", "changed_at", "comment", "number", "evidence__public_id", "evidence__title", "evidence__kind",
    ).order_by()
    return [Event(strand=ASSESSED, on=timezone.localdate(event.changed_at),
                  kind=f"Evidence {event.get_event_display().lower()}", title=event.evidence.title,
                  detail=event.evidence.get_kind_display(), status=event.get_event_display(),
                  url=_evidence_url(event.evidence.public_id),
                  key=f"decision:{event.evidence.public_id}:{event.number}")
            for event in events]


def reviews_signed(apprenticeship: Apprenticeship, since: date, until: date) -> list[Event]:
    """Progress reviews signed by all three, held in the range (one query)."""
    reviews = ProgressReview.objects.filter(
        apprenticeship_id=apprenticeship.pk, status=ReviewStatus.SIGNED, held_on__range=(since, until),
    ).only("public_id", "number", "held_on").order_by()
    return [Event(strand=ASSESSED, on=review.held_on, kind="Progress review", title=f"Progress review {review.number}",
                  status="Signed by all three",
                  url=reverse("apprenticeships:review-detail", args=[apprenticeship.public_id, review.public_id]),
                  key=f"review:{review.public_id}") for review in reviews]


def earliest_on(apprenticeship: Apprenticeship) -> date:
    """The start, or an earlier practice record in the portfolio (one query): the timeline's oldest page."""
    first = PortfolioEvidence.objects.filter(apprenticeship_id=apprenticeship.pk).aggregate(first=Min("occurred_on"))
    return min(filter(None, [apprenticeship.start_date, first["first"]]))


def latest_on(apprenticeship: Apprenticeship) -> date | None:
    """The day of the newest thing on the timeline, of any strand (one query), or None when there is none."""
    pk = apprenticeship.pk
    newest = {
        "led": Subquery(PortfolioEvidence.objects.filter(apprenticeship_id=pk, kind=EvidenceKind.PRACTICE_RECORD)
                        .order_by("-occurred_on").values("occurred_on")[:1]),
        "learned": Subquery(OffTheJobEntry.objects.filter(apprenticeship_id=pk, status__in=LEARNED_STATUSES)
                            .order_by("-entry_date").values("entry_date")[:1]),
        "decided": Subquery(EvidenceEvent.objects.filter(evidence__apprenticeship_id=pk, event__in=DECISIONS)
                            .order_by("-changed_at").values("changed_at")[:1]),
        "reviewed": Subquery(ProgressReview.objects.filter(apprenticeship_id=pk, status=ReviewStatus.SIGNED)
                             .order_by("-held_on").values("held_on")[:1]),
    }
    row = Apprenticeship.objects.filter(pk=pk).annotate(**newest).values(*newest).first() or {}
    decided = row.get("decided")
    days = [row.get("led"), row.get("learned"), row.get("reviewed"), timezone.localdate(decided) if decided else None]
    return max(filter(None, days), default=None)


def timeline_window(apprenticeship: Apprenticeship, *, today: date, page: int) -> Window:
    """Page 1 ends this month; for a completed or withdrawn apprenticeship it ends at the month of the
    newest thing on the timeline instead, so an apprenticeship that ended long ago does not open on
    empty months."""
    if is_locked(apprenticeship):
        today = min(filter(None, [today, latest_on(apprenticeship)]))
    return window(today=today, page=page, earliest=earliest_on(apprenticeship))


def events_of(apprenticeship: Apprenticeship, *, since: date, until: date,
              strands: tuple[str, ...] = STRANDS) -> list[Event]:
    """Everything on the timeline in the range for the strands asked for: at most four queries."""
    events: list[Event] = []
    if LED in strands:
        events += led_in_practice(apprenticeship, since, until)
    if LEARNED in strands:
        events += learned(apprenticeship, since, until)
    if ASSESSED in strands:
        events += evidence_decisions(apprenticeship, since, until) + reviews_signed(apprenticeship, since, until)
    return events
