"""Internal quality assurance (IQA) sampling as pure functions (reference/eportfolio-anchors.md, IQA;
issue 6 "Internal quality assurance").

A policy says what percentage of each coach's assessed evidence the IQA samples, per evidence kind
and per stage: interim (assessed while the apprentice is not yet at gateway) or summative (assessed
when the apprentice is at or after gateway). For each coach x kind x stage with n assessed items the
plan samples ceil(percent x n / 100) of them, chosen by a seeded random draw, so the same policy,
items and seed always give the same sample whatever order the items come in.

Stdlib only: plain dataclasses in, dataclasses out; importable with no Django set up.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

INTERIM, SUMMATIVE = "interim", "summative"
STAGES = (INTERIM, SUMMATIVE)
STAGE_LABELS = {INTERIM: "Interim", SUMMATIVE: "Summative"}

PERCENT_RANGE = "A sampling percentage must be from 0 to 100, not {percent}"
UNKNOWN_STAGE = "A sampling stage is interim or summative, not {stage!r}"
DUPLICATE_RATE = "The policy gives two percentages for {kind} ({stage})"
DUPLICATE_ITEM = "Evidence {item_id!r} is listed twice"


@dataclass(frozen=True)
class SamplingRate:
    """The percentage of one kind of evidence sampled at one stage."""

    kind: str  # a PortfolioEvidence kind, e.g. "reflective_account"
    stage: str  # INTERIM or SUMMATIVE
    percent: Decimal | int

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(UNKNOWN_STAGE.format(stage=self.stage))
        if isinstance(self.percent, bool) or not isinstance(self.percent, (int, Decimal)) or not (
                0 <= self.percent <= 100):
            raise ValueError(PERCENT_RANGE.format(percent=self.percent))


@dataclass(frozen=True)
class SamplingPolicy:
    """Per kind and stage percentages; a kind and stage the policy does not name uses `default_percent`."""

    rates: tuple[SamplingRate, ...] = ()
    default_percent: Decimal | int = 0

    def __post_init__(self) -> None:
        SamplingRate("default", INTERIM, self.default_percent)  # the same range check
        seen: set[tuple[str, str]] = set()
        for rate in self.rates:
            if (rate.kind, rate.stage) in seen:
                raise ValueError(DUPLICATE_RATE.format(kind=rate.kind, stage=rate.stage))
            seen.add((rate.kind, rate.stage))

    def percent_for(self, kind: str, stage: str) -> Decimal | int:
        for rate in self.rates:
            if rate.kind == kind and rate.stage == stage:
                return rate.percent
        return self.default_percent


@dataclass(frozen=True)
class AssessedItem:
    """One piece of evidence a coach has assessed, with whether its apprentice is at or after gateway."""

    item_id: str
    coach_id: int | str
    kind: str
    at_or_after_gateway: bool

    @property
    def stage(self) -> str:
        return SUMMATIVE if self.at_or_after_gateway else INTERIM


@dataclass(frozen=True)
class SampleGroup:
    """The items chosen for one coach x kind x stage, out of `assessed`."""

    coach_id: int | str
    kind: str
    stage: str
    assessed: int
    required: int
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class ComplianceRow:
    """How far the sample made for one coach x kind x stage meets the policy."""

    coach_id: int | str
    kind: str
    stage: str
    assessed: int
    required: int
    sampled: int

    @property
    def compliant(self) -> bool:
        return self.sampled >= self.required


def stage_for(assessed_on: date, gateway_date: date | None) -> str:
    """SUMMATIVE when the coach assessed the item on or after the apprenticeship's gateway date, else
    INTERIM (assessed while the apprentice was still working towards gateway, or with no gateway yet)."""
    return SUMMATIVE if gateway_date is not None and assessed_on >= gateway_date else INTERIM


def required_sample(percent: Decimal | int, assessed: int) -> int:
    """ceil(percent x assessed / 100), exactly (no float rounding): 10% of 11 items is 2."""
    return math.ceil(Fraction(percent) * assessed / 100)


def _groups(items: Iterable[AssessedItem]) -> dict[tuple, list[AssessedItem]]:
    grouped: dict[tuple, list[AssessedItem]] = defaultdict(list)
    seen: set[str] = set()
    for each in items:
        if each.item_id in seen:
            raise ValueError(DUPLICATE_ITEM.format(item_id=each.item_id))
        seen.add(each.item_id)
        grouped[(each.coach_id, each.kind, each.stage)].append(each)
    return grouped


def _group_order(key: tuple) -> tuple:
    coach_id, kind, stage = key
    return (str(coach_id), kind, STAGES.index(stage))


def sample_plan(policy: SamplingPolicy, assessed_items: Iterable[AssessedItem],
                seed: int | str) -> tuple[SampleGroup, ...]:
    """The sample per coach x kind x stage: ceil(percent x n / 100) items drawn with `seed`.

    Items are ordered by id before the draw and each group has its own generator seeded from `seed`
    and the group, so the plan does not depend on the items' order or on other groups.
    """
    plan = []
    for key, members in sorted(_groups(assessed_items).items(), key=lambda pair: _group_order(pair[0])):
        coach_id, kind, stage = key
        required = required_sample(policy.percent_for(kind, stage), len(members))
        ids = sorted(member.item_id for member in members)
        chosen = random.Random(f"{seed}|{coach_id}|{kind}|{stage}").sample(ids, required)
        plan.append(SampleGroup(coach_id=coach_id, kind=kind, stage=stage, assessed=len(members),
                                required=required, item_ids=tuple(sorted(chosen))))
    return tuple(plan)


def compliance(policy: SamplingPolicy, assessed_items: Iterable[AssessedItem],
               sampled_ids: Iterable[str]) -> tuple[ComplianceRow, ...]:
    """Per coach x kind x stage: items assessed, the sample the policy requires, how many of them were
    sampled, and whether that meets it. Sampled ids not among the assessed items are ignored."""
    sampled = set(sampled_ids)
    rows = []
    for key, members in sorted(_groups(assessed_items).items(), key=lambda pair: _group_order(pair[0])):
        coach_id, kind, stage = key
        rows.append(ComplianceRow(coach_id=coach_id, kind=kind, stage=stage, assessed=len(members),
                                  required=required_sample(policy.percent_for(kind, stage), len(members)),
                                  sampled=sum(1 for member in members if member.item_id in sampled)))
    return tuple(rows)


def is_compliant(rows: Iterable[ComplianceRow]) -> bool:
    """Whether every coach x kind x stage meets the policy."""
    return all(row.compliant for row in rows)
