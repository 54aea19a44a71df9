"""The coverage bar chart, drawn on the server as an inline SVG (as dashboard_charts.py: no
JavaScript, no <style>, only presentation attributes, so the strict CSP holds).

One bar per kind (knowledge, skills, behaviours), split into accepted, claimed and missing KSBs.
Each part differs by fill pattern as well as colour (solid, hatched, outlined white), never colour
alone; the bar's counts are written beside it; the chart is one role="img" whose <title> and <desc>
give the figures, and the page's summary table is its text alternative. Pure: no Django.
"""

from html import escape

from carelead.apprenticeships.coverage import Coverage

TEXT = "#212b32"
FONT = "Frutiger W01, Arial, sans-serif"
FONT_SIZE = 15
ACCEPTED_FILL = "#007f3b"  # NHS green, solid
CLAIMED_FILL = "#ffb81c"  # NHS warm yellow, hatched
MISSING_STROKE = "#d5281b"  # NHS red outline, dashed, white inside
PARTS = (("accepted", "Accepted"), ("claimed", "Claimed (working towards)"), ("missing", "No evidence yet"))
WIDTH = 480
LABEL_WIDTH, RIGHT, BAR_HEIGHT, GAP, TOP = 100, 10, 26, 30, 8


def describe(result: Coverage) -> str:
    """The chart in words, for its <desc>."""
    return " ".join(f"{kind.label}: {kind.accepted} accepted, {kind.claimed} claimed, {kind.missing} missing."
                    for kind in result.by_kind)


def _defs(chart_id: str) -> str:
    return (f'<defs><pattern id="{chart_id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
            f'<rect width="4" height="8" fill="{CLAIMED_FILL}"/></pattern></defs>')


def _part(chart_id: str, key: str, x: float, y: float, width: float) -> str:
    if width <= 0:
        return ""
    if key == "accepted":
        paint = f'fill="{ACCEPTED_FILL}"'
    elif key == "claimed":
        paint = f'fill="url(#{chart_id}-hatch)" stroke="{TEXT}" stroke-width="1"'
    else:
        paint = f'fill="#ffffff" stroke="{MISSING_STROKE}" stroke-width="2" stroke-dasharray="5 3"'
    return (f'<rect class="coverage-chart__{key}" x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'{paint}/>')


def coverage_chart(result: Coverage, *, chart_id: str = "coverage-chart") -> str:
    """Accepted, claimed and missing KSBs by kind as stacked bars, each bar the kind's KSBs in all."""
    height = TOP * 2 + len(result.by_kind) * (BAR_HEIGHT + GAP)
    plot = WIDTH - LABEL_WIDTH - RIGHT
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="carelead-chart coverage-chart" viewBox="0 0 {WIDTH} '
         f'{height}" width="100%" role="img" focusable="false" aria-labelledby="{chart_id}-title {chart_id}-desc" '
         f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT}">'),
        f'<title id="{chart_id}-title">KSBs accepted, claimed and missing by kind</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(result))}</desc>',
        _defs(chart_id),
    ]
    for index, kind in enumerate(result.by_kind):
        y = TOP + index * (BAR_HEIGHT + GAP)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end">'
                     f'{escape(kind.label)}</text>')
        x = float(LABEL_WIDTH)
        for key, _label in PARTS:
            width = plot * getattr(kind, key) / kind.total if kind.total else 0
            parts.append(_part(chart_id, key, x, y, width))
            x += width
        words = (f"{kind.accepted} accepted, {kind.claimed} claimed, {kind.missing} missing" if kind.total
                 else "No KSBs of this kind")
        parts.append(f'<text x="{LABEL_WIDTH}" y="{y + BAR_HEIGHT + 17}" font-size="13">{escape(words)}</text>')
    parts.append("</svg>")
    return "".join(parts)
