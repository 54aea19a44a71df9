"""The Mental Capacity Act rules (assessments.mca): the full truth table."""

from itertools import product

import pytest

from carelead.assessments.mca import HAS_CAPACITY, LACKS_CAPACITY, capacity_outcome, missing_answers

ABILITY_ROWS = list(product([True, False], repeat=4))
ANSWERS = [True, False, None]


def kwargs(abilities, impairment, link):
    understand, retain, weigh, communicate = abilities
    return {"can_understand": understand, "can_retain": retain, "can_use_or_weigh": weigh,
            "can_communicate": communicate, "impairment_present": impairment, "causal_link": link}


@pytest.mark.parametrize("abilities", ABILITY_ROWS)
@pytest.mark.parametrize("impairment", ANSWERS)
@pytest.mark.parametrize("link", ANSWERS)
def test_lacks_capacity_only_with_an_inability_an_impairment_and_the_link(abilities, impairment, link):
    expected = LACKS_CAPACITY if (not all(abilities) and impairment is True and link is True) else HAS_CAPACITY
    assert capacity_outcome(**kwargs(abilities, impairment, link)) == expected


def test_an_impairment_alone_is_not_a_lack_of_capacity():
    assert capacity_outcome(**kwargs((True, True, True, True), True, True)) == HAS_CAPACITY


def test_an_inability_not_caused_by_an_impairment_is_not_a_lack_of_capacity():
    assert capacity_outcome(**kwargs((False, True, True, True), True, False)) == HAS_CAPACITY
    assert capacity_outcome(**kwargs((False, False, False, False), False, None)) == HAS_CAPACITY


@pytest.mark.parametrize("abilities", ABILITY_ROWS)
@pytest.mark.parametrize("impairment", ANSWERS)
@pytest.mark.parametrize("link", ANSWERS)
def test_impairment_and_link_need_answering_only_when_an_ability_is_missing(abilities, impairment, link):
    expected = []
    if not all(abilities):
        if impairment is None:
            expected = ["impairment_present"]
        elif impairment is True and link is None:
            expected = ["causal_link"]
    assert missing_answers(**kwargs(abilities, impairment, link)) == expected


def test_unanswered_abilities_are_named_in_order():
    answers = kwargs((None, True, None, True), None, None)
    assert missing_answers(**answers) == ["can_understand", "can_use_or_weigh"]
    assert capacity_outcome(**answers) == HAS_CAPACITY
