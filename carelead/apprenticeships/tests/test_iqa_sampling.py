"""IQA sampling (issue 6; reference/eportfolio-anchors.md): ceil(percent x n / 100) per coach x kind x
stage, a deterministic draw for a seed, and the compliance check. Pure functions: no database."""

from datetime import date
from decimal import Decimal

import pytest

from carelead.apprenticeships.iqa_sampling import (
    INTERIM,
    SUMMATIVE,
    AssessedItem,
    SamplingPolicy,
    SamplingRate,
    compliance,
    is_compliant,
    required_sample,
    sample_plan,
    stage_for,
)

POLICY = SamplingPolicy(rates=(SamplingRate("reflective_account", INTERIM, 10),
                               SamplingRate("reflective_account", SUMMATIVE, 100),
                               SamplingRate("file", INTERIM, Decimal("33.3"))), default_percent=25)


def items(coach, kind, count, *, gateway=False, prefix=None):
    prefix = prefix or f"{coach}-{kind}-{'s' if gateway else 'i'}"
    return [AssessedItem(f"{prefix}-{n:03}", coach, kind, gateway) for n in range(count)]


@pytest.mark.parametrize(("percent", "assessed", "required"), [
    (10, 0, 0), (10, 1, 1), (10, 10, 1), (10, 11, 2), (10, 20, 2), (10, 21, 3),
    (0, 50, 0), (100, 7, 7), (25, 4, 1), (25, 5, 2),
    (Decimal("33.3"), 3, 1), (Decimal("33.4"), 3, 2),  # exact: 33.3% of 3 is 0.999, 33.4% is 1.002
    (Decimal("12.5"), 8, 1), (Decimal("12.5"), 9, 2),
])
def test_required_sample_is_the_ceiling_of_the_percentage(percent, assessed, required):
    assert required_sample(percent, assessed) == required


def test_the_plan_samples_per_coach_kind_and_stage():
    assessed = (items(1, "reflective_account", 11) + items(1, "reflective_account", 3, gateway=True)
                + items(2, "reflective_account", 5) + items(1, "file", 3) + items(1, "observation", 4))
    plan = {(group.coach_id, group.kind, group.stage): group for group in sample_plan(POLICY, assessed, seed=7)}
    assert {key: (group.assessed, group.required) for key, group in plan.items()} == {
        (1, "reflective_account", INTERIM): (11, 2),
        (1, "reflective_account", SUMMATIVE): (3, 3),
        (2, "reflective_account", INTERIM): (5, 1),
        (1, "file", INTERIM): (3, 1),
        (1, "observation", INTERIM): (4, 1),  # the default 25%
    }
    for (coach, kind, stage), group in plan.items():
        members = {each.item_id for each in assessed if (each.coach_id, each.kind, each.stage) == (coach, kind, stage)}
        assert len(group.item_ids) == group.required and set(group.item_ids) <= members


def test_the_same_seed_gives_the_same_plan_whatever_the_order():
    assessed = items(1, "reflective_account", 40) + items(2, "file", 30)
    first = sample_plan(POLICY, assessed, seed="2026-Q4")
    assert sample_plan(POLICY, list(reversed(assessed)), seed="2026-Q4") == first
    assert sample_plan(POLICY, assessed, seed="2026-Q4") == first


def test_another_seed_gives_another_sample():
    assessed = items(1, "reflective_account", 100)
    samples = {sample_plan(POLICY, assessed, seed=seed)[0].item_ids for seed in range(5)}
    assert len(samples) > 1


def test_one_group_does_not_change_another_groups_sample():
    alone = sample_plan(POLICY, items(1, "reflective_account", 40), seed=1)
    with_other = sample_plan(POLICY, items(1, "reflective_account", 40) + items(2, "reflective_account", 40), seed=1)
    assert with_other[0] == alone[0]


def test_a_zero_percent_kind_samples_nothing_and_no_items_plan_nothing():
    assert sample_plan(SamplingPolicy(), items(1, "file", 9), seed=1)[0].item_ids == ()
    assert sample_plan(POLICY, [], seed=1) == ()


def test_compliance_reports_required_against_sampled():
    assessed = items(1, "reflective_account", 11) + items(1, "reflective_account", 2, gateway=True)
    sampled = ["1-reflective_account-i-000", "1-reflective_account-i-001", "1-reflective_account-s-000",
               "not-assessed"]
    rows = compliance(POLICY, assessed, sampled)
    assert [(row.coach_id, row.kind, row.stage, row.assessed, row.required, row.sampled, row.compliant)
            for row in rows] == [(1, "reflective_account", INTERIM, 11, 2, 2, True),
                                 (1, "reflective_account", SUMMATIVE, 2, 2, 1, False)]
    assert not is_compliant(rows)


def test_the_plan_itself_is_compliant():
    assessed = items(1, "reflective_account", 23) + items(3, "file", 17, gateway=True)
    plan = sample_plan(POLICY, assessed, seed=3)
    rows = compliance(POLICY, assessed, [item_id for group in plan for item_id in group.item_ids])
    assert is_compliant(rows)
    assert is_compliant(compliance(POLICY, [], []))


def test_one_short_is_not_compliant():
    assessed = items(1, "file", 4)  # 33.3% of 4 = 1.332 -> 2
    assert not is_compliant(compliance(POLICY, assessed, ["1-file-i-000"]))
    assert is_compliant(compliance(POLICY, assessed, ["1-file-i-000", "1-file-i-003"]))


@pytest.mark.parametrize("percent", [-1, 101, Decimal("100.1"), 10.5, "10", True])
def test_a_percentage_outside_0_to_100_or_not_exact_is_refused(percent):
    with pytest.raises(ValueError):
        SamplingRate("file", INTERIM, percent)
    with pytest.raises(ValueError):
        SamplingPolicy(default_percent=percent)


def test_a_policy_refuses_an_unknown_stage_and_two_rates_for_one_kind():
    with pytest.raises(ValueError):
        SamplingRate("file", "final", 10)
    with pytest.raises(ValueError):
        SamplingPolicy(rates=(SamplingRate("file", INTERIM, 10), SamplingRate("file", INTERIM, 20)))


def test_an_item_listed_twice_is_refused():
    twice = items(1, "file", 1) * 2
    with pytest.raises(ValueError):
        sample_plan(POLICY, twice, seed=1)
    with pytest.raises(ValueError):
        compliance(POLICY, twice, [])


@pytest.mark.parametrize(("assessed_on", "gateway", "stage"), [
    (date(2026, 5, 31), date(2026, 6, 1), INTERIM),  # the day before gateway
    (date(2026, 6, 1), date(2026, 6, 1), SUMMATIVE),  # on the gateway date
    (date(2026, 7, 1), date(2026, 6, 1), SUMMATIVE),
    (date(2026, 7, 1), None, INTERIM),  # no gateway yet
])
def test_an_item_is_summative_when_assessed_on_or_after_the_gateway_date(assessed_on, gateway, stage):
    assert stage_for(assessed_on, gateway) == stage
