"""Practice records of the apprenticeships app that can become evidence (DESIGN.md "Practice becomes
evidence", registry `core.evidence`): training a user delivered, read as the sessions they organised
that have taken place and were not cancelled.

The summary gives the kind of session, what it counts as, its length and how many apprentices were
invited and attended; never the session's title, description or venue (free text that may name
someone) nor who attended. Dated by the session's UK start date. `items_led_by` is one query, newest
first; `item` is None for a session the user did not organise, one still to come, a cancelled one or
an unknown id.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from carelead.apprenticeships.models import SessionKind, TrainingSession
from carelead.apprenticeships.otj import ACTIVITY_LABELS, hours_and_minutes
from carelead.core.evidence import EvidenceItem, date_bounds, declare

TRAINING_DELIVERED = "apprenticeships.training_delivered"


def _training_items(user, *, since=None, until=None, public_id=None) -> list[EvidenceItem]:
    """Sessions the user organised, already over and not cancelled, with attendee counts: one query."""
    sessions = (TrainingSession.objects.filter(organiser=user, cancelled_at__isnull=True, ends_at__lte=timezone.now(),
                                               **date_bounds("starts_at__date", since, until),
                                               **({"public_id": public_id} if public_id else {}))
                .annotate(invited=Count("attendees"),
                          attended=Count("attendees", filter=Q(attendees__attended_minutes__gt=0)),
                          reported=Count("attendees", filter=Q(attendees__attended_minutes__isnull=False)))
                .only("public_id", "kind", "activity_type", "starts_at", "ends_at")
                .order_by("-starts_at", "-id"))
    return [_training_item(user, session) for session in sessions]


def _training_item(user, session: TrainingSession) -> EvidenceItem:
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    kind = SessionKind(session.kind).label if session.kind in SessionKind.values else "Session"
    counts = ACTIVITY_LABELS.get(session.activity_type, "")
    invited = f"{session.invited} {'apprentice' if session.invited == 1 else 'apprentices'} invited"
    attended = f"; {session.attended} attended" if session.reported else "; attendance not yet recorded"
    activity = f" Activity: {counts}." if counts else ""
    summary = f"{kind} delivered: {hours_and_minutes(minutes)}.{activity} {invited}{attended}."
    return EvidenceItem(source=TRAINING_DELIVERED, record_id=str(session.public_id), led_by_id=user.pk,
                        occurred_on=timezone.localdate(session.starts_at), title=f"Delivered a {kind.lower()}",
                        summary=summary, themes=("Professional development",))


training_source = declare(TRAINING_DELIVERED, "Training delivered",
                          "Sessions you organised and delivered (not cancelled)", _training_items)
