"""End-point assessment rules (reference/apprenticeship-standard.md §2.2–2.4): every combination of
method grades, the resit cap, impossible grades, the 3-month resit limit and the 4-week observation gap.
No database: these are pure functions."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from carelead.apprenticeships import epa
from carelead.apprenticeships.epa import (
    ANY,
    COMBINATION_RULE,
    DISCUSSION,
    DISTINCTION,
    FAIL,
    METHOD_GRADES,
    OBSERVATION,
    PASS,
    CombinationRow,
    MethodGrades,
    earliest_observation_date,
    is_within_resit_limit,
    method_grades,
    observation_date_errors,
    overall_epa_grade,
    resit_date_errors,
    resit_deadline,
    rule_is_inferred,
)

REPO = Path(epa.__file__).parent.parent.parent


def test_the_contract_imports_from_rules_with_no_django_settings():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    code = ("import sys; from carelead.apprenticeships.rules import overall_epa_grade as g; "
            "assert g(observation='pass', discussion='distinction') == 'distinction'; "
            "assert g(observation='pass', discussion='distinction', after_resit_or_retake=True) == 'pass'; "
            "assert 'django' not in sys.modules, 'django was imported'")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# §2.3: every possible combination, first attempts and after a resit or retake (§2.4 cap).

@pytest.mark.parametrize(("observation", "discussion", "first", "after_resit"), [
    (FAIL, FAIL, FAIL, FAIL),
    (FAIL, PASS, FAIL, FAIL),
    (FAIL, DISTINCTION, FAIL, FAIL),
    (PASS, FAIL, FAIL, FAIL),
    (PASS, PASS, PASS, PASS),
    (PASS, DISTINCTION, DISTINCTION, PASS),
])
def test_overall_grade_for_every_combination(observation, discussion, first, after_resit):
    assert overall_epa_grade(observation=observation, discussion=discussion) == first
    assert overall_epa_grade(observation=observation, discussion=discussion, after_resit_or_retake=False) == first
    assert overall_epa_grade(observation=observation, discussion=discussion, after_resit_or_retake=True) == after_resit


def test_the_table_covers_exactly_the_possible_combinations():
    possible = {(o, d) for o in method_grades(OBSERVATION).grades for d in method_grades(DISCUSSION).grades}
    assert possible == {(o, d) for o in (FAIL, PASS) for d in (FAIL, PASS, DISTINCTION)}
    for observation, discussion in possible:  # each has a row
        assert any(row.matches(observation, discussion) for row in COMBINATION_RULE)


@pytest.mark.parametrize(("observation", "discussion"), [
    (DISTINCTION, PASS),  # the contract's example: a distinction for the observation
    (DISTINCTION, DISTINCTION),
    (DISTINCTION, FAIL),
    ("merit", PASS),
    (PASS, "merit"),
    ("Pass", PASS),  # grades are the lower-case words of the contract
    (PASS, ""),
    (None, PASS),
    (PASS, 1),
    (ANY, PASS),  # the table's wildcard is not a grade
])
def test_an_impossible_or_unknown_grade_is_a_value_error(observation, discussion):
    with pytest.raises(ValueError):
        overall_epa_grade(observation=observation, discussion=discussion)
    with pytest.raises(ValueError):
        overall_epa_grade(observation=observation, discussion=discussion, after_resit_or_retake=True)


def test_the_grades_are_keyword_only():
    with pytest.raises(TypeError):
        overall_epa_grade(PASS, PASS)  # type: ignore[misc]


def test_every_part_of_the_rule_is_marked_inferred_with_a_note():
    assert rule_is_inferred()
    assert all(row.inferred and row.note for row in COMBINATION_RULE)
    assert all(method.inferred and method.note for method in METHOD_GRADES)
    assert "inferred" in epa.INFERRED_NOTE


def test_an_epao_pack_can_replace_the_rule_as_data():
    # e.g. a pack that grades the observation with a distinction too, and needs both for one
    methods = (MethodGrades(OBSERVATION, "Observation", (FAIL, PASS, DISTINCTION), inferred=False, note=""),
               MethodGrades(DISCUSSION, "Discussion", (FAIL, PASS, DISTINCTION), inferred=False, note=""))
    rule = (CombinationRow(FAIL, ANY, FAIL, False, ""), CombinationRow(ANY, FAIL, FAIL, False, ""),
            CombinationRow(DISTINCTION, DISTINCTION, DISTINCTION, False, ""), CombinationRow(ANY, ANY, PASS, False, ""))
    grade = lambda o, d, r=False: overall_epa_grade(observation=o, discussion=d, after_resit_or_retake=r,  # noqa: E731
                                                    rule=rule, methods=methods)
    assert grade(PASS, DISTINCTION) == PASS
    assert grade(DISTINCTION, DISTINCTION) == DISTINCTION
    assert grade(DISTINCTION, DISTINCTION, True) == PASS
    assert grade(DISTINCTION, FAIL) == FAIL
    assert not rule_is_inferred(rule, methods)


def test_a_rule_with_no_row_for_a_combination_is_a_value_error():
    with pytest.raises(ValueError, match="no overall grade"):
        overall_epa_grade(observation=PASS, discussion=PASS, rule=COMBINATION_RULE[:2])


def test_an_unknown_method_is_a_value_error():
    with pytest.raises(ValueError):
        method_grades("exam")


# §2.4: resit or retake within 3 calendar months of the fail notification.

@pytest.mark.parametrize(("notified", "deadline"), [
    (date(2026, 8, 31), date(2026, 11, 30)),  # 31 Aug -> November has 30 days
    (date(2026, 11, 30), date(2027, 2, 28)),  # common year
    (date(2027, 11, 30), date(2028, 2, 29)),  # leap year
    (date(2027, 11, 29), date(2028, 2, 29)),
    (date(2026, 11, 28), date(2027, 2, 28)),
    (date(2027, 11, 1), date(2028, 2, 1)),
    (date(2026, 10, 31), date(2027, 1, 31)),  # across the year end
    (date(2026, 12, 31), date(2027, 3, 31)),
    (date(2027, 2, 28), date(2027, 5, 28)),
    (date(2028, 2, 29), date(2028, 5, 29)),
    (date(2026, 5, 15), date(2026, 8, 15)),
])
def test_resit_deadline_is_three_calendar_months_clamped_to_month_end(notified, deadline):
    assert resit_deadline(notified) == deadline


@pytest.mark.parametrize(("attempt", "within"), [
    (date(2026, 11, 29), False),  # before the notification: not a resit of this fail
    (date(2026, 11, 30), True),  # the day of the notification
    (date(2027, 1, 15), True),
    (date(2027, 2, 28), True),  # the deadline day counts
    (date(2027, 3, 1), False),
])
def test_an_attempt_on_the_deadline_day_is_in_time(attempt, within):
    assert is_within_resit_limit(fail_notified_on=date(2026, 11, 30), attempt_on=attempt) is within
    errors = resit_date_errors(fail_notified_on=date(2026, 11, 30), attempt_on=attempt)
    assert (errors == []) is within


def test_resit_errors_say_why_in_plain_english():
    assert resit_date_errors(fail_notified_on=date(2026, 11, 30), attempt_on=date(2027, 3, 1)) == [
        "A resit or retake must be held within 3 months of the fail being notified, by 28 Feb 2027. "
        "After that the whole end-point assessment is taken again."]
    assert resit_date_errors(fail_notified_on=date(2026, 11, 30), attempt_on=date(2026, 11, 1)) == [
        "A resit or retake cannot be before the fail was notified (30 Nov 2026)."]


# §2.2: the observation is at least 4 weeks (28 days) after gateway.

@pytest.mark.parametrize(("gateway", "planned", "allowed"), [
    (date(2026, 11, 2), date(2026, 11, 29), False),  # day 27
    (date(2026, 11, 2), date(2026, 11, 30), True),  # day 28
    (date(2026, 11, 2), date(2026, 12, 1), True),
    (date(2026, 11, 2), date(2026, 11, 2), False),  # gateway day
    (date(2026, 11, 2), date(2026, 10, 1), False),  # before gateway
    (date(2028, 2, 1), date(2028, 2, 29), True),  # leap year: 28 days later
    (date(2027, 2, 1), date(2027, 3, 1), True),
    (date(2027, 2, 1), date(2027, 2, 28), False),
])
def test_observation_is_planned_at_least_four_weeks_after_gateway(gateway, planned, allowed):
    assert (observation_date_errors(gateway, planned) == []) is allowed


def test_earliest_observation_date_and_its_message():
    assert earliest_observation_date(date(2026, 12, 10)) == date(2027, 1, 7)
    assert observation_date_errors(date(2026, 12, 10), date(2027, 1, 6)) == [
        "The observation must be at least 4 weeks after gateway (10 Dec 2026): plan it on or after 7 Jan 2027."]
