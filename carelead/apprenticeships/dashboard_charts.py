"""Server-rendered SVG charts of the caseload (DESIGN.md "charts": they print and need no JavaScript).

Pure functions: plain values in, SVG markup out. As assessments/charts.py: the strict CSP allows
no <style> and no style attribute, only presentation attributes; each chart is one accessible image
(role="img") whose <title> and <desc> say what a sighted reader would take from it, and the page
shows the same figures as a table.
"""

from collections.abc import Sequence
from html import escape

TEXT = "#212b32"
SECONDARY_TEXT = "#4c6272"
GRID = "#d8dde0"
AXIS = "#4c6272"
FONT = "Frutiger W01, Arial, sans-serif"
FONT_SIZE = 15
# NHS.UK colours for the RAG tags' meaning: green, warm yellow (amber), red; grey for not known.
FILLS = {"green": "#007f3b", "amber": "#ffb81c", "red": "#d5281b", None: "#768692"}


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="carelead-chart" viewBox="0 0 {width} {height}" '
         f'width="100%" role="img" focusable="false" aria-labelledby="{chart_id}-title {chart_id}-desc" '
         f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT}">'),
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def rag_bar_chart(bars: Sequence[tuple[str | None, str, int]], *, chart_id: str = "rag-chart",
                  title: str = "Apprentices by status", width: int = 400) -> str:
    """Horizontal bars, one per status: (rag key, label, count)."""
    label_width, right, bar_height, gap, top = 110, 40, 28, 12, 8
    height = top * 2 + len(bars) * (bar_height + gap)
    biggest = max((count for _, _, count in bars), default=0) or 1
    description = "; ".join(f"{label}: {count}" for _, label, count in bars) + "."
    parts = _open(chart_id, title, description, width, height)
    plot = width - label_width - right
    for index, (key, label, count) in enumerate(bars):
        y = top + index * (bar_height + gap)
        length = plot * count / biggest
        parts.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" '
                     f'text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                     f'fill="{FILLS.get(key, FILLS[None])}"/>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}">{count}</text>')
    parts.append(f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{height - top}" stroke="{AXIS}"/>')
    parts.append("</svg>")
    return "".join(parts)


def time_otj_chart(points: Sequence[tuple[float, float, str | None]], *, chart_id: str = "time-otj-chart",
                   title: str = "Time gone against off-the-job hours done", width: int = 420, height: int = 320) -> str:
    """A dot per apprentice: time gone (%) across, share of off-the-job hours done (%) up, coloured by
    status. Dots below the diagonal are behind the timeline. Apprentices whose minimum is not known
    are left out (the caller says how many)."""
    left, right, top, bottom = 56, 20, 16, height - 48
    plot_w, plot_h = width - left - right, bottom - top
    behind = sum(1 for time, otj, _ in points if otj < time)
    description = (f"{len(points)} apprentices. {behind} have done a smaller share of their off-the-job hours "
                   f"than the share of time gone (below the diagonal line)." if points else
                   "No apprentice on this page has a known minimum of off-the-job hours.")
    parts = _open(chart_id, title, description, width, height)

    def x(value: float) -> float:
        return left + plot_w * min(max(value, 0), 100) / 100

    def y(value: float) -> float:
        return bottom - plot_h * min(max(value, 0), 100) / 100

    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 8}" y="{y(tick) + 5:.1f}" text-anchor="end">{tick}%</text>')
        parts.append(f'<text x="{x(tick):.1f}" y="{bottom + 22}" text-anchor="middle">{tick}%</text>')
    parts.append(f'<line x1="{x(0):.1f}" y1="{y(0):.1f}" x2="{x(100):.1f}" y2="{y(100):.1f}" stroke="{AXIS}" '
                 f'stroke-dasharray="6 4"/>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left + plot_w}" y2="{bottom}" stroke="{AXIS}"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{AXIS}"/>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                 f'fill="{SECONDARY_TEXT}">Time gone</text>')
    parts.append(f'<text x="16" y="{(top + bottom) / 2:.1f}" text-anchor="middle" fill="{SECONDARY_TEXT}" '
                 f'transform="rotate(-90 16 {(top + bottom) / 2:.1f})">Off-the-job hours done</text>')
    for time, otj, rag in points:
        parts.append(f'<circle cx="{x(time):.1f}" cy="{y(otj):.1f}" r="6" fill="{FILLS.get(rag, FILLS[None])}" '
                     f'stroke="#ffffff" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)
