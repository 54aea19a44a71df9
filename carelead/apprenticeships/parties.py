"""Who someone is on one apprenticeship: the apprentice, the provider (its skills coach) or the
employer. Every programme write asks this after the scoped selector has found the record, so a
coach acts only on their own apprentices and an employer only on its own (issue 5, "Parties and
access"). Reads stay with `selectors.apprenticeships_for`.
"""

from django.core.exceptions import ValidationError

from carelead.apprenticeships.models import Apprenticeship, ApprenticeshipStatus, Party
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.permissions import Perm
from carelead.organisations.selectors import organisations_granting

LOCKED_STATUSES = frozenset({ApprenticeshipStatus.WITHDRAWN, ApprenticeshipStatus.COMPLETED})
LOCKED_MESSAGE = "This apprenticeship is {status}: its records are locked."


def parties_of(user, apprenticeship: Apprenticeship) -> frozenset[str]:
    """The parties `user` acts for on this apprenticeship (at most two queries; none for the apprentice).

    PROVIDER: the apprenticeship's coach while they hold APPRENTICESHIP_MANAGE at its provider.
    EMPLOYER: anyone holding APPRENTICESHIP_VIEW at the employer while a current member there (an
    employer contact, the registered manager, the organisation admin who employs a Lead PA), never
    the apprentice. Being named as a contact on the apprenticeship is not enough by itself.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    parties = set()
    if user.pk == apprenticeship.apprentice_id:
        parties.add(Party.APPRENTICE)
    if user.pk == apprenticeship.coach_id and organisations_granting(user, Perm.APPRENTICESHIP_MANAGE).filter(
            pk=apprenticeship.provider_id).exists():
        parties.add(Party.PROVIDER)
    if user.pk != apprenticeship.apprentice_id and organisations_granting(user, Perm.APPRENTICESHIP_VIEW).filter(
            pk=apprenticeship.employer_id).exists():
        parties.add(Party.EMPLOYER)
    return frozenset(parties)


def require_party(actor: Actor, apprenticeship: Apprenticeship, *allowed: str) -> frozenset[str]:
    """NotAllowed unless the actor acts for one of `allowed` parties; returns the parties they hold."""
    parties = parties_of(actor.user, apprenticeship)
    if not parties & set(allowed):
        raise NotAllowed(f"only the {' or '.join(allowed)} may do this on this apprenticeship")
    return parties


def is_locked(apprenticeship: Apprenticeship) -> bool:
    return apprenticeship.status in LOCKED_STATUSES


def require_open(apprenticeship: Apprenticeship) -> None:
    """ValidationError when the apprenticeship is withdrawn or completed: its records are locked."""
    if is_locked(apprenticeship):
        raise ValidationError(LOCKED_MESSAGE.format(status=apprenticeship.get_status_display().lower()))


# Plans (§5.2) and reviews (§5.1) are signed in the same order: the provider (its skills coach), the
# apprentice, then the employer.
SIGNING_ORDER = (Party.PROVIDER, Party.APPRENTICE, Party.EMPLOYER)


def signature_rows(signed: dict, *, waiting: str | None, names: dict) -> list[dict]:
    """One row per party in signing order, for apprenticeships/_signatures.html: its name, its
    signature if any (`signed` maps party to Signature), and whether it is the one awaited next."""
    return [{"party": party, "name": names[party], "signature": signed.get(party), "next": party == waiting}
            for party in SIGNING_ORDER]
