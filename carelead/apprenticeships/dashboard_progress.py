"""What the apprentice's dashboard and the progress API show for one apprenticeship: the caseload
row (time gone, OTJ, KSBs, next review), the next session with its join link, the actions due from
the latest signed review, and what waits for signatures. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse

from carelead.apprenticeships.caseload import CaseloadRow, row_for, with_figures
from carelead.apprenticeships.models import (
    Apprenticeship, ProgressReview, ReviewAction, ReviewStatus, SessionAttendee, TrainingSession,
)

# The other parts' pages, by URL name (each takes the apprenticeship's public_id).
PROGRAMME_PAGES = (
    ("plan", "Training plan", "apprenticeships:training-plan"),
    ("sessions", "Sessions", "apprenticeships:apprenticeship-sessions"),
    ("otj", "Off-the-job hours", "apprenticeships:otj-list"),
    ("reviews", "Progress reviews", "apprenticeships:review-list"),
)


def page_url(name: str, apprenticeship: Apprenticeship) -> str | None:
    """The URL of one of the programme's pages, or None while that part is not installed."""
    try:
        return reverse(name, args=[apprenticeship.public_id])
    except NoReverseMatch:
        return None


def programme_links(apprenticeship: Apprenticeship) -> dict[str, dict]:
    return {key: {"label": label, "url": page_url(name, apprenticeship)} for key, label, name in PROGRAMME_PAGES}


@dataclass(frozen=True)
class ActionDue:
    action: ReviewAction
    overdue: bool


@dataclass(frozen=True)
class Progress:
    row: CaseloadRow
    next_session: TrainingSession | None
    actions: list[ActionDue]
    reviews_for_apprentice: int  # reviews waiting for the apprentice's signature

    @property
    def apprenticeship(self) -> Apprenticeship:
        return self.row.apprenticeship


def _actions_due(apprenticeship: Apprenticeship, today: date) -> list[ActionDue]:
    """Open actions of the latest signed review, soonest first (one query)."""
    latest = ProgressReview.objects.filter(apprenticeship=apprenticeship, status=ReviewStatus.SIGNED).order_by(
        "-held_on", "-number").values("pk")[:1]
    actions = ReviewAction.objects.filter(review=Subquery(latest), completed_on__isnull=True).order_by(
        "due_on", "position", "pk")
    return [ActionDue(action, action.due_on < today) for action in actions]


def progress_of(apprenticeships: QuerySet[Apprenticeship], today: date, now: datetime) -> Progress | None:
    """The dashboard of the first of `apprenticeships` (already ordered and scoped), or None."""
    awaiting = ProgressReview.objects.filter(apprenticeship=OuterRef("pk"), status=ReviewStatus.AWAITING_APPRENTICE)
    first = with_figures(apprenticeships, today, now).annotate(for_apprentice=Subquery(
        awaiting.order_by().values("apprenticeship").annotate(n=Count("pk")).values("n")[:1])).first()
    if first is None:
        return None
    row = row_for(first, today)
    attendance = (SessionAttendee.objects.filter(apprenticeship=row.apprenticeship, session__starts_at__gte=now,
                                                 session__cancelled_at__isnull=True)
                  .select_related("session").order_by("session__starts_at").first())
    return Progress(row=row, next_session=attendance.session if attendance else None,
                    actions=_actions_due(row.apprenticeship, today),
                    reviews_for_apprentice=row.apprenticeship.for_apprentice or 0)
