"""Reads of an apprenticeship's outcome (issue 6 "Completion"); the apprenticeship is reached first
through `selectors.apprenticeship_for` (404 out of reach)."""

from carelead.apprenticeships.models import Apprenticeship, ApprenticeshipCompletion


def completion_of(apprenticeship: Apprenticeship) -> ApprenticeshipCompletion | None:
    """The recorded achievement with who recorded it (one query), or None."""
    completion = (ApprenticeshipCompletion.objects.filter(apprenticeship=apprenticeship)
                  .select_related("recorded_by").first())
    if completion is not None:
        completion.apprenticeship = apprenticeship
    return completion
