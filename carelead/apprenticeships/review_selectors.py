"""Reads of progress reviews (issue 5, reference/apprenticeship-standard.md §5.1).

A review is reached through its apprenticeship, itself fetched through `selectors.apprenticeships_for`
(404 out of reach). Each read loads what its page shows in a fixed number of queries; the schedule
of many apprenticeships (for the dashboards) is one aggregate query, and the figures a new review
opens with are aggregated in the database.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from uuid import UUID

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from carelead.apprenticeships import parties, review_schedule, rules, selectors
from carelead.apprenticeships.models import (
    Apprenticeship, Ksb, OffTheJobEntry, OtjStatus, Party, ProgressReview, ReviewAction, ReviewStatus,
    SessionAttendee, Signature, TrainingPlanActivity,
)
from carelead.apprenticeships.selectors import KIND_ORDER
from carelead.core.permissions import Perm
from carelead.organisations.selectors import organisations_granting

SIGNING_ORDER = parties.SIGNING_ORDER  # §5.1: coach, apprentice, employer
# Whose signature each status waits for.
WAITING_FOR = {ReviewStatus.DRAFT: Party.PROVIDER, ReviewStatus.AWAITING_APPRENTICE: Party.APPRENTICE,
               ReviewStatus.AWAITING_EMPLOYER: Party.EMPLOYER, ReviewStatus.SIGNED: None}
PARTY_NAMES = {Party.PROVIDER: "Skills coach (training provider)", Party.APPRENTICE: "Apprentice",
               Party.EMPLOYER: "Employer"}
NO_REVIEW = "No such progress review, or not one you may see"


def tenths(value) -> Decimal:
    """Hours rounded half up to 0.1 h, the precision every OTJ figure is shown at."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _with_content(reviews: QuerySet[ProgressReview]) -> QuerySet[ProgressReview]:
    return reviews.select_related("created_by").prefetch_related(
        Prefetch("signatures", queryset=Signature.objects.select_related("signed_by").order_by("signed_at", "pk")),
        Prefetch("actions", queryset=ReviewAction.objects.order_by("position", "pk")))


def reviews_of(apprenticeship: Apprenticeship) -> list[ProgressReview]:
    """Every review of the apprenticeship, latest first, with signatures and actions (three queries)."""
    return list(_with_content(apprenticeship.progress_reviews.order_by("-number")))


def review_for(apprenticeship: Apprenticeship, public_id: UUID) -> ProgressReview:
    """One review of this apprenticeship with its content; 404 otherwise."""
    review = _with_content(apprenticeship.progress_reviews.filter(public_id=public_id)).first()
    if review is None:
        raise Http404(NO_REVIEW)
    review.apprenticeship = apprenticeship
    return review


def review_for_user(user, public_id: UUID) -> ProgressReview:
    """One review of an apprenticeship in the user's reach (the API's /reviews/<id>/); 404 otherwise."""
    reach = selectors.apprenticeships_for(user)
    review = _with_content(ProgressReview.objects.filter(apprenticeship__in=reach.values("pk"), public_id=public_id)
                           .select_related("apprenticeship__apprentice", "apprenticeship__employer",
                                           "apprenticeship__provider", "apprenticeship__coach",
                                           "apprenticeship__standard_version__standard")).first()
    if review is None:
        raise Http404(NO_REVIEW)
    return review


def signatures_by_party(review: ProgressReview) -> dict[str, Signature]:
    return {signature.party: signature for signature in review.signatures.all()}


def signature_rows(review: ProgressReview) -> list[dict]:
    """One row per party in signing order: its signature, if any, and whether it is awaited next."""
    signed = signatures_by_party(review)
    waiting = WAITING_FOR[ReviewStatus(review.status)]
    return parties.signature_rows(signed, waiting=waiting, names=PARTY_NAMES)


def open_review(apprenticeship: Apprenticeship) -> ProgressReview | None:
    """The review not yet signed by all three, if any (only one at a time)."""
    return apprenticeship.progress_reviews.exclude(status=ReviewStatus.SIGNED).order_by("-number").first()


def last_signed_review(apprenticeship: Apprenticeship) -> ProgressReview | None:
    return (apprenticeship.progress_reviews.filter(status=ReviewStatus.SIGNED).order_by("-held_on", "-number")
            .prefetch_related(Prefetch("actions", queryset=ReviewAction.objects.order_by("position", "pk"))).first())


# --- The schedule (§5.1) ----------------------------------------------------------------------------


def schedule(*, start: date, last_held_on: date | None, today: date) -> dict:
    """When the next review is due and whether it is in date, due (within 14 days) or overdue."""
    due_on = review_schedule.next_due(start=start, last_held_on=last_held_on)
    state = rules.review_state(due_on, today)
    return {"due_on": due_on, "state": state, "last_held_on": last_held_on,
            "label": rules.REVIEW_STATE_LABELS[state], "colour": rules.REVIEW_STATE_COLOURS[state]}


def next_reviews(apprenticeships, *, today: date | None = None) -> dict[int, dict]:
    """{apprenticeship pk: {due_on, state, last_held_on, label, colour}} for many apprenticeships in one
    aggregate query (the latest held date of each one's signed reviews); the start dates are read
    from the apprenticeships given, so pass loaded rows, not a queryset to be read again."""
    today = today or timezone.localdate()
    rows = list(apprenticeships)
    held = dict(ProgressReview.objects.filter(apprenticeship__in=[row.pk for row in rows], status=ReviewStatus.SIGNED)
                .values("apprenticeship").annotate(last=Max("held_on")).values_list("apprenticeship", "last"))
    return {row.pk: schedule(start=row.start_date, last_held_on=held.get(row.pk), today=today) for row in rows}


def awaiting_signature_for(user) -> QuerySet[ProgressReview]:
    """Reviews waiting for this user's party to sign (one query): their own as the apprentice, and
    as the employer (a contact or registered manager of the employer, as parties.parties_of decides)
    those of their organisations' apprentices. The coach signs first, so nothing waits for them."""
    if not getattr(user, "is_authenticated", False):
        return ProgressReview.objects.none()
    employers = organisations_granting(user, Perm.APPRENTICESHIP_VIEW).values("pk")
    waiting = (Q(status=ReviewStatus.AWAITING_APPRENTICE, apprenticeship__apprentice=user)
               | (Q(status=ReviewStatus.AWAITING_EMPLOYER, apprenticeship__employer__in=employers)
                  & ~Q(apprenticeship__apprentice=user)))
    return (ProgressReview.objects.filter(waiting)
            .select_related("apprenticeship__apprentice", "apprenticeship__employer", "apprenticeship__coach")
            .order_by("due_on", "pk"))


# --- What a new review opens with (§5.1, P60) -------------------------------------------------------


def _planned_activities(apprenticeship: Apprenticeship) -> tuple[int | None, list[rules.PlannedActivity]]:
    """The OTJ activities of the latest training plan version signed by all three (two queries)."""
    agreed = (apprenticeship.training_plans.annotate(parties=Count("signatures__party", distinct=True))
              .filter(parties__gte=len(SIGNING_ORDER)).order_by("-number").values("pk", "number").first())
    if agreed is None:
        return None, []
    rows = TrainingPlanActivity.objects.filter(plan_id=agreed["pk"], counts_as_otj=True).values_list(
        "planned_from", "planned_to", "planned_hours")
    return agreed["number"], [rules.PlannedActivity(planned_from=start, planned_to=end, hours=hours)
                              for start, end, hours in rows]


def _approved(apprenticeship: Apprenticeship) -> QuerySet[OffTheJobEntry]:
    return OffTheJobEntry.objects.filter(apprenticeship=apprenticeship, status=OtjStatus.APPROVED)


def approved_minutes(apprenticeship: Apprenticeship, first_day: date | None, last_day: date) -> int:
    """Minutes of approved OTJ entries dated in the days given (from the beginning when no first day),
    summed in the database."""
    entries = _approved(apprenticeship).filter(entry_date__lte=last_day)
    if first_day is not None:
        entries = entries.filter(entry_date__gte=first_day)
    return entries.aggregate(total=Sum("minutes"))["total"] or 0


def _sessions(apprenticeship: Apprenticeship, window: review_schedule.Window) -> list[dict]:
    rows = (SessionAttendee.objects.filter(apprenticeship=apprenticeship, attended_minutes__gt=0,
                                           session__starts_at__date__gte=window.first_day,
                                           session__starts_at__date__lte=window.last_day)
            .select_related("session").order_by("session__starts_at", "pk"))
    return [{"title": row.session.title, "date": timezone.localdate(row.session.starts_at).isoformat(),
             "kind": row.session.get_kind_display(), "minutes": row.attended_minutes} for row in rows]


def _ksbs(apprenticeship: Apprenticeship, window: review_schedule.Window) -> list[dict]:
    entries = _approved(apprenticeship).filter(entry_date__gte=window.first_day, entry_date__lte=window.last_day)
    through = OffTheJobEntry.ksbs.through
    ksbs = Ksb.objects.filter(pk__in=through.objects.filter(offthejobentry__in=entries).values("ksb_id")).order_by(
        KIND_ORDER, "position", "pk")
    return [{"code": ksb.code, "text": ksb.text} for ksb in ksbs]


def _actions_of(review: ProgressReview | None) -> list[dict]:
    if review is None:
        return []
    return [{"id": action.pk, "description": action.description, "measure": action.measure,
             "owner": action.owner, "owner_label": action.get_owner_display(), "due_on": action.due_on.isoformat(),
             "done": None} for action in review.actions.all()]


def prefill_for(apprenticeship: Apprenticeship, *, today: date) -> dict:
    """Everything since the last signed review, as a new review opens with it and keeps it for ever
    (§5.1, P60): OTJ planned and done in the window and the slippage, totals to date against the
    minimum, sessions attended, KSBs with new evidence, and the last review's actions."""

    last = last_signed_review(apprenticeship)
    window = review_schedule.review_window(start=apprenticeship.start_date,
                                           last_held_on=last.held_on if last else None, today=today)
    plan_number, activities = _planned_activities(apprenticeship)
    planned = tenths(review_schedule.planned_in_window(activities, window))
    actual = tenths(Fraction(approved_minutes(apprenticeship, window.first_day, window.last_day), 60))
    minimum = selectors.minimum_otj(apprenticeship, selectors.current_weekly_hours(
        selectors.weekly_hours_history(apprenticeship), today))
    return {
        "window": {"from": window.first_day.isoformat(), "to": window.last_day.isoformat()},
        "last_review": {"number": last.number, "held_on": last.held_on.isoformat()} if last else None,
        "otj": {
            "plan_version": plan_number,
            "planned_hours": str(planned), "actual_hours": str(actual),
            "slippage_hours": str(review_schedule.slippage_hours(planned=planned, actual=actual)),
            "planned_to_date_hours": str(tenths(rules.planned_hours_by(activities, today))),
            "actual_to_date_hours": str(tenths(Fraction(approved_minutes(apprenticeship, None, today), 60))),
            "minimum_hours": None if minimum["hours"] is None else str(minimum["hours"]),
            "minimum_reason": minimum["reason"],
        },
        "sessions": _sessions(apprenticeship, window),
        "ksbs": _ksbs(apprenticeship, window),
        "last_actions": _actions_of(last),
    }
