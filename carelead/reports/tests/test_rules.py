"""The roll-up of a location's counts to red / amber / green (reports.rules), without a database."""

import pytest

from carelead.reports import rules


def test_nothing_to_count_is_green():
    assert rules.overall_state({}) == rules.GREEN
    assert rules.overall_state(dict.fromkeys(rules.COUNT_KEYS, 0)) == rules.GREEN


@pytest.mark.parametrize("key", ["plans_due", "no_plan", "dols_renewal_due"])
def test_one_thing_due_soon_is_amber(key):
    assert rules.overall_state({key: 1}) == rules.AMBER


@pytest.mark.parametrize(
    "key", ["plans_overdue", "sections_overdue", "risks_overdue", "reassessments_due", "mca_overdue", "dols_expired"]
)
def test_one_thing_overdue_is_red_whatever_is_due(key):
    assert rules.overall_state({key: 1}) == rules.RED
    assert rules.overall_state({key: 1, "plans_due": 5, "dols_renewal_due": 2}) == rules.RED


def test_every_count_is_red_or_amber_and_labelled_in_words():
    assert {kind.state for kind in rules.COUNT_KINDS} == {rules.RED, rules.AMBER}
    assert set(rules.STATE_LABELS) == set(rules.STATE_COLOURS) == {rules.RED, rules.AMBER, rules.GREEN}


def test_an_unknown_count_is_refused_rather_than_ignored():
    with pytest.raises(ValueError, match="plans_late"):
        rules.overall_state({"plans_late": 3})
