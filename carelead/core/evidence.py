"""The registry of practice records that can become apprenticeship evidence (DESIGN.md "Practice
becomes evidence").

Each app that keeps such records declares them in its own `evidence.py` by calling `register()`
with an `EvidenceSource`; `discover()` (run once when Django starts) imports those modules. The
portfolio reads only this registry: `sources()`, `items_led_by()` and `item()`, never another
app's models, and stores a snapshot of `EvidenceItem.summary`, so later edits to the practice record
never change submitted evidence.

A summary is redacted: it is built from the record's structure (what kind of record, which areas,
which tools, how many actions, the outcome category) and never from free text, so it carries no
name, NHS number, date of birth, address or relative's details of the person supported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

# The six themes of the ST0007 standard (reference/apprenticeship-standard.md §1.2). KSB codes are
# not verified in the reference, so sources suggest themes and the portfolio maps to KSBs.
THEMES = (
    "Tasks and responsibilities",
    "Dignity and human rights",
    "Communication",
    "Safeguarding",
    "Health and wellbeing",
    "Professional development",
)


@dataclass(frozen=True)
class EvidenceItem:
    """One practice record a member of staff led, described without identifying the person."""

    source: str  # the EvidenceSource key, e.g. "assessments.needs_assessment"
    record_id: str  # the record's public_id
    led_by_id: int  # the user who led or wrote it
    occurred_on: date
    title: str  # e.g. "Led a holistic needs assessment"
    summary: str  # redacted: structure only, no person-identifying details
    themes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        unknown = set(self.themes) - set(THEMES)
        if unknown:  # a misspelt theme would never map to a KSB: a programming error, caught in tests
            raise ValueError(f"Not a theme of the standard: {', '.join(sorted(unknown))}")


@dataclass(frozen=True)
class EvidenceSource:
    """A kind of practice record that counts as evidence, and how to read its items.

    `items_led_by(user, since, until)` returns the items that user led, newest first, dated within
    the inclusive bounds (None: unbounded). `item(user, record_id)` returns one item if that user led
    it, else None: evidence is only ever drawn from one's own practice.
    """

    key: str
    label: str
    description: str
    items_led_by: Callable[..., Iterable[EvidenceItem]]
    item: Callable[..., EvidenceItem | None]


_REGISTRY: dict[str, EvidenceSource] = {}


def register(source: EvidenceSource) -> EvidenceSource:
    """Add a source; a key is registered once (a second registration is a programming error)."""
    if source.key in _REGISTRY and _REGISTRY[source.key] is not source:
        raise ValueError(f"An evidence source called {source.key!r} is already registered")
    _REGISTRY[source.key] = source
    return source


def sources() -> list[EvidenceSource]:
    """Every registered source, in key order."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def items_led_by(user, *, since: date | None = None, until: date | None = None) -> list[EvidenceItem]:
    """Every item the user led across all sources, newest first."""
    found: list[EvidenceItem] = []
    for evidence_source in sources():
        found.extend(evidence_source.items_led_by(user, since, until))
    return sorted(found, key=lambda item: (item.occurred_on, item.record_id), reverse=True)


def item(user, key: str, record_id: str) -> EvidenceItem | None:
    """One item by source and record id, if the user led it."""
    evidence_source = _REGISTRY.get(key)
    return evidence_source.item(user, record_id) if evidence_source else None


# --- Helpers for the apps' declarations --------------------------------------------------------


def date_bounds(field: str, since: date | None, until: date | None) -> dict:
    """ORM filters for `field` within the inclusive bounds (None: unbounded)."""
    bounds = {}
    if since:
        bounds[f"{field}__gte"] = since
    if until:
        bounds[f"{field}__lte"] = until
    return bounds


def as_uuid(record_id) -> uuid.UUID | None:
    """A record id as a UUID, or None for anything that is not one (never an error)."""
    try:
        return uuid.UUID(str(record_id))
    except (TypeError, ValueError, AttributeError):
        return None


def yes_no(value) -> str:
    return "yes" if value else "no"


def declare(key: str, label: str, description: str, items: Callable[..., list[EvidenceItem]]) -> EvidenceSource:
    """Register a source from one function `items(user, *, since=None, until=None, public_id=None)`
    returning the user's items newest first (filtered to one record when `public_id` is given)."""

    def items_led_by(user, since=None, until=None):
        return items(user, since=since, until=until)

    def item(user, record_id):
        public_id = as_uuid(record_id)
        found = items(user, public_id=public_id) if public_id else []
        return found[0] if found else None

    return register(EvidenceSource(key=key, label=label, description=description, items_led_by=items_led_by,
                                   item=item))


def discover() -> None:
    """Import every installed app's `evidence` module so its sources register themselves."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("evidence")
