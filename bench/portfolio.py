"""The portfolio pages (issue 6) at both scales, requests interleaved (small, large, small...), on
the data sets `bench/run.py` seeded: the coverage matrix, the coach's assessment queue, a portfolio
and a timeline, as the bench coach (20 apprentices, 100 items of evidence each, at both scales).

    python bench/portfolio.py [--rounds 30]

The same measurement as bench/caseload.py, for the pages whose key is in PORTFOLIO_PAGES.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

PORTFOLIO_PAGES = ("coverage", "coverage-gaps", "evidence-queue", "portfolio", "timeline")

if __name__ == "__main__":
    os.environ["BENCH_PAGES"] = ",".join(PORTFOLIO_PAGES)
    import caseload

    caseload.main()
