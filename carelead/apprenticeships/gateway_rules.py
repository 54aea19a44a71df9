"""The gateway checklist as a pure function over plain facts (reference/apprenticeship-standard.md §2.1;
issue 6 "Gateway").

Each item is met or not with a plain-English reason; the apprentice is ready for gateway when every
item is met. English and maths (§2.1 [V], since 11 Feb 2025): Level 2 is mandatory only for
apprentices aged 16 to 18 at their start; from 19 at start it is optional, and "not required" needs
the decision recorded in the training plan. Off-the-job hours must be at or above the minimum (§4);
a minimum that cannot be worked out is not met.

Stdlib only: importable with no Django set up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

HELD, ACHIEVED, NOT_REQUIRED, NOT_YET = "held", "achieved", "not_required", "not_yet"
FUNCTIONAL_SKILL_STATUSES = (HELD, ACHIEVED, NOT_REQUIRED, NOT_YET)
MANDATORY_BELOW_AGE = 19  # §2.1: mandatory for 16-18 at start

DIPLOMA, ENGLISH, MATHS, OTJ, PORTFOLIO, OBSERVATION_SCOPE, EPAO, READINESS = (
    "diploma", "english", "maths", "otj", "portfolio", "observation_scope", "epao", "readiness")
LABELS = {
    DIPLOMA: "Level 4 Diploma in Adult Care achieved",
    ENGLISH: "English",
    MATHS: "Maths",
    OTJ: "Off-the-job training at or above the minimum",
    PORTFOLIO: "Portfolio submitted",
    OBSERVATION_SCOPE: "Observation scope agreed",
    EPAO: "End-point assessment organisation chosen",
    READINESS: "Readiness for gateway agreed and signed",
}
UNKNOWN_STATUS = "English and maths status must be one of {statuses}, not {status!r}"


@dataclass(frozen=True)
class GatewayFacts:
    """What is known about one apprenticeship, as plain values."""

    start: date
    date_of_birth: date | None
    diploma_achieved: bool
    diploma_certificate: bool
    english: str  # HELD, ACHIEVED, NOT_REQUIRED or NOT_YET
    english_decision_recorded: bool  # "not required" decision recorded in the training plan
    maths: str
    maths_decision_recorded: bool
    otj_actual_hours: Decimal
    otj_minimum_hours: Decimal | None  # None: the minimum cannot be worked out yet
    portfolio_submitted: bool
    observation_scope_agreed: bool
    epao_chosen: bool
    readiness_signed_by_employer: bool
    readiness_signed_by_provider: bool
    readiness_signed_by_apprentice: bool
    # The portfolio's counts, when known: then `portfolio_submitted` is the apprentice's declaration and
    # portfolio_item decides (at least one accepted, none waiting for the coach).
    portfolio_accepted: int | None = None
    portfolio_waiting: int = 0

    def __post_init__(self) -> None:
        for status in (self.english, self.maths):
            if status not in FUNCTIONAL_SKILL_STATUSES:
                raise ValueError(UNKNOWN_STATUS.format(statuses=", ".join(FUNCTIONAL_SKILL_STATUSES), status=status))


@dataclass(frozen=True)
class GatewayItem:
    key: str
    label: str
    met: bool
    reason: str


@dataclass(frozen=True)
class GatewayChecklist:
    items: tuple[GatewayItem, ...]

    @property
    def ready(self) -> bool:
        """Ready for gateway when every item is met."""
        return all(item.met for item in self.items)


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day`; someone born on 29 Feb turns a year older on 1 Mar in other years."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def functional_skill_item(key: str, status: str, decision_recorded: bool, *, start: date,
                          date_of_birth: date | None) -> GatewayItem:
    """English or maths at Level 2 (§2.1 [V]): held or achieved is met; "not required" is met only for an
    apprentice aged 19 or over at start with the decision recorded."""
    subject = LABELS[key]
    if status in (HELD, ACHIEVED):
        return GatewayItem(key, subject, True, f"{subject} at Level 2 {'held' if status == HELD else 'achieved'}.")
    if date_of_birth is None:
        return GatewayItem(key, subject, False, f"{subject} at Level 2 is not yet held or achieved, and the date of "
                           "birth is not recorded, so we cannot tell whether it is required.")
    age = age_on(date_of_birth, start)
    if age < MANDATORY_BELOW_AGE:
        return GatewayItem(key, subject, False, f"{subject} at Level 2 is required: the apprentice was {age} at "
                           "the start, and it is mandatory for apprentices aged 16 to 18 at the start.")
    if status == NOT_REQUIRED and decision_recorded:
        return GatewayItem(key, subject, True, f"{subject} is not required: the apprentice was {age} at the start "
                           "and the decision is recorded in the training plan.")
    if status == NOT_REQUIRED:
        return GatewayItem(key, subject, False, f"{subject} is marked not required, but the decision is not "
                           "recorded in the training plan.")
    return GatewayItem(key, subject, False, f"{subject} at Level 2 is not yet held or achieved. It is optional "
                       f"for this apprentice (aged {age} at the start): record the decision if it is not required.")


def _hours(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"  # 120.50 -> "120.5", 120.0 -> "120"


def otj_item(actual: Decimal, minimum: Decimal | None) -> GatewayItem:
    """Off-the-job hours at or above the minimum; an unknown minimum is not met (§4)."""
    label = LABELS[OTJ]
    if minimum is None:
        return GatewayItem(OTJ, label, False, "The minimum off-the-job hours are not known yet: record the "
                           "practical period and weekly hours.")
    if actual >= minimum:
        return GatewayItem(OTJ, label, True, f"{_hours(actual)} hours done of the {_hours(minimum)} hours minimum.")
    return GatewayItem(OTJ, label, False, f"{_hours(actual)} hours done: {_hours(minimum - actual)} more needed to "
                       f"reach the {_hours(minimum)} hours minimum.")


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"


def portfolio_item(declared: bool, accepted: int, waiting: int) -> GatewayItem:
    """The portfolio is submitted when the apprentice has declared it complete, at least one item is accepted
    and no item is waiting for the coach (carelead's rule: the portfolio underpins the professional
    discussion, §2.1-2.2, so everything in it is assessed before gateway; drafts and items needing more work
    are not part of it). Checked live: an item sent to the coach after the declaration unmeets it."""
    label = LABELS[PORTFOLIO]
    if declared and accepted and not waiting:
        return GatewayItem(PORTFOLIO, label, True, f"The portfolio is submitted: {_items(accepted)} accepted.")
    if accepted == 0:
        blocker = "no item is accepted by the coach yet"
    elif waiting:
        blocker = f"{_items(waiting)} {'is' if waiting == 1 else 'are'} waiting for the coach"
    else:
        return GatewayItem(PORTFOLIO, label, False, "The portfolio is not yet submitted: the apprentice "
                           "declares it complete.")
    if declared:
        return GatewayItem(PORTFOLIO, label, False, f"The portfolio was declared complete, but {blocker}.")
    return GatewayItem(PORTFOLIO, label, False, f"The portfolio is not yet submitted: {blocker}.")


def _portfolio(facts: GatewayFacts) -> GatewayItem:
    if facts.portfolio_accepted is None:
        return _yes_no_item(PORTFOLIO, facts.portfolio_submitted, "The portfolio is submitted.",
                            "The portfolio is not yet submitted.")
    return portfolio_item(facts.portfolio_submitted, facts.portfolio_accepted, facts.portfolio_waiting)


def _diploma_item(facts: GatewayFacts) -> GatewayItem:
    label = LABELS[DIPLOMA]
    if facts.diploma_achieved and facts.diploma_certificate:
        return GatewayItem(DIPLOMA, label, True, "The Diploma is achieved and the certificate is recorded.")
    if facts.diploma_achieved:
        return GatewayItem(DIPLOMA, label, False, "The Diploma is marked achieved, but no certificate is recorded.")
    return GatewayItem(DIPLOMA, label, False, "The Diploma is not yet achieved.")


def _yes_no_item(key: str, met: bool, yes: str, no: str) -> GatewayItem:
    return GatewayItem(key, LABELS[key], met, yes if met else no)


def _readiness_item(facts: GatewayFacts) -> GatewayItem:
    missing = [party for party, signed in (("the employer", facts.readiness_signed_by_employer),
                                           ("the training provider", facts.readiness_signed_by_provider),
                                           ("the apprentice", facts.readiness_signed_by_apprentice)) if not signed]
    if not missing:
        return GatewayItem(READINESS, LABELS[READINESS], True,
                           "The employer, the training provider and the apprentice have signed.")
    waiting = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
    return GatewayItem(READINESS, LABELS[READINESS], False, f"Waiting for {waiting} to sign.")


def gateway_checklist(facts: GatewayFacts) -> GatewayChecklist:
    """Each gateway requirement of §2.1 (and issue 6) with met or not and why; ready when all are met."""
    return GatewayChecklist(items=(
        _diploma_item(facts),
        functional_skill_item(ENGLISH, facts.english, facts.english_decision_recorded, start=facts.start,
                              date_of_birth=facts.date_of_birth),
        functional_skill_item(MATHS, facts.maths, facts.maths_decision_recorded, start=facts.start,
                              date_of_birth=facts.date_of_birth),
        otj_item(facts.otj_actual_hours, facts.otj_minimum_hours),
        _portfolio(facts),
        _yes_no_item(OBSERVATION_SCOPE, facts.observation_scope_agreed, "The observation scope is agreed.",
                     "The observation scope is not yet agreed."),
        _yes_no_item(EPAO, facts.epao_chosen, "The end-point assessment organisation is chosen.",
                     "No end-point assessment organisation is chosen yet."),
        _readiness_item(facts),
    ))
