"""The OTJ figures side by side (issue 5, §4), the reusable totals, the month-by-month series and
its chart: known data in, known hours out; totals summed in the database in one query."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.apprenticeships import otj_selectors
from carelead.apprenticeships.models import OtjStatus
from carelead.apprenticeships.otj import (
    OtjMonth, PlannedActivity, hours_and_minutes, minutes_as_hours, monthly_otj_series,
)
from carelead.apprenticeships.otj_chart import otj_chart
from carelead.apprenticeships.rules import FORECAST_BELOW_REQUIRED, MONTH_WITHOUT_OTJ, ActivityType
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, OffTheJobEntryFactory
from carelead.apprenticeships.tests.factories_otj import plan_with

D = Decimal
TODAY = date(2023, 7, 2)  # 182 of the 364 days from 1 Jan 2023 to 31 Dec 2023


# --- Pure: words and the series ---


@pytest.mark.parametrize(("minutes", "words"), [(0, "0 min"), (1, "1 min"), (45, "45 min"), (60, "1 h"),
                                                 (90, "1 h 30 min"), (1440, "24 h")])
def test_time_reads_as_hours_and_minutes(minutes, words):
    assert hours_and_minutes(minutes) == words


@pytest.mark.parametrize("bad", [-1, 1.5, True, "90"])
def test_time_in_words_refuses_what_is_not_whole_minutes(bad):
    with pytest.raises(ValueError):
        hours_and_minutes(bad)


def test_minutes_become_hours_to_a_tenth_half_up():
    assert [minutes_as_hours(m) for m in (0, 3, 9, 90, 100)] == [D("0.0"), D("0.1"), D("0.2"), D("1.5"), D("1.7")]


def test_the_series_runs_month_by_month_with_actual_only_to_today():
    months = monthly_otj_series(
        start=date(2025, 9, 15), end=date(2025, 12, 14), today=date(2025, 10, 20),
        approved_minutes_by_day=[(date(2025, 9, 20), 60), (date(2025, 10, 1), 30), (date(2025, 10, 2), 30)],
        planned=[PlannedActivity(date(2025, 9, 15), date(2025, 12, 14), D(91))], required=D(91))
    assert [(m.year, m.month, m.until) for m in months] == [
        (2025, 9, date(2025, 9, 30)), (2025, 10, date(2025, 10, 31)), (2025, 11, date(2025, 11, 30)),
        (2025, 12, date(2025, 12, 14))]
    assert [m.actual for m in months] == [D("1.0"), D("2.0"), None, None]
    assert [m.planned for m in months] == [D("16.0"), D("47.0"), D("77.0"), D("91.0")]  # a day each, 91 days
    assert months[-1].expected == D("91.0") and months[0].expected == D("15.2")  # 91 x 15 / 90 days elapsed


def test_the_series_reaches_a_late_entry_after_the_planned_end():
    months = monthly_otj_series(start=date(2025, 1, 1), end=date(2025, 2, 1), today=date(2025, 4, 5),
                                approved_minutes_by_day=[(date(2025, 4, 1), 60)], planned=[], required=None)
    assert [(m.month, m.actual, m.expected) for m in months] == [
        (1, D("0.0"), None), (2, D("0.0"), None), (3, D("0.0"), None), (4, D("1.0"), None)]


def test_the_series_needs_an_end_after_the_start():
    with pytest.raises(ValueError, match="end must be after start"):
        monthly_otj_series(start=date(2025, 1, 1), end=date(2025, 1, 1), today=date(2025, 1, 1),
                           approved_minutes_by_day=[], planned=[], required=None)


def test_a_start_on_the_last_day_of_a_month_still_has_that_month():
    months = monthly_otj_series(start=date(2025, 1, 31), end=date(2025, 3, 1), today=date(2025, 1, 31),
                                approved_minutes_by_day=[(date(2025, 1, 31), 30)], planned=[], required=D(29))
    assert [(m.month, m.until, m.actual, m.expected) for m in months] == [
        (1, date(2025, 1, 31), D("0.5"), D("0.0")), (2, date(2025, 2, 28), None, D("28.0")),
        (3, date(2025, 3, 1), None, D("29.0"))]


# --- The figures with known data ---

pytestmark_db = pytest.mark.django_db


def known(reference_data):
    """30 h a week from 1 Jan 2023 to 31 Dec 2023 (§4: 278.49 h minimum); a signed plan of 100 h over
    the whole of 2023, and a later unsigned version of 500 h the figures must not use."""
    apprenticeship = ApprenticeshipFactory(start_date=date(2023, 1, 1), practical_period_end=date(2023, 12, 31),
                                           hours=30)
    plan_with(apprenticeship, {"planned_hours": D(100), "planned_from": date(2023, 1, 1),
                               "planned_to": date(2023, 12, 31)},
              {"activity_type": ActivityType.PROGRESS_REVIEW.value, "counts_as_otj": False, "planned_hours": D(8)})
    plan_with(apprenticeship, {"planned_hours": D(500)}, signed=False)
    for day, minutes, status in [(date(2023, 1, 10), 120, OtjStatus.APPROVED),
                                 (date(2023, 2, 3), 90, OtjStatus.APPROVED),
                                 (date(2023, 2, 4), 60, OtjStatus.SUBMITTED),
                                 (date(2023, 6, 5), 30, OtjStatus.RETURNED)]:
        OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=day, minutes=minutes, status=status)
    return apprenticeship


@pytestmark_db
def test_the_figures_side_by_side(reference_data):
    figures = otj_selectors.otj_figures(known(reference_data), TODAY)
    assert figures.required == D("278.49") and figures.required_reason == ""
    assert figures.planned == D("100.0") and figures.plan_state == otj_selectors.PLAN_SIGNED
    assert figures.actual == D("3.5")  # approved 120 + 90 minutes; the returned 30 counts nowhere
    assert figures.waiting == D("1.0")
    assert figures.expected == D("139.2")  # 278.49 x 182 / 364 = 139.245, half up to 0.1
    assert figures.forecast == D("53.4")  # 3.5 + (100 - 100 x 183 / 365 = 49.9)
    codes = [flag.code for flag in figures.flags]
    assert codes[0] == FORECAST_BELOW_REQUIRED
    assert [f.message for f in figures.flags if f.code == MONTH_WITHOUT_OTJ] == [
        "No off-the-job training in March 2023.", "No off-the-job training in April 2023.",
        "No off-the-job training in May 2023.", "No off-the-job training in June 2023."]  # returned is not OTJ
    assert len(figures.months) == 12 and figures.months[1].actual == D("3.5") and figures.months[6].actual == D("3.5")
    assert figures.months[7].actual is None


@pytestmark_db
def test_the_figures_cost_five_queries_whatever_the_entries(reference_data):
    apprenticeship = known(reference_data)
    with CaptureQueriesContext(connection) as few:
        otj_selectors.otj_figures(apprenticeship, TODAY)
    for day in range(1, 28):
        OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2023, 3, day), status=OtjStatus.APPROVED)
    with CaptureQueriesContext(connection) as many:
        figures = otj_selectors.otj_figures(apprenticeship, TODAY)
    assert len(few) == len(many) == 5
    assert figures.actual == D("44.0")  # 3.5 + 27 x 1.5


@pytestmark_db
def test_a_day_over_its_contracted_hours_is_flagged(reference_data):
    apprenticeship = ApprenticeshipFactory(start_date=date(2023, 1, 1), practical_period_end=date(2023, 12, 31),
                                           hours=30)  # 6 h a day
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2023, 1, 9), minutes=240)
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2023, 1, 9), minutes=121,
                          status=OtjStatus.APPROVED)
    messages = [flag.message for flag in otj_selectors.otj_figures(apprenticeship, date(2023, 1, 20)).flags]
    assert "More off-the-job time on 9 Jan 2023 than the day's contracted hours." in messages


@pytestmark_db
def test_without_a_signed_plan_the_latest_version_is_used_and_said(reference_data):
    apprenticeship = ApprenticeshipFactory(start_date=date(2023, 1, 1), practical_period_end=date(2023, 12, 31))
    plan_with(apprenticeship, {"planned_hours": D(40)}, signed=False)
    figures = otj_selectors.otj_figures(apprenticeship, TODAY)
    assert figures.planned == D("40.0") and figures.plan_state == otj_selectors.PLAN_UNSIGNED
    assert "not agreed" in figures.plan_note


@pytestmark_db
def test_an_unknown_minimum_says_why_and_expects_nothing(reference_data):
    figures = otj_selectors.otj_figures(ApprenticeshipFactory(), date(2025, 10, 1))  # v1.1: minimum not imported
    assert figures.required is None and figures.expected is None and "Not known" in figures.required_reason
    assert FORECAST_BELOW_REQUIRED not in [flag.code for flag in figures.flags]


@pytestmark_db
def test_totals_for_any_number_of_apprenticeships_in_one_query(reference_data):
    first, second, empty = known(reference_data), ApprenticeshipFactory(), ApprenticeshipFactory()
    OffTheJobEntryFactory(apprenticeship=second, minutes=45, status=OtjStatus.APPROVED, entry_date=date(2025, 9, 9))
    with CaptureQueriesContext(connection) as queries:
        totals = otj_selectors.otj_totals([first.pk, second.pk, empty.pk])
    assert len(queries) == 1
    assert totals[first.pk] == {"approved_minutes": 210, "submitted_minutes": 60, "last_entry_date": date(2023, 6, 5)}
    assert totals[second.pk] == {"approved_minutes": 45, "submitted_minutes": 0, "last_entry_date": date(2025, 9, 9)}
    assert empty.pk not in totals and otj_selectors.EMPTY_TOTALS["approved_minutes"] == 0


@pytestmark_db
def test_approved_minutes_between_two_dates_both_included(reference_data):
    apprenticeship = known(reference_data)
    assert otj_selectors.approved_minutes_between(apprenticeship, date(2023, 1, 10), date(2023, 2, 3)) == 210
    assert otj_selectors.approved_minutes_between(apprenticeship, date(2023, 1, 11), date(2023, 2, 2)) == 0


# --- The chart ---


def _figures(months, required=D(100)):
    return otj_selectors.OtjFigures(required=required, required_reason="", planned=D(50), actual=D(3), expected=D(10),
                                    forecast=D(50), waiting=D(0), flags=[], months=months)


def test_the_chart_is_an_accessible_svg_with_a_point_per_month_so_far():
    months = [OtjMonth(2025, m, date(2025, m, 28), D(m) if m <= 10 else None, D(m * 2), D(m * 3)) for m in range(9, 13)]
    chart = otj_chart(_figures(months))
    svg = str(chart["svg"])
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="otj-chart-title otj-chart-desc"' in svg and "<title id=\"otj-chart-title\">" in svg
    assert svg.count("<circle") == 2  # Sep and Oct have happened
    assert len(re.findall(r'class="otj-chart__(actual|expected|planned|required)"', svg)) == 4
    assert "Sep 2025" in svg and [row["month"] for row in chart["rows"]] == ["Sep 2025", "Oct 2025", "Nov 2025",
                                                                            "Dec 2025"]
    import xml.etree.ElementTree as ElementTree
    root = ElementTree.fromstring(svg)  # well-formed XML
    points = root.find("{http://www.w3.org/2000/svg}polyline[@class='otj-chart__planned']").get("points").split()
    assert len(points) == 4


def test_without_a_minimum_the_chart_draws_no_required_or_expected_line():
    months = [OtjMonth(2025, 9, date(2025, 9, 30), D(1), None, D(2))]
    chart = otj_chart(_figures(months, required=None))
    assert "otj-chart__required" not in str(chart["svg"]) and "otj-chart__expected" not in str(chart["svg"])
    assert [line.key for line in chart["lines"]] == ["actual", "planned"]


@pytestmark_db
def test_totals_take_a_queryset_of_ids_as_a_subquery(reference_data):
    from carelead.apprenticeships.models import Apprenticeship

    apprenticeship = known(reference_data)
    with CaptureQueriesContext(connection) as queries:
        totals = otj_selectors.otj_totals(Apprenticeship.objects.filter(coach=apprenticeship.coach).values("pk"))
    assert len(queries) == 1 and totals[apprenticeship.pk]["approved_minutes"] == 210
