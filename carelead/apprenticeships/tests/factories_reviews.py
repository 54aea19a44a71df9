"""Progress reviews for tests: a signed review with actions, the form's POST data, and a fixed 'today'."""

from datetime import date

from django.utils import timezone

from carelead.apprenticeships.models import ActionOwner, Party, ReviewAction, ReviewStatus, Signature
from carelead.apprenticeships.tests.factories import ProgressReviewFactory

REAL_LOCALDATE = timezone.localdate


def fix_today(monkeypatch, day: date) -> None:
    """timezone.localdate() answers `day` (given a value, it still converts that value)."""
    def localdate(value=None, timezone_=None):
        return day if value is None else REAL_LOCALDATE(value)

    monkeypatch.setattr(timezone, "localdate", localdate)


def signed_review(apprenticeship, *, held_on: date, number: int = 1, actions: int = 0, **fields):
    """A review signed online by all three (the coach for the provider)."""
    review = ProgressReviewFactory(apprenticeship=apprenticeship, number=number, held_on=held_on,
                                   status=ReviewStatus.SIGNED, progress="Good progress", **fields)
    for party in (Party.PROVIDER, Party.APPRENTICE, Party.EMPLOYER):
        Signature.objects.create(review=review, party=party, signed_by=apprenticeship.coach)
    for n in range(actions):
        ReviewAction.objects.create(review=review, description=f"Write reflective account {n + 1}",
                                    measure="Uploaded to the portfolio", owner=ActionOwner.APPRENTICE,
                                    due_on=date(2026, 1, 31), position=n + 1)
    return review


def form_data(review, *, held_on=(20, 11, 2025), actions=None, **overrides) -> dict:
    """POST data for the coach's form: the review's content and its SMART actions."""
    actions = [{"description": "Complete the safeguarding module", "measure": "Certificate uploaded",
                "owner": "apprentice", "due_on": (31, 1, 2026)}] if actions is None else actions
    data = {"seen_version": review.version, "held_on_0": held_on[0], "held_on_1": held_on[1],
            "held_on_2": held_on[2], "progress": "Confident leading handovers.", "employer_comments": "Going well",
            "wellbeing": "Well", "safeguarding_concern": "no", "safeguarding_notes": "",
            "changes_of_circumstance": "", "actions-TOTAL_FORMS": len(actions), "actions-INITIAL_FORMS": 0,
            "actions-MIN_NUM_FORMS": 0, "actions-MAX_NUM_FORMS": 30}
    for index, row in enumerate(actions):
        day, month, year = row["due_on"]
        data.update({f"actions-{index}-description": row["description"], f"actions-{index}-measure": row["measure"],
                     f"actions-{index}-owner": row["owner"], f"actions-{index}-due_on_0": day,
                     f"actions-{index}-due_on_1": month, f"actions-{index}-due_on_2": year})
    data.update(overrides)
    return data
