"""KSB and Diploma-unit coverage of an apprentice's portfolio, as pure functions (issue 6, "Coverage").

Plain values in, plain values out; no Django, so every edge is tested without a database.

Two-stage mapping (reference/eportfolio-anchors.md: "working towards", then the assessor's final
decision): an item of evidence mapped to a KSB or unit CLAIMS it while the item waits for the coach
or needs more work, and makes it ACCEPTED once the coach accepts the item. A KSB or unit with no
such item is MISSING: a gap. One accepted item is enough: a KSB claimed on one item and accepted on
another is accepted. Drafts count for nothing until the apprentice sends them to the coach.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

MISSING, CLAIMED, ACCEPTED = "missing", "claimed", "accepted"
STATUS_LABELS = {MISSING: "No evidence yet", CLAIMED: "Claimed (working towards)", ACCEPTED: "Accepted"}

# The item statuses as portfolio.EvidenceStatus stores them (kept equal by a test).
ITEM_ACCEPTED = "accepted"
ITEM_CLAIMING = frozenset({"submitted", "needs_more_work"})

KNOWLEDGE, SKILL, BEHAVIOUR, UNIT = "knowledge", "skill", "behaviour", "unit"
KSB_KINDS = (KNOWLEDGE, SKILL, BEHAVIOUR)
KIND_LABELS = {KNOWLEDGE: "Knowledge", SKILL: "Skills", BEHAVIOUR: "Behaviours", UNIT: "Diploma units"}


@dataclass(frozen=True)
class Target:
    """A KSB or a Diploma unit evidence can be mapped to. `key` is unique across both ("ksb:12")."""

    key: str
    code: str
    text: str
    kind: str  # one of KSB_KINDS, or UNIT
    theme: str = ""  # the theme's label, blank when the standard gives none
    mandatory: bool | None = None  # units only
    credits: int | None = None  # units only


@dataclass(frozen=True)
class StatusCount:
    """One row of the database's GROUP BY: how many items in `status` are mapped to the target."""

    key: str
    status: str
    items: int


@dataclass(frozen=True)
class ItemLink:
    """An item of evidence shown against a target (a few per target, never all of them)."""

    public_id: str
    title: str
    status: str
    occurred_on: date
    url: str = ""  # the item's page; blank when there is none to link to

    @property
    def accepted(self) -> bool:
        return self.status == ITEM_ACCEPTED


@dataclass(frozen=True)
class Row:
    target: Target
    claimed: int  # items waiting for the coach or needing more work
    accepted: int  # items the coach accepted
    items: tuple[ItemLink, ...] = ()

    @property
    def status(self) -> str:
        return ACCEPTED if self.accepted else CLAIMED if self.claimed else MISSING

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def gap(self) -> bool:
        return self.status == MISSING

    @property
    def more(self) -> int:
        """How many mapped items are not listed in `items`."""
        return max(self.claimed + self.accepted - len(self.items), 0)


@dataclass(frozen=True)
class KindSummary:
    kind: str
    total: int
    accepted: int
    claimed: int
    missing: int
    percent_accepted: int | None  # None when there is nothing of this kind

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, "All")


@dataclass(frozen=True)
class Coverage:
    ksbs: list[Row]
    units: list[Row]
    by_kind: list[KindSummary]  # knowledge, skills, behaviours
    overall: KindSummary  # every KSB
    units_summary: KindSummary
    gaps_only: bool = False
    hidden: int = 0  # rows left out by the gaps-only filter
    groups: list[tuple[str, list[Row]]] = field(default_factory=list)  # the KSBs listed, by kind


def percent(part: int, whole: int) -> int | None:
    """Whole percent, rounded DOWN so 100% means every one, never 199 of 200; None of nothing."""
    return None if whole == 0 else part * 100 // whole


def rows_for(targets: Sequence[Target], counts: Iterable[StatusCount],
             items: Mapping[str, Sequence[ItemLink]] | None = None) -> list[Row]:
    """A row per target, in the targets' order, with its claimed and accepted item counts.

    Counts for a target not in `targets` (a retired KSB, a unit of another qualification) and for
    drafts are ignored."""
    claimed: dict[str, int] = {}
    accepted: dict[str, int] = {}
    for count in counts:
        if count.status == ITEM_ACCEPTED:
            accepted[count.key] = accepted.get(count.key, 0) + count.items
        elif count.status in ITEM_CLAIMING:
            claimed[count.key] = claimed.get(count.key, 0) + count.items
    items = items or {}
    return [Row(target=t, claimed=claimed.get(t.key, 0), accepted=accepted.get(t.key, 0),
                items=tuple(items.get(t.key, ()))) for t in targets]


def summarise(rows: Sequence[Row], kind: str) -> KindSummary:
    """How many of `rows` are accepted, claimed and missing, and the percent accepted."""
    statuses = [row.status for row in rows]
    accepted = statuses.count(ACCEPTED)
    return KindSummary(kind=kind, total=len(rows), accepted=accepted, claimed=statuses.count(CLAIMED),
                       missing=statuses.count(MISSING), percent_accepted=percent(accepted, len(rows)))


def grouped_by_kind(rows: Sequence[Row]) -> list[tuple[str, list[Row]]]:
    """Rows under their kind (knowledge, skills, behaviours) in the standard's order; empty kinds left out."""
    return [(KIND_LABELS[kind], shown) for kind in KSB_KINDS
            if (shown := [row for row in rows if row.target.kind == kind])]


def coverage(*, ksbs: Sequence[Target], units: Sequence[Target], counts: Iterable[StatusCount],
             items: Mapping[str, Sequence[ItemLink]] | None = None, gaps_only: bool = False) -> Coverage:
    """The coverage matrix: a row per KSB and per unit, the summary by kind and overall.

    The summaries always count every row; `gaps_only` only narrows the rows listed."""
    counts = list(counts)
    ksb_rows = rows_for(ksbs, counts, items)
    unit_rows = rows_for(units, counts, items)
    by_kind = [summarise([row for row in ksb_rows if row.target.kind == kind], kind) for kind in KSB_KINDS]
    overall, units_summary = summarise(ksb_rows, "all"), summarise(unit_rows, UNIT)
    shown_ksbs = [row for row in ksb_rows if row.gap] if gaps_only else ksb_rows
    shown_units = [row for row in unit_rows if row.gap] if gaps_only else unit_rows
    hidden = len(ksb_rows) + len(unit_rows) - len(shown_ksbs) - len(shown_units)
    return Coverage(ksbs=shown_ksbs, units=shown_units, by_kind=by_kind, overall=overall,
                    units_summary=units_summary, gaps_only=gaps_only, hidden=hidden,
                    groups=grouped_by_kind(shown_ksbs))
