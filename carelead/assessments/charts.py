"""Server-rendered SVG charts of scores over time (DESIGN.md "charts": they print and need no
JavaScript). Pure functions: plain values in, SVG markup out; no Django, no clock, no files.

The markup obeys the strict CSP (STYLE.md §7): no <style> element, no style attribute, no script;
only SVG presentation attributes. The chart is one accessible image (role="img") whose <title> and
<desc> say what a sighted reader would take from it; the page shows the same data as a table.
"""

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from html import escape
from math import ceil, floor

Number = int | float | Decimal
Point = tuple[date | datetime, Number]
Band = tuple[Number, Number, str, str]  # (low, high, colour, label), in the values' units

# NHS.UK colours (frontend v10): text, secondary text, borders, the line in NHS blue.
TEXT = "#212b32"
SECONDARY_TEXT = "#4c6272"
GRID = "#d8dde0"
AXIS = "#4c6272"
LINE = "#005eb8"
FONT = "Frutiger W01, Arial, sans-serif"
FONT_SIZE = 15

# Space around the plot for the axes' labels; on the right for the bands' names when there are any.
MARGIN_LEFT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 52
MARGIN_RIGHT = 20
CHARACTER_WIDTH = 8.1  # an average character of FONT_SIZE text, to leave room for the bands' names
LABEL_GAP = 17  # the least distance between two bands' names, so they never overlap
MAX_DATE_TICKS = 5
NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
MAX_VALUE_TICKS = 6

NO_DATA = "No scores recorded yet."


def _wall_clock(moment: date | datetime) -> datetime:
    """A date as its midnight; a datetime as its own wall-clock time (the caller gives local time)."""
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=None)
    return datetime.combine(moment, time())


def _number(value: Number) -> str:
    """A value as people write it: 5, 18.5 (never 5.0 or 18.50)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    return str(value)


def _day(moment: datetime, *, year: bool) -> str:
    """22 Nov, or 22 Nov 2026 when the chart spans more than one year."""
    text = f"{moment.day} {moment:%b}"
    return f"{text} {moment.year}" if year else text


def _full(moment: datetime) -> str:
    """22 Nov 2026."""
    return f"{moment.day} {moment:%b %Y}"


def _value_ticks(low: float, high: float) -> list[float]:
    """Round numbers across low..high, at most MAX_VALUE_TICKS of them."""
    span = max(high - low, 1)
    step = next((s for s in NICE_STEPS if span / s <= MAX_VALUE_TICKS), NICE_STEPS[-1])
    first = ceil(low / step) * step
    return [first + step * i for i in range(floor((high - first) / step) + 1)]


def _date_ticks(first: datetime, last: datetime, count: int) -> list[datetime]:
    """Up to MAX_DATE_TICKS moments from the first to the last point, evenly spaced."""
    ticks = min(count, MAX_DATE_TICKS)
    if ticks <= 1 or first == last:
        return [first]
    return [first + (last - first) * i / (ticks - 1) for i in range(ticks)]


def _spread(centres: list[float], *, low: float, high: float) -> list[float]:
    """Heights for labels wanted at `centres` (top to bottom), moved apart as little as possible
    so that each is at least LABEL_GAP from the next, and kept between low and high."""
    heights = list(centres)
    for i in range(1, len(heights)):
        heights[i] = max(heights[i], heights[i - 1] + LABEL_GAP)
    if heights and heights[-1] > high:
        heights[-1] = high
    for i in range(len(heights) - 2, -1, -1):
        heights[i] = min(heights[i], heights[i + 1] - LABEL_GAP)
    if heights and heights[0] < low:
        shift = low - heights[0]
        heights = [height + shift for height in heights]
    return heights


def _summary(points: list[tuple[datetime, Number]], *, bands: Sequence[Band], value_name: str) -> str:
    first, last = points[0][0], points[-1][0]
    values = [value for _, value in points]
    count = "1 score" if len(points) == 1 else f"{len(points)} scores"
    when = f"on {_full(first)}" if first.date() == last.date() else f"from {_full(first)} to {_full(last)}"
    text = (f"{count} {when}. Latest {value_name.lower()} {_number(values[-1])}, on {_full(last)}; "
            f"lowest {_number(min(values))}, highest {_number(max(values))}.")
    if bands:
        text += " Shaded bands: " + "; ".join(label for _, _, _, label in bands) + "."
    return text


def line_chart(
    points: Sequence[Point],
    *,
    bands: Sequence[Band] = (),
    width: int = 640,
    height: int = 240,
    title: str = "Scores over time",
    value_name: str = "Total",
    chart_id: str = "chart",
    label_bands: bool = True,
) -> str:
    """An accessible SVG line chart of values over time: the points joined in time order on a time
    axis, round-number value ticks, date labels ("22 Nov"), and `bands` shaded behind the line
    with their labels (category thresholds). `<title>` and `<desc>` summarise it for screen readers;
    `chart_id` keeps their ids unique on the page. Scales to its container's width; a page that
    shows the bands' names itself (a key that reflows on a phone) passes `label_bands=False` and
    the plot takes the whole width."""
    plotted = sorted(((_wall_clock(moment), value) for moment, value in points), key=lambda point: point[0])
    longest = max((len(label) for _, _, _, label in bands), default=0)
    right = min(int(longest * CHARACTER_WIDTH) + 16, width // 2) if bands and label_bands else MARGIN_RIGHT
    left, top, bottom = MARGIN_LEFT, MARGIN_TOP, height - MARGIN_BOTTOM
    plot_right = width - right
    year = bool(plotted) and plotted[0][0].year != plotted[-1][0].year
    description = _summary(plotted, bands=bands, value_name=value_name) if plotted else NO_DATA

    values = [float(value) for _, value in plotted]
    edges = [float(edge) for low, high, _, _ in bands for edge in (low, high)]
    low_value, high_value = min(values + edges, default=0.0), max(values + edges, default=1.0)
    if high_value == low_value:
        low_value, high_value = low_value - 1, high_value + 1

    def y(value: float) -> float:
        return bottom - (value - low_value) / (high_value - low_value) * (bottom - top)

    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="carelead-chart" viewBox="0 0 {width} {height}" '
         f'width="100%" role="img" focusable="false" aria-labelledby="{chart_id}-title {chart_id}-desc" '
         f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT}">'),
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    shading = sorted(bands, key=lambda band: -float(band[1]))  # top to bottom
    for low, high, colour, _ in shading:
        y_top, y_bottom = y(float(high)), y(float(low))
        parts.append(f'<rect x="{left}" y="{y_top:.1f}" width="{plot_right - left}" '
                     f'height="{y_bottom - y_top:.1f}" fill="{escape(colour)}"/>')
    if label_bands:
        centres = [(y(float(high)) + y(float(low))) / 2 for low, high, _, _ in shading]
        for (_, _, _, label), label_y in zip(shading, _spread(centres, low=top + 5, high=bottom - 5), strict=True):
            parts.append(f'<text x="{plot_right + 8}" y="{label_y + 5:.1f}">{escape(label)}</text>')
    for tick in _value_ticks(low_value, high_value):
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{plot_right}" y2="{y(tick):.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 8}" y="{y(tick) + 5:.1f}" text-anchor="end">{_number(tick)}</text>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{plot_right}" y2="{bottom}" stroke="{AXIS}" stroke-width="1"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{AXIS}" stroke-width="1"/>')
    parts.append(f'<text x="16" y="{(top + bottom) / 2:.1f}" text-anchor="middle" fill="{SECONDARY_TEXT}" '
                 f'transform="rotate(-90 16 {(top + bottom) / 2:.1f})">{escape(value_name)}</text>')
    parts.append(f'<text x="{(left + plot_right) / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                 f'fill="{SECONDARY_TEXT}">Date</text>')

    if not plotted:
        parts.append(f'<text x="{(left + plot_right) / 2:.1f}" y="{(top + bottom) / 2:.1f}" '
                     f'text-anchor="middle">{escape(NO_DATA)}</text>')
        parts.append("</svg>")
        return "".join(parts)

    first, last = plotted[0][0], plotted[-1][0]
    inner = 12  # keep the first and last points off the axis line

    def x(moment: datetime) -> float:
        if first == last:
            return (left + plot_right) / 2
        return left + inner + (moment - first) / (last - first) * (plot_right - left - 2 * inner)

    labels = []
    for tick in _date_ticks(first, last, len(plotted)):
        # Points all on one day are told apart by the time of day.
        label = _day(tick, year=year) if first.date() != last.date() else f"{tick:%H:%M}"
        if labels and labels[-1] == label:
            continue  # two ticks on the same day: one label is enough
        labels.append(label)
        parts.append(f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" y2="{bottom + 5}" '
                     f'stroke="{AXIS}" stroke-width="1"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{bottom + 22}" text-anchor="middle">{escape(label)}</text>')

    coordinates = " ".join(f"{x(moment):.1f},{y(float(value)):.1f}" for moment, value in plotted)
    if len(plotted) > 1:
        parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{LINE}" stroke-width="3" '
                     f'stroke-linejoin="round" stroke-linecap="round"/>')
    for moment, value in plotted:
        parts.append(f'<circle cx="{x(moment):.1f}" cy="{y(float(value)):.1f}" r="5" fill="{LINE}" '
                     f'stroke="#ffffff" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


# --- Category bands of the standard tools --------------------------------------------------------

# The NHS.UK tag colours' backgrounds (nhsuk-frontend v10), so a band is shaded as its tag is drawn.
TAG_FILLS = {
    "white": "#ffffff", "grey": "#dbe0e3", "green": "#cce5d8", "aqua-green": "#ccedeb", "blue": "#ccdff1",
    "purple": "#d6cce3", "pink": "#efd3e3", "red": "#f7d4d1", "orange": "#ffdc8e", "yellow": "#fff59d",
}

# Each tool's chart scale (lowest, highest total drawn) and its categories' ranges of totals, lowest
# total first (clinical-tools.md §11.1). None as a range's top: open-ended ("20 or more"). NEWS2's
# low-medium (a single 3) and PH-FRAT's automatic high are not ranges of the total, so not bands.
TOOL_SCALES: dict[str, tuple[int, int, tuple[tuple[int, int | None, str], ...]]] = {
    "news2": (0, 20, ((0, 4, "low"), (5, 6, "medium"), (7, None, "high"))),
    "must": (0, 6, ((0, 0, "low"), (1, 1, "medium"), (2, None, "high"))),
    "must_from_measurements": (0, 6, ((0, 0, "low"), (1, 1, "medium"), (2, None, "high"))),
    "waterlow": (0, 30, ((0, 9, "not_at_risk"), (10, 14, "at_risk"), (15, 19, "high_risk"),
                         (20, None, "very_high_risk"))),
    "braden": (6, 23, ((6, 9, "severe"), (10, 12, "high"), (13, 14, "moderate"), (15, 18, "mild"),
                       (19, 23, "not_at_risk"))),
    "barthel": (0, 20, ((0, 4, "total_dependency"), (5, 12, "severe_dependency"), (13, 18, "moderate_dependency"),
                        (19, 19, "slight_dependency"), (20, 20, "independent"))),
    "barthel_100": (0, 100, ((0, 20, "total_dependency"), (21, 60, "severe_dependency"),
                             (61, 90, "moderate_dependency"), (91, 99, "slight_dependency"),
                             (100, 100, "independent"))),
    "abbey_pain_scale": (0, 18, ((0, 2, "no_pain"), (3, 7, "mild"), (8, 13, "moderate"), (14, 18, "severe"))),
    "four_at": (0, 12, ((0, 0, "delirium_unlikely"), (1, 3, "possible_cognitive_impairment"),
                        (4, 12, "possible_delirium"))),
    "frat_uk": (0, 5, ((0, 2, "lower_risk"), (3, 5, "higher_risk"))),
    "ph_frat_part1": (5, 20, ((5, 11, "low"), (12, 15, "medium"), (16, 20, "high"))),
}

# Categories set by a rule other than the total's range, so never shaded: (category, the rule).
UNSHADED: dict[str, tuple[tuple[str, str], ...]] = {
    "news2": (("low_medium", "a single observation scoring 3, with a total under 5"),),
}


def _range_words(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low} to {high}"


def category_ranges(tool: str) -> list[tuple[str, str]]:
    """(category, its range of totals in words: "5 to 6", "20 or more"), lowest total first."""
    return [(category, _range_words(low, high)) for low, high, category in TOOL_SCALES[tool][2]]


def category_bands(tool: str, describe) -> list[Band]:
    """The shaded bands of a tool's chart: each category's range of whole totals, drawn from half
    a point below to half a point above (so 5 to 6 fills 4.5 to 6.5) within the tool's scale, in its
    tag colour and named in words with its range ("Medium risk: 5 to 6"). `describe(tool,
    category)` gives the category's label and colour (guidance.guidance)."""
    lowest, highest, ranges = TOOL_SCALES[tool]
    bands = []
    for low, high, category in ranges:
        words = describe(tool, category)
        top = highest if high is None else min(high + 0.5, highest)
        bands.append((max(low - 0.5, lowest), top, TAG_FILLS.get(words.colour, TAG_FILLS["white"]),
                      f"{words.label}: {_range_words(low, high)}"))
    return bands
