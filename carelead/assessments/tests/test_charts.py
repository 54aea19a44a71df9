"""The server-rendered SVG chart of scores over time: one accessible image that prints, needs no
JavaScript and passes a strict CSP; and each tool's category bands (reference/clinical-tools.md
§11.1). Pure functions: no database, no clock."""

import json
import re
from datetime import date, datetime
from itertools import pairwise
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from carelead.assessments.charts import (
    LABEL_GAP, NO_DATA, TAG_FILLS, TOOL_SCALES, UNSHADED, _spread, category_bands, category_ranges, line_chart,
)
from carelead.assessments.tools import TOOLS
from carelead.assessments.tools.guidance import categories, guidance

SVG = "{http://www.w3.org/2000/svg}"
CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
POINTS = [
    (datetime(2026, 11, 3, 9, 15), 2),
    (datetime(2026, 11, 10, 14, 5), 5),
    (datetime(2026, 11, 22, 8, 0), 9),
]
NEWS2_BANDS = [(0, 4.5, "#cce5d8", "Low risk: 0 to 4"), (4.5, 6.5, "#ffdc8e", "Medium risk: 5 to 6"),
               (6.5, 20, "#f7d4d1", "High risk: 7 or more")]


def parsed(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)


def texts(markup: str) -> list[str]:
    return [element.text for element in parsed(markup).iter(f"{SVG}text")]


def test_the_chart_is_one_labelled_image_for_screen_readers():
    root = parsed(line_chart(POINTS, chart_id="news2-chart", title="NEWS2 totals for Ada Lovell"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "news2-chart-title news2-chart-desc"
    assert root.find(f"{SVG}title").get("id") == "news2-chart-title"
    assert root.find(f"{SVG}title").text == "NEWS2 totals for Ada Lovell"
    assert root.find(f"{SVG}desc").get("id") == "news2-chart-desc"


def test_the_description_says_what_a_sighted_reader_sees():
    desc = parsed(line_chart(POINTS, bands=NEWS2_BANDS)).find(f"{SVG}desc").text
    assert desc == ("3 scores from 3 Nov 2026 to 22 Nov 2026. Latest total 9, on 22 Nov 2026; lowest 2, "
                    "highest 9. Shaded bands: Low risk: 0 to 4; Medium risk: 5 to 6; High risk: 7 or more.")


def test_one_score_is_described_on_its_day():
    desc = parsed(line_chart([(date(2026, 11, 22), 4)])).find(f"{SVG}desc").text
    assert desc == "1 score on 22 Nov 2026. Latest total 4, on 22 Nov 2026; lowest 4, highest 4."


def test_no_scripts_styles_or_outside_files_so_it_prints_and_passes_the_csp():
    markup = line_chart(POINTS, bands=NEWS2_BANDS)
    for forbidden in ("<script", "<style", "style=", "href", "url(", "<image", "<foreignObject", "on"):
        if forbidden == "on":
            assert not re.search(r"\son[a-z]+=", markup)
        else:
            assert forbidden not in markup


def test_the_axes_show_dates_like_22_nov_and_round_values():
    labels = texts(line_chart(POINTS, bands=NEWS2_BANDS))
    assert {"3 Nov", "22 Nov"} <= set(labels)
    assert {"0", "5", "10", "15", "20"} <= set(labels)
    assert "Total" in labels and "Date" in labels


def test_a_chart_across_new_year_names_the_years():
    labels = texts(line_chart([(date(2025, 12, 20), 3), (date(2026, 1, 9), 4)]))
    assert "20 Dec 2025" in labels and "9 Jan 2026" in labels


def test_scores_all_on_one_day_are_told_apart_by_the_time():
    labels = texts(line_chart([(datetime(2026, 11, 22, 9, 0), 3), (datetime(2026, 11, 22, 14, 5), 6)]))
    assert "09:00" in labels and "14:05" in labels


def test_date_labels_never_repeat_and_are_few():
    many = [(datetime(2026, 11, 1 + day // 3, 8 * (day % 3)), day % 7) for day in range(60)]
    labels = [label for label in texts(line_chart(many)) if re.fullmatch(r"\d+ [A-Z][a-z]{2}", label)]
    assert len(labels) == len(set(labels)) <= 5


def test_the_line_joins_the_points_in_time_order_whatever_order_they_come_in():
    root = parsed(line_chart(list(reversed(POINTS))))
    xs = [float(pair.split(",")[0]) for pair in root.find(f"{SVG}polyline").get("points").split()]
    assert xs == sorted(xs) and len(xs) == 3
    assert len(root.findall(f"{SVG}circle")) == 3


def test_points_sit_in_proportion_to_time():
    root = parsed(line_chart([(date(2026, 1, 1), 1), (date(2026, 1, 2), 1), (date(2026, 1, 11), 1)]))
    first, second, third = (float(circle.get("cx")) for circle in root.findall(f"{SVG}circle"))
    assert (second - first) * 10 == pytest.approx(third - first)


def test_higher_values_are_drawn_higher():
    root = parsed(line_chart(POINTS))
    heights = [float(circle.get("cy")) for circle in root.findall(f"{SVG}circle")]
    assert heights == sorted(heights, reverse=True)  # 2, 5, 9: each higher up the page (smaller y)


def test_a_single_score_is_one_point_and_no_line():
    root = parsed(line_chart([(date(2026, 11, 22), 4)]))
    assert root.find(f"{SVG}polyline") is None
    assert len(root.findall(f"{SVG}circle")) == 1


def test_no_scores_draws_the_axes_and_says_so():
    markup = line_chart([])
    assert NO_DATA in texts(markup)
    assert parsed(markup).find(f"{SVG}desc").text == NO_DATA
    assert parsed(markup).find(f"{SVG}circle") is None


def test_mixed_dates_and_zoned_times_are_placed_by_their_wall_clock():
    london = ZoneInfo("Europe/London")
    root = parsed(line_chart([(date(2026, 11, 20), 1), (datetime(2026, 11, 22, 14, 5, tzinfo=london), 2)]))
    assert len(root.findall(f"{SVG}circle")) == 2


def test_decimal_totals_are_written_as_people_write_them():
    desc = parsed(line_chart([(date(2026, 11, 1), Decimal("18.50")), (date(2026, 11, 2), Decimal("7.00"))]))
    assert "Latest total 7, on 2 Nov 2026; lowest 7, highest 18.5." in desc.find(f"{SVG}desc").text


def test_bands_are_shaded_behind_the_line_in_their_colours_and_named():
    root = parsed(line_chart(POINTS, bands=NEWS2_BANDS))
    fills = [rect.get("fill") for rect in root.findall(f"{SVG}rect")]
    assert sorted(fills) == sorted(colour for _, _, colour, _ in NEWS2_BANDS)
    children = list(root)
    assert children.index(root.find(f"{SVG}rect")) < children.index(root.find(f"{SVG}polyline"))
    assert {"Low risk: 0 to 4", "Medium risk: 5 to 6", "High risk: 7 or more"} <= set(texts(line_chart(
        POINTS, bands=NEWS2_BANDS)))


def test_bands_span_the_value_axis_so_the_thresholds_show_even_when_all_scores_are_low():
    root = parsed(line_chart([(date(2026, 11, 1), 0), (date(2026, 11, 2), 1)], bands=NEWS2_BANDS))
    rects = root.findall(f"{SVG}rect")
    top = min(float(rect.get("y")) for rect in rects)
    bottom = max(float(rect.get("y")) + float(rect.get("height")) for rect in rects)
    assert "20" in texts(line_chart([(date(2026, 11, 1), 0)], bands=NEWS2_BANDS))
    assert top < bottom


def test_a_page_with_its_own_key_can_leave_the_band_names_out_of_the_picture():
    markup = line_chart(POINTS, bands=NEWS2_BANDS, label_bands=False)
    assert "Low risk: 0 to 4" not in texts(markup)
    assert "Low risk: 0 to 4" in parsed(markup).find(f"{SVG}desc").text  # still told to screen readers
    assert len(parsed(markup).findall(f"{SVG}rect")) == 3


def test_text_is_escaped():
    markup = line_chart(POINTS, title="Scores <b>& more</b>", bands=[(0, 10, "#fff", "A & B <c>")])
    assert parsed(markup).find(f"{SVG}title").text == "Scores <b>& more</b>"


def test_the_chart_scales_to_its_container_and_keeps_its_shape():
    root = parsed(line_chart(POINTS, width=480, height=240))
    assert root.get("viewBox") == "0 0 480 240"
    assert root.get("width") == "100%" and root.get("height") is None


def test_band_names_close_together_are_moved_apart_but_kept_in_the_plot():
    heights = _spread([20, 22, 24, 200], low=10, high=180)
    assert all(b - a >= LABEL_GAP for a, b in pairwise(heights))
    assert heights[0] >= 10 and heights[-1] <= 180


# --- Each tool's bands ---------------------------------------------------------------------------


@pytest.mark.parametrize("tool", TOOLS)
def test_each_tools_bands_cover_its_scale_without_gaps_in_its_categories_colours(tool):
    lowest, highest, _ = TOOL_SCALES[tool]
    bands = category_bands(tool, guidance)
    assert bands[0][0] == lowest and bands[-1][1] == highest
    for (_, top, _, _), (bottom, _, _, _) in pairwise(bands):
        assert top == bottom
    for (low, high, colour, label), (category, words) in zip(bands, category_ranges(tool), strict=True):
        assert low < high
        assert colour == TAG_FILLS[guidance(tool, category).colour]
        assert label == f"{guidance(tool, category).label}: {words}"


@pytest.mark.parametrize("tool", TOOLS)
def test_each_tools_bands_name_every_category_once(tool):
    named = [category for category, _ in category_ranges(tool)] + [c for c, _ in UNSHADED.get(tool, ())]
    assert sorted(named) == sorted(categories(tool))


CASE_IDS = [(tool, index) for tool in TOOLS for index in range(len(CASES[tool]))]


@pytest.mark.parametrize(("tool", "index"), CASE_IDS, ids=[f"{t}[{i}]" for t, i in CASE_IDS])
def test_every_reference_case_total_falls_in_its_categorys_band(tool, index):
    case = CASES[tool][index]
    ranges = {category: (low, high) for low, high, category in TOOL_SCALES[tool][2]}
    automatic = tool == "ph_frat_part1" and case["category"] == "high" and (
        case["inputs"]["recent_change_affecting_mobility"] or case["inputs"]["dizziness_or_postural_hypotension"]
    )
    if case["category"] in dict(UNSHADED.get(tool, ())) or automatic:
        return  # set by a rule other than the total: no band claims it
    low, high = ranges[case["category"]]
    assert low <= case["total"] and (high is None or case["total"] <= high)
