"""Standard scoring tools, exact to their published sources (reference/clinical-tools.md).

`score(tool, inputs)` is the contract others rely on (DESIGN.md "Contracts"): tool names and input
encodings are those of clinical-tools.md §11.1; bad or missing input raises ToolInputError naming
each field, never a score. Each tool lives in its own module with a `score(inputs)` function.
"""

from collections.abc import Callable, Mapping
from typing import Any

from carelead.assessments.tools import abbey, barthel, braden, falls, fourat, must, news2, waterlow
from carelead.assessments.tools.base import ToolInputError, ToolScore

__all__ = ["TOOLS", "ToolInputError", "ToolScore", "score"]


# Each tool's §11.1 name and its scoring function, in the order pages and the API list them.
_SCORERS: dict[str, Callable[[Mapping[str, Any]], ToolScore]] = {
    "news2": news2.score,
    "must": must.score,
    "must_from_measurements": must.score_from_measurements,
    "waterlow": waterlow.score,
    "braden": braden.score,
    "barthel": barthel.score,
    "barthel_100": barthel.score_100,
    "abbey_pain_scale": abbey.score,
    "four_at": fourat.score,
    "frat_uk": falls.score_frat_uk,
    "ph_frat_part1": falls.score_ph_frat_part1,
}
TOOLS = tuple(_SCORERS)


def score(tool: str, inputs: Mapping[str, Any]) -> ToolScore:
    """Score `inputs` with `tool`; ToolInputError for an unknown tool or any bad input."""
    if tool not in _SCORERS:
        raise ToolInputError({"tool": "Choose one of: " + ", ".join(TOOLS)})
    return _SCORERS[tool](inputs)
