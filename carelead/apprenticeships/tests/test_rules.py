"""Progress reviews (§5.1), standard versions (§1.4), the EPAO deadline (§5.2) and the caseload RAG
(issue 5's published rule), from reference/apprenticeship-standard.md; and the import contract."""

import ast
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from carelead.apprenticeships import rules
from carelead.apprenticeships.rules import (
    AMBER,
    DUE,
    GREEN,
    IN_DATE,
    OVERDUE,
    RED,
    StandardVersion,
    caseload_position,
    caseload_rag,
    epao_deadline,
    epao_missing_flag,
    next_review_due,
    review_state,
    standard_version_for,
)

APP = Path(rules.__file__).parent
REPO = APP.parent.parent


# The import contract: no Django, no settings.

def test_the_contract_imports_with_no_django_settings():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    code = ("import sys; from carelead.apprenticeships.rules import minimum_otj_hours, next_review_due; "
            "assert 'django' not in sys.modules, 'django was imported'")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", ["rules.py", "otj.py", "epa.py"])
def test_rules_import_the_standard_library_and_each_other_only(module):
    tree = ast.parse((APP / module).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    outside = {name for name in imported if name.split(".")[0] not in sys.stdlib_module_names}
    assert outside <= {"carelead.apprenticeships.otj", "carelead.apprenticeships.epa"}


# §5.1 progress reviews.

@pytest.mark.parametrize(("start", "previous", "due"), [
    (date(2022, 7, 31), date(2022, 7, 31), date(2022, 10, 23)),
    (date(2022, 8, 1), date(2022, 12, 1), date(2023, 2, 23)),
    (date(2023, 8, 1), date(2024, 1, 15), date(2024, 4, 8)),  # across 29 Feb 2024
    (date(2025, 7, 31), date(2025, 8, 1), date(2025, 10, 24)),  # last 12-week start
])
def test_starts_to_31_july_2025_review_every_12_weeks(start, previous, due):
    assert next_review_due(start=start, previous_review=previous) == due
    assert (due - previous).days == 84


@pytest.mark.parametrize(("previous", "due"), [
    (date(2025, 8, 1), date(2025, 11, 30)),  # the rule's own example
    (date(2025, 8, 31), date(2025, 11, 30)),
    (date(2025, 10, 31), date(2026, 1, 31)),  # across the year
    (date(2025, 12, 15), date(2026, 3, 31)),
    (date(2026, 11, 30), date(2027, 2, 28)),
    (date(2027, 11, 1), date(2028, 2, 29)),  # leap year
    (date(2026, 6, 1), date(2026, 9, 30)),
])
def test_starts_from_1_august_2025_review_by_the_end_of_the_third_month_after(previous, due):
    assert next_review_due(start=date(2025, 8, 1), previous_review=previous) == due


def test_the_first_review_counts_from_the_start():
    assert next_review_due(start=date(2025, 8, 1), previous_review=date(2025, 8, 1)) == date(2025, 11, 30)


def test_a_previous_review_before_the_start_is_refused():
    with pytest.raises(ValueError) as refused:
        next_review_due(start=date(2025, 8, 1), previous_review=date(2025, 7, 31))
    assert str(refused.value) == "previous_review must not be before start"


def test_next_review_due_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        next_review_due(date(2025, 8, 1), date(2025, 8, 1))  # type: ignore[misc]


@pytest.mark.parametrize(("today", "state"), [
    (date(2026, 11, 22), IN_DATE),  # 15 days before
    (date(2026, 11, 23), DUE),  # 14 days before
    (date(2026, 12, 7), DUE),  # on the day: on time
    (date(2026, 12, 8), OVERDUE),
])
def test_review_state_due_in_the_14_days_before_overdue_the_day_after(today, state):
    assert review_state(date(2026, 12, 7), today) == state


# §1.4 standard versions by start date.

V1_0 = StandardVersion("ST0007", "1.0", date(2018, 6, 1), date(2021, 3, 31))
V1_1 = StandardVersion("ST0007", "1.1", date(2021, 4, 1), None, published_minimum_otj=Decimal(419))


@pytest.mark.parametrize(("start", "version"), [
    (date(2018, 6, 1), V1_0), (date(2021, 3, 31), V1_0), (date(2021, 4, 1), V1_1), (date(2026, 11, 23), V1_1),
])
def test_the_version_whose_start_dates_contain_the_start(start, version):
    assert standard_version_for(start, [V1_0, V1_1]) == version


def test_a_start_no_version_takes_is_refused():
    with pytest.raises(ValueError, match="no version of the standard takes starts on 2018-05-31"):
        standard_version_for(date(2018, 5, 31), [V1_0, V1_1])
    with pytest.raises(ValueError, match=rules.NO_VERSIONS):
        standard_version_for(date(2022, 1, 1), [])


def test_where_versions_overlap_the_highest_version_number_wins():
    v1_9 = StandardVersion("ST0007", "1.9", None, None)
    v1_10 = StandardVersion("ST0007", "1.10", date(2022, 1, 1), None)
    assert standard_version_for(date(2022, 1, 1), (v1_9, v1_10)) == v1_10
    assert standard_version_for(date(2021, 12, 31), (v1_9, v1_10)) == v1_9


def test_a_version_cannot_end_before_it_begins():
    with pytest.raises(ValueError, match=rules.VERSION_DATES_REVERSED):
        StandardVersion("ST0007", "1.0", date(2021, 4, 1), date(2021, 3, 31))


# §5.2 EPAO named no later than 6 months before the planned end.

@pytest.mark.parametrize(("planned_end", "deadline"), [
    (date(2027, 1, 31), date(2026, 7, 31)),
    (date(2027, 3, 15), date(2026, 9, 15)),
    (date(2027, 8, 31), date(2027, 2, 28)),  # February is shorter
    (date(2028, 8, 31), date(2028, 2, 29)),  # leap year
    (date(2027, 5, 1), date(2026, 11, 1)),  # across the year
])
def test_epao_deadline_is_six_calendar_months_before_the_planned_end(planned_end, deadline):
    assert epao_deadline(planned_end) == deadline


@pytest.mark.parametrize(("named", "today", "flag"), [
    (False, date(2026, 5, 1), None),  # 91 days before the deadline
    (False, date(2026, 5, 2), DUE),  # 90 days before
    (False, date(2026, 7, 31), DUE),  # on the deadline: still in time
    (False, date(2026, 8, 1), OVERDUE),
    (True, date(2026, 8, 1), None),
])
def test_epao_missing_flag(named, today, flag):
    assert epao_missing_flag(date(2027, 1, 31), named, today) == flag


# The caseload RAG (issue 5's rule; red beyond 20 points is carelead's).

START = date(2026, 1, 1)
END = START + timedelta(days=100)  # so a day is one percentage point of time


def rag(days, otj_actual, ksbs=10):
    return caseload_rag(START, END, START + timedelta(days=days), Decimal(otj_actual), Decimal(100), ksbs, 10)


@pytest.mark.parametrize(("days", "otj_actual", "ksbs", "expected"), [
    (25, 0, 0, GREEN),  # the first 25%: always green
    (26, 0, 10, RED),  # 26 points behind on OTJ
    (26, 16, 10, GREEN),  # 10 points behind: not more than 10
    (26, "15.9", 10, AMBER),
    (50, 40, 10, GREEN),
    (50, "39.9", 10, AMBER),
    (50, 30, 10, AMBER),  # 20 points: not more than 20
    (50, "29.9", 10, RED),
    (50, 100, 4, GREEN),  # KSBs 10 points behind
    (50, 100, 3, AMBER),  # KSBs 20 behind
    (50, 100, 2, RED),
    (150, 100, 10, GREEN),  # after the planned end time is 100%
    (150, 85, 10, AMBER),
    (-5, 0, 0, GREEN),  # not started yet
])
def test_caseload_rag_bands(days, otj_actual, ksbs, expected):
    assert rag(days, otj_actual, ksbs) == expected


def test_otj_beyond_the_requirement_counts_as_100_percent():
    position = caseload_position(START, END, START + timedelta(days=50), Decimal(250), Decimal(100), 5, 10)
    assert (position.time_percent, position.otj_percent, position.ksb_percent, position.rag) == (50, 100, 50, GREEN)


def test_the_published_rule_states_the_thresholds_the_code_uses():
    for number in (rules.RAG_GRACE_PERCENT, rules.AMBER_GAP_POINTS, rules.RED_GAP_POINTS):
        assert f"{number}" in rules.CASELOAD_RULE
    assert (rules.RAG_GRACE_PERCENT, rules.AMBER_GAP_POINTS, rules.RED_GAP_POINTS) == (25, 10, 20)


@pytest.mark.parametrize(("arguments", "message"), [
    ((START, START), rules.PLANNED_END_NOT_AFTER_START),
    ((START, END, START, Decimal(0), Decimal(0), 1, 10), rules.REQUIRED_HOURS_NOT_POSITIVE),
    ((START, END, START, Decimal(-1), Decimal(100), 1, 10), rules.OTJ_ACTUAL_NEGATIVE),
    ((START, END, START, "10", Decimal(100), 1, 10), "otj_actual must be a number"),
    ((START, END, START, Decimal(1), Decimal(100), 1, 0), rules.KSB_TOTAL_NOT_POSITIVE),
    ((START, END, START, Decimal(1), Decimal(100), 11, 10), rules.KSB_EVIDENCED_RANGE),
    ((START, END, START, Decimal(1), Decimal(100), -1, 10), rules.KSB_EVIDENCED_RANGE),
])
def test_caseload_rag_refuses_bad_figures(arguments, message):
    defaults = (START, END, START, Decimal(0), Decimal(100), 0, 10)
    with pytest.raises(ValueError) as refused:
        caseload_rag(*(arguments + defaults[len(arguments):]))
    assert str(refused.value) == message
