"""The gateway checklist (reference/apprenticeship-standard.md §2.1; issue 6): each item met or not with a
reason, English and maths by age at start, the off-the-job minimum, the three readiness signatures.
Pure functions: no database."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from carelead.apprenticeships.gateway_rules import (
    ACHIEVED,
    DIPLOMA,
    ENGLISH,
    EPAO,
    HELD,
    MATHS,
    NOT_REQUIRED,
    NOT_YET,
    OBSERVATION_SCOPE,
    OTJ,
    PORTFOLIO,
    READINESS,
    GatewayFacts,
    age_on,
    functional_skill_item,
    gateway_checklist,
    otj_item,
)

START = date(2025, 9, 1)
READY = GatewayFacts(
    start=START, date_of_birth=date(1990, 5, 4), diploma_achieved=True, diploma_certificate=True,
    english=HELD, english_decision_recorded=False, maths=ACHIEVED, maths_decision_recorded=False,
    otj_actual_hours=Decimal("300"), otj_minimum_hours=Decimal("278.4"), portfolio_submitted=True,
    observation_scope_agreed=True, epao_chosen=True, readiness_signed_by_employer=True,
    readiness_signed_by_provider=True, readiness_signed_by_apprentice=True,
)


def items_of(facts):
    return {item.key: item for item in gateway_checklist(facts).items}


def test_every_item_met_is_ready():
    checklist = gateway_checklist(READY)
    assert checklist.ready
    assert [item.key for item in checklist.items] == [DIPLOMA, ENGLISH, MATHS, OTJ, PORTFOLIO, OBSERVATION_SCOPE,
                                                      EPAO, READINESS]
    assert all(item.met and item.reason and item.label for item in checklist.items)


@pytest.mark.parametrize(("change", "key", "reason"), [
    ({"diploma_achieved": False, "diploma_certificate": False}, DIPLOMA, "The Diploma is not yet achieved."),
    ({"diploma_certificate": False}, DIPLOMA, "The Diploma is marked achieved, but no certificate is recorded."),
    ({"portfolio_submitted": False}, PORTFOLIO, "The portfolio is not yet submitted."),
    ({"observation_scope_agreed": False}, OBSERVATION_SCOPE, "The observation scope is not yet agreed."),
    ({"epao_chosen": False}, EPAO, "No end-point assessment organisation is chosen yet."),
    ({"readiness_signed_by_employer": False}, READINESS, "Waiting for the employer to sign."),
    ({"readiness_signed_by_provider": False}, READINESS, "Waiting for the training provider to sign."),
    ({"readiness_signed_by_apprentice": False}, READINESS, "Waiting for the apprentice to sign."),
    ({"readiness_signed_by_employer": False, "readiness_signed_by_apprentice": False}, READINESS,
     "Waiting for the employer and the apprentice to sign."),
    ({"readiness_signed_by_employer": False, "readiness_signed_by_provider": False,
      "readiness_signed_by_apprentice": False}, READINESS,
     "Waiting for the employer, the training provider and the apprentice to sign."),
    ({"otj_minimum_hours": None}, OTJ,
     "The minimum off-the-job hours are not known yet: record the practical period and weekly hours."),
    ({"otj_actual_hours": Decimal("278.3")}, OTJ,
     "278.3 hours done: 0.1 more needed to reach the 278.4 hours minimum."),
])
def test_one_item_not_met_is_not_ready_and_says_why(change, key, reason):
    facts = replace(READY, **change)
    found = items_of(facts)
    assert not gateway_checklist(facts).ready
    assert not found[key].met and found[key].reason == reason
    assert all(item.met for other, item in found.items() if other != key)


@pytest.mark.parametrize(("actual", "minimum", "met"), [
    (Decimal("278.4"), Decimal("278.4"), True),  # at the minimum is enough
    (Decimal("278.39"), Decimal("278.4"), False),
    (Decimal("500"), Decimal("278.4"), True),
    (Decimal("0"), Decimal("0"), True),
    (Decimal("500"), None, False),
])
def test_otj_at_or_above_the_minimum(actual, minimum, met):
    assert otj_item(actual, minimum).met is met


def test_otj_reason_when_met():
    assert otj_item(Decimal("300.50"), Decimal("278.0")).reason == "300.5 hours done of the 278 hours minimum."


# §2.1 [V]: English and maths mandatory for 16-18 at start, optional (decision recorded) from 19.

def born_aged(age, on=START):
    return on.replace(year=on.year - age)


@pytest.mark.parametrize(("status", "decision", "age", "met"), [
    (HELD, False, 16, True), (ACHIEVED, False, 16, True), (HELD, False, 30, True), (ACHIEVED, True, 30, True),
    (NOT_REQUIRED, True, 16, False), (NOT_REQUIRED, True, 18, False), (NOT_YET, False, 18, False),
    (NOT_REQUIRED, True, 19, True), (NOT_REQUIRED, True, 45, True),
    (NOT_REQUIRED, False, 19, False), (NOT_YET, False, 19, False), (NOT_YET, True, 45, False),
])
def test_english_and_maths_by_age_at_start(status, decision, age, met):
    for key in (ENGLISH, MATHS):
        assert functional_skill_item(key, status, decision, start=START, date_of_birth=born_aged(age)).met is met


def test_the_nineteenth_birthday_on_the_start_date_counts_as_19():
    on_birthday = date(2006, 9, 1)  # 19 on 1 Sep 2025
    day_after = date(2006, 9, 2)  # still 18 at the start
    assert functional_skill_item(ENGLISH, NOT_REQUIRED, True, start=START, date_of_birth=on_birthday).met
    item = functional_skill_item(ENGLISH, NOT_REQUIRED, True, start=START, date_of_birth=day_after)
    assert not item.met
    assert item.reason == ("English at Level 2 is required: the apprentice was 18 at the start, and it is mandatory "
                           "for apprentices aged 16 to 18 at the start.")


def test_a_29_february_birthday_turns_a_year_older_on_1_march():
    assert age_on(date(2004, 2, 29), date(2023, 2, 28)) == 18
    assert age_on(date(2004, 2, 29), date(2023, 3, 1)) == 19
    assert age_on(date(2004, 2, 29), date(2024, 2, 29)) == 20


def test_unknown_date_of_birth_needs_english_and_maths_held_or_achieved():
    assert functional_skill_item(MATHS, HELD, False, start=START, date_of_birth=None).met
    item = functional_skill_item(MATHS, NOT_REQUIRED, True, start=START, date_of_birth=None)
    assert not item.met and "date of birth is not recorded" in item.reason


def test_not_required_without_a_recorded_decision_says_so():
    facts = replace(READY, maths=NOT_REQUIRED, maths_decision_recorded=False)
    assert items_of(facts)[MATHS].reason == ("Maths is marked not required, but the decision is not recorded in the "
                                             "training plan.")
    assert not gateway_checklist(facts).ready
    assert gateway_checklist(replace(facts, maths_decision_recorded=True)).ready


def test_an_unknown_english_or_maths_status_is_refused():
    with pytest.raises(ValueError):
        replace(READY, english="exempt")


@pytest.mark.parametrize("module", ["gateway_rules.py", "iqa_sampling.py", "epa.py"])
def test_the_pure_rules_import_the_standard_library_only(module):
    import ast
    import sys
    from pathlib import Path

    tree = ast.parse((Path(__file__).parent.parent / module).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert {name for name in imported if name.split(".")[0] not in sys.stdlib_module_names} == set()


# The portfolio with its counts (gateway_rules.portfolio_item): declared, at least one accepted, none waiting.

@pytest.mark.parametrize(("declared", "accepted", "waiting", "met", "reason"), [
    (True, 1, 0, True, "The portfolio is submitted: 1 item accepted."),
    (True, 12, 0, True, "The portfolio is submitted: 12 items accepted."),
    (False, 12, 0, False, "The portfolio is not yet submitted: the apprentice declares it complete."),
    (False, 0, 0, False, "The portfolio is not yet submitted: no item is accepted by the coach yet."),
    (False, 3, 1, False, "The portfolio is not yet submitted: 1 item is waiting for the coach."),
    (True, 3, 2, False, "The portfolio was declared complete, but 2 items are waiting for the coach."),
    (True, 0, 0, False, "The portfolio was declared complete, but no item is accepted by the coach yet."),
])
def test_the_portfolio_is_submitted_when_declared_with_one_accepted_and_none_waiting(declared, accepted, waiting,
                                                                                     met, reason):
    facts = replace(READY, portfolio_submitted=declared, portfolio_accepted=accepted, portfolio_waiting=waiting)
    item = items_of(facts)[PORTFOLIO]
    assert (item.met, item.reason) == (met, reason)
    assert gateway_checklist(facts).ready is met
