"""The OTJ chart over time, drawn on the server as an inline SVG (no JavaScript, no CSP exception).

Four lines over the months of the programme (issue 5): actual approved hours, cumulative, with a
point per month so far; expected to date (pro rata); planned by the training plan; and the required
minimum as a level. Each line has its own dash pattern as well as its colour, so it never relies on
colour alone. The SVG is role="img" named by its <title> and described by its <desc>; the same
figures are in a table beside it (`rows`) for screen readers and for anyone who wants the numbers.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# A small canvas with large text: drawn at two-thirds of the page width on a computer (about 1.3x)
# and the full width of a phone (about 0.7x), the labels stay readable at both.
WIDTH, HEIGHT = 480, 280
LEFT, RIGHT, TOP, BOTTOM = 52, 36, 16, 40
FONT_SIZE = 15
MAX_MONTH_LABELS = 5
TEXT = "#212b32"  # NHS.UK text colour: contrast 15:1 on white


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    colour: str
    dash: str  # SVG stroke-dasharray; "" is solid


ACTUAL = Line("actual", "Actual (approved)", "#005eb8", "")
EXPECTED = Line("expected", "Expected to date", "#007f3b", "10 5")
PLANNED = Line("planned", "Planned (training plan)", "#330072", "3 4")
REQUIRED = Line("required", "Minimum required", "#d5281b", "14 4 3 4")
LINES = [ACTUAL, EXPECTED, PLANNED, REQUIRED]


def month_label(day: date) -> str:
    return f"{day:%b %Y}"


def _nice_step(top: float) -> int:
    """A round step for about five gridlines: 1, 2, 5 or 10 times a power of ten."""
    rough = max(top / 5, 1)
    power = 10 ** math.floor(math.log10(rough))
    return int(next(step * power for step in (1, 2, 5, 10) if step * power >= rough))


def _points(values, x, y) -> str:
    return " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in values)


def _line(line: Line, points: str) -> str:
    dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
    return (f'<polyline class="otj-chart__{line.key}" points="{points}" fill="none" stroke="{line.colour}" '
            f'stroke-width="3"{dash} stroke-linejoin="round"/>')


def _axes(months, top_value: int, step: int, x, y) -> list[str]:
    parts = []
    for value in range(0, top_value + 1, step):
        parts.append(f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" '
                     f'stroke="#d8dde0" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="{FONT_SIZE}" '
                     f'fill="{TEXT}">{value} h</text>')
    every = math.ceil(len(months) / MAX_MONTH_LABELS)
    for i, month in enumerate(months):
        if i % every == 0:
            label = escape(month_label(date(month.year, month.month, 1)))
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" '
                         f'font-size="{FONT_SIZE}" fill="{TEXT}">{label}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}" stroke="{TEXT}"/>')
    return parts


def otj_chart(figures, *, chart_id: str = "otj-chart") -> dict:
    """The chart of `figures` (otj_selectors.OtjFigures): {"svg": the markup, "rows": the table's rows,
    "lines": the legend}. Nothing here queries."""
    months = figures.months
    required = figures.required
    highest = max([float(required or 0), *(float(m.planned) for m in months),
                   *(float(m.expected) for m in months if m.expected is not None),
                   *(float(m.actual) for m in months if m.actual is not None), 1.0])
    step = _nice_step(highest)
    top_value = step * math.ceil(highest / step)
    span = max(len(months) - 1, 1)

    def x(i):
        return LEFT + (WIDTH - LEFT - RIGHT) * i / span

    def y(value):
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(value) / top_value)

    parts = _axes(months, top_value, step, x, y)
    if required is not None:
        parts.append(_line(REQUIRED, _points([(0, required), (span, required)], x, y)))
        parts.append(_line(EXPECTED, _points([(i, m.expected) for i, m in enumerate(months)], x, y)))
    parts.append(_line(PLANNED, _points([(i, m.planned) for i, m in enumerate(months)], x, y)))
    actual = [(i, m.actual) for i, m in enumerate(months) if m.actual is not None]
    if actual:
        parts.append(_line(ACTUAL, _points(actual, x, y)))
        parts.extend(f'<circle class="otj-chart__point" cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{ACTUAL.colour}"/>'
                     for i, v in actual)
    svg = format_html(
        '<svg class="otj-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, HEIGHT, chart_id, chart_id, chart_id, "Off-the-job hours over time", chart_id, describe(figures),
        mark_safe("".join(parts)))  # every part above is numbers or escaped text
    rows = [{"month": month_label(date(m.year, m.month, 1)), "actual": m.actual, "expected": m.expected,
             "planned": m.planned} for m in months]
    shown = [line for line in LINES if required is not None or line not in (EXPECTED, REQUIRED)]
    return {"svg": SafeString(svg), "rows": rows, "lines": shown}


def _hours(value: Decimal | None) -> str:
    return "not known" if value is None else f"{value} h"


def describe(figures) -> str:
    """The chart in one paragraph of words, for its <desc>."""
    months = figures.months
    span = f"from {month_label(date(months[0].year, months[0].month, 1))} to " \
           f"{month_label(date(months[-1].year, months[-1].month, 1))}" if months else ""
    return (f"Cumulative off-the-job hours by month {span}. Approved so far {_hours(figures.actual)}; "
            f"expected by now {_hours(figures.expected)}; planned in all {_hours(figures.planned)}; "
            f"minimum required {_hours(figures.required)}. The table below gives each month's figures.")
