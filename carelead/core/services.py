"""Checks every service makes, whichever door (page, API, import, job) it was reached through."""

from django.db import models
from django.utils import timezone

from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.permissions import Perm


def require(actor: Actor, perm: Perm, *, location_id: int | None = None, organisation_id: int | None = None) -> None:
    """Raise NotAllowed unless the actor holds `perm` at that location (or organisation)."""
    from carelead.organisations.selectors import locations_granting, organisations_granting

    user = actor.user
    if location_id is not None:
        allowed = locations_granting(user, perm).filter(pk=location_id).exists()
    elif organisation_id is not None:
        allowed = organisations_granting(user, perm).filter(pk=organisation_id).exists()
    else:
        raise ValueError("require() needs a location or an organisation")
    if not allowed:
        raise NotAllowed(f"{perm} is not held here")


def save_versioned(obj: models.Model, *, seen_version: int, fields: list[str]) -> None:
    """Save `fields` only if nobody saved since `seen_version`; bump the version. Else StaleEdit."""
    model = type(obj)
    changes = {name: getattr(obj, name) for name in fields}
    updated = model.objects.filter(pk=obj.pk, version=seen_version).update(
        **changes, version=models.F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleEdit()
    obj.version = seen_version + 1
