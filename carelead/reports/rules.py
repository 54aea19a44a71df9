"""How a location's counts of records needing attention roll up to one state, as pure functions.

Source: reference/care-records-and-regulation.md §1: per-record review dates with three states
(in date / due / overdue) rolled up to a location status page (red / amber / green). A location is
red when anything is overdue or expired, amber when nothing is overdue but something is due soon
(or someone has no active care plan yet), green otherwise.
"""

from collections.abc import Mapping
from dataclasses import dataclass

RED, AMBER, GREEN = "red", "amber", "green"
STATE_LABELS = {RED: "Overdue", AMBER: "Due soon", GREEN: "All in date"}
# NHS.UK tag colours; the words above carry the meaning, the colour only repeats it.
STATE_COLOURS = {RED: "red", AMBER: "yellow", GREEN: "green"}


@dataclass(frozen=True)
class CountKind:
    key: str
    label: str  # a column heading and a group heading
    state: str  # RED if a non-zero count means something is overdue, AMBER if due soon


COUNT_KINDS = (
    CountKind("plans_overdue", "Care plan reviews overdue", RED),
    CountKind("plans_due", "Care plan reviews due", AMBER),
    CountKind("sections_overdue", "Plan sections overdue", RED),
    CountKind("risks_overdue", "Risk reviews overdue", RED),
    CountKind("reassessments_due", "Needs reassessments overdue", RED),
    CountKind("no_plan", "People with no active care plan", AMBER),
    CountKind("mca_overdue", "Capacity reviews overdue", RED),
    CountKind("dols_renewal_due", "DoLS renewals due", AMBER),
    CountKind("dols_expired", "DoLS expired", RED),
)
COUNT_KEYS = tuple(kind.key for kind in COUNT_KINDS)


def overall_state(counts: Mapping[str, int]) -> str:
    """Red if any red count is above zero, else amber if any amber count is, else green.

    A key missing from `counts` counts as zero (a location with nothing to count is in date).
    """
    unknown = set(counts) - set(COUNT_KEYS)
    if unknown:
        raise ValueError(f"Unknown counts: {', '.join(sorted(unknown))}")
    states = {kind.state for kind in COUNT_KINDS if counts.get(kind.key, 0) > 0}
    if RED in states:
        return RED
    if AMBER in states:
        return AMBER
    return GREEN
