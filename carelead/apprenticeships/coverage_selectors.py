"""Reads behind the coverage matrix (issue 6, "Coverage"): the KSBs and Diploma units evidence can
map to, and the mappings counted IN THE DATABASE.

Four queries whatever the size of the portfolio: the KSBs, the units, one GROUP BY of the mappings
by target and item status, and a few items per target chosen by a window function (never a query
per KSB, never every item loaded). Reach is decided before this by `selectors.apprenticeship_for`.
"""

from collections.abc import Callable

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from carelead.apprenticeships.coverage import (
    ITEM_ACCEPTED, ITEM_CLAIMING, UNIT, Coverage, ItemLink, StatusCount, Target, coverage,
)
from carelead.apprenticeships.models import Apprenticeship, EvidenceMapping, Ksb, KsbKind, QualificationUnit
from carelead.apprenticeships.models.reference import Theme

# Links to at most this many items per KSB or unit: a portfolio of 100 items stays a readable page.
ITEMS_PER_TARGET = 3
KIND_ORDER = {KsbKind.KNOWLEDGE: 0, KsbKind.SKILL: 1, KsbKind.BEHAVIOUR: 2}
COUNTED = (ITEM_ACCEPTED, *ITEM_CLAIMING)  # drafts count for nothing (coverage.py)


def ksb_key(ksb_id: int) -> str:
    return f"ksb:{ksb_id}"


def unit_key(unit_id: int) -> str:
    return f"unit:{unit_id}"


def _key(ksb_id: int | None, unit_id: int | None) -> str:
    return ksb_key(ksb_id) if ksb_id else unit_key(unit_id)


def ksb_targets(apprenticeship: Apprenticeship) -> list[Target]:
    """The current (not retired) KSBs of the apprentice's standard version, knowledge, skills then behaviours."""
    ksbs = Ksb.objects.filter(version_id=apprenticeship.standard_version_id, retired=False).only(
        "id", "code", "text", "kind", "theme", "position")
    themes = dict(Theme.choices)
    ordered = sorted(ksbs, key=lambda ksb: (KIND_ORDER.get(ksb.kind, 3), ksb.position, ksb.id))
    return [Target(key=ksb_key(ksb.id), code=ksb.code, text=ksb.text, kind=ksb.kind,
                   theme=themes.get(ksb.theme, "")) for ksb in ordered]


def unit_targets(apprenticeship: Apprenticeship) -> list[Target]:
    """The current units of the apprentice's Diploma, in the specification's order; none without a Diploma."""
    if not apprenticeship.qualification_id:
        return []
    units = QualificationUnit.objects.filter(qualification_id=apprenticeship.qualification_id, retired=False)
    return [Target(key=unit_key(unit.id), code=f"Unit {unit.position}", text=str(unit), kind=UNIT,
                   mandatory=unit.mandatory, credits=unit.credits) for unit in units.order_by("position")]


def _mappings(apprenticeship: Apprenticeship):
    return EvidenceMapping.objects.filter(evidence__apprenticeship_id=apprenticeship.pk,
                                          evidence__status__in=COUNTED)


def status_counts(apprenticeship: Apprenticeship) -> list[StatusCount]:
    """How many items of each status are mapped to each KSB and unit: one GROUP BY query."""
    rows = (_mappings(apprenticeship).values("ksb_id", "unit_id", "evidence__status")
            .annotate(items=Count("id")).order_by())
    return [StatusCount(key=_key(row["ksb_id"], row["unit_id"]), status=row["evidence__status"],
                        items=row["items"]) for row in rows]


def items_per_target(apprenticeship: Apprenticeship, limit: int = ITEMS_PER_TARGET,
                     link: Callable[[str], str] | None = None) -> dict[str, list[ItemLink]]:
    """Up to `limit` items per KSB and unit, accepted first then newest: one query (ROW_NUMBER over
    each target), so the rows fetched grow with the targets, not with the items."""
    accepted_first = Q(evidence__status=ITEM_ACCEPTED)
    ranked = _mappings(apprenticeship).annotate(
        accepted=accepted_first, rank=Window(RowNumber(), partition_by=[F("ksb_id"), F("unit_id")],
                                             order_by=[F("accepted").desc(), F("evidence__occurred_on").desc(),
                                                       F("evidence_id").desc()]))
    rows = ranked.filter(rank__lte=limit).values(
        "ksb_id", "unit_id", "rank", "evidence__public_id", "evidence__title", "evidence__status",
        "evidence__occurred_on").order_by("ksb_id", "unit_id", "rank")
    found: dict[str, list[ItemLink]] = {}
    for row in rows:
        public_id = str(row["evidence__public_id"])
        found.setdefault(_key(row["ksb_id"], row["unit_id"]), []).append(ItemLink(
            public_id=public_id, title=row["evidence__title"], status=row["evidence__status"],
            occurred_on=row["evidence__occurred_on"], url=link(public_id) if link else ""))
    return found


def coverage_of(apprenticeship: Apprenticeship, *, gaps_only: bool = False, with_items: bool = True,
                link: Callable[[str], str] | None = None) -> Coverage:
    """The apprentice's coverage matrix: KSBs and Diploma units with their claimed and accepted items
    (`link` gives an item's URL from its public id)."""
    return coverage(ksbs=ksb_targets(apprenticeship), units=unit_targets(apprenticeship),
                    counts=status_counts(apprenticeship),
                    items=items_per_target(apprenticeship, link=link) if with_items else None, gaps_only=gaps_only)
