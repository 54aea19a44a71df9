"""The one way to write the audit trail: reads are recorded by views, writes by services."""

from collections.abc import Iterable

from django.db import models

from carelead.core.actor import Actor
from carelead.core.models import Action, AuditEvent


def subject_of(obj: models.Model) -> str:
    key = getattr(obj, "public_id", None) or obj.pk
    return f"{obj._meta.app_label}.{obj.__class__.__name__}:{key}"


def record(actor: Actor, action: str, obj: models.Model, *, person=None, details: dict | None = None) -> AuditEvent:
    """Record that `actor` did `action` to `obj` (about `person`, when it is a person's record)."""
    return AuditEvent.objects.create(
        actor=actor.user,
        person=person,
        location_id=getattr(person, "location_id", None),
        action=action,
        subject=subject_of(obj),
        details=details or {},
        ip_address=actor.ip_address,
        via=actor.via,
    )


def record_list(actor: Actor, objects: Iterable[models.Model], *, what: str, details: dict | None = None,
                action: str = Action.LIST, person=None) -> AuditEvent:
    """One row for a page of a list (or an export): the ids shown, not a row per record."""
    ids = [str(getattr(obj, "public_id", obj.pk)) for obj in objects]
    return AuditEvent.objects.create(
        actor=actor.user,
        person=person,
        location_id=getattr(person, "location_id", None),
        action=action,
        subject=what,
        details={"ids": ids, **(details or {})},
        ip_address=actor.ip_address,
        via=actor.via,
    )


def changed_fields(before: dict, after: dict) -> list[str]:
    """Names of the fields whose values differ; the audit keeps names, never values."""
    return sorted(name for name in after if before.get(name) != after[name])
