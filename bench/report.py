"""The benchmark's results as Markdown, written between markers in docs/benchmarks.md so the
hand-written analysis around them survives each run."""

import re
from pathlib import Path

from pages import PAGES, Timing

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"
RATIO_TARGET = 1.3
P95_TARGET_MS = 150.0


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _queries(timing: Timing) -> str:
    low, high = min(timing.queries), max(timing.queries)
    return str(low) if low == high else f"{low}–{high}"


def targets(small: Timing, large: Timing) -> dict[str, bool]:
    return {
        "ratio": large.p50 <= RATIO_TARGET * small.p50 and large.p95 <= RATIO_TARGET * small.p95,
        "p95": large.p95 < P95_TARGET_MS,
        "queries": sorted(set(small.queries)) == sorted(set(large.queries)),
    }


def render(results: dict) -> str:
    machine, scales = results["machine"], results["scales"]
    lines = [
        START,
        f"## Results of the last run ({results['date']})",
        "",
        f"- Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['ram_gib']:.1f} GiB RAM; "
        f"{machine['postgres']}; Python {machine['python']}; Django {machine['django']}. Load average "
        f"{machine['load_start']:.1f} at the start and {machine['load_end']:.1f} at the end (the machine is shared with other work).",
        f"- Command: `{results['command']}` (database `{results['database']}`); {results['requests']} timed "
        f"requests per page after 3 warm-ups; whole run {results['run_seconds'] / 60:.1f} minutes.",
        "",
        "| scale | people | locations | staff | audit events | `seed_scale` time | CPUs busy with other work just before timing |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, scale in scales.items():
        options = scale["options"]
        stages = ", ".join(f"{stage} {seconds:.0f} s" for stage, seconds in scale["stages"].items() if stage != "total")
        lines.append(f"| {name} | {options['people']:,} | {options['locations']:,} | {options['staff']:,} | "
                     f"{options['audit_events']:,} | {scale['stages']['total']:.0f} s ({stages}) | "
                     f"{scale.get('busy', 0):.0%} |")
    lines += ["", "Targets at full scale: within 1.3× of the small scale (p50 and p95), p95 under 150 ms, "
                  "and the same number of queries as at the small scale.", ""]
    lines += _summary(results)
    for page in PAGES:
        lines += _page_table(page, results)
    lines.append(END)
    return "\n".join(lines) + "\n"


def _summary(results: dict) -> list[str]:
    lines = ["| page | who | large p95 | large / small (p50, p95) | queries | targets |",
             "| --- | --- | ---: | ---: | ---: | --- |"]
    for page in PAGES:
        for viewer in _viewers(page, results):
            small, large = (results["timings"][page.key][viewer][scale] for scale in ("small", "large"))
            if small.status != "ok" or large.status != "ok":
                lines.append(f"| {page.title} | {viewer} | – | – | – | {large.status}: {large.note or small.note} |")
                continue
            hit = targets(small, large)
            verdict = "all met" if all(hit.values()) else "not met: " + ", ".join(
                {"ratio": "1.3×", "p95": "p95", "queries": "queries"}[name] for name, ok in hit.items() if not ok)
            lines.append(f"| {page.title} | {viewer} | {large.p95:.1f} ms | {large.p50 / small.p50:.2f}, "
                         f"{large.p95 / small.p95:.2f} | {_queries(small)} → {_queries(large)} | {verdict} |")
    return lines + [""]


def _page_table(page, results: dict) -> list[str]:
    lines = [f"### {page.title}: `{page.shown_as}`", "",
             "| who | small p50 | small p95 | large p50 | large p95 | ratio p50 | ratio p95 | SQL p50 small → large | "
             "queries small | queries large | within 1.3× | p95 < 150 ms | same queries |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for viewer in _viewers(page, results):
        small, large = (results["timings"][page.key][viewer][scale] for scale in ("small", "large"))
        if small.status != "ok" or large.status != "ok":
            note = large.note or small.note
            lines.append(f"| {viewer} | {small.status} | | | | | | | | | | | {note} |")
            continue
        hit = targets(small, large)
        lines.append(
            f"| {viewer} | {small.p50:.1f} ms | {small.p95:.1f} ms | {large.p50:.1f} ms | {large.p95:.1f} ms | "
            f"{large.p50 / small.p50:.2f} | {large.p95 / small.p95:.2f} | {small.sql_p50:.1f} → {large.sql_p50:.1f} ms | "
            f"{_queries(small)} | {_queries(large)} | "
            f"{met(hit['ratio'])} | {met(hit['p95'])} | {met(hit['queries'])} |"
        )
    return lines + [""]


def _viewers(page, results: dict) -> list[str]:
    """Who the page was timed as: not every page is timed as every viewer."""
    return [viewer for viewer in results["viewers"] if viewer in results["timings"].get(page.key, {})]


def write(path: Path, results: dict) -> None:
    """Replace the generated block in `path` (or append one), keeping the rest of the page."""
    block = render(results)
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    if START in text and END in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END) + r"\n?", lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)
