"""The caseload pages (or those named in BENCH_PAGES, as bench/portfolio.py does) at both scales, requests interleaved (small, large, small, large...), on the
data sets `bench/run.py` seeded. On a machine shared with other work, a load that comes and goes
then weighs on both scales alike, so their ratio measures the data, not the moment.

    python bench/caseload.py [--rounds 60]

Prints p50, p95, the SQL time and the query counts per page and scale, and the large/small ratios.
"""

import argparse
import gc
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carelead_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carelead.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pages import PAGES, DatabaseClock, signed_in
    from run import SCALES

    from carelead.accounts.models import User
    from carelead.core.management.scale_apprenticeships import bench_coach_email

    chosen = os.environ.get("BENCH_PAGES", "caseload,caseload-rag,api-caseload").split(",")
    pages = [page for page in PAGES if page.key in chosen]
    viewers = {name: signed_in(name, User.objects.get(email=bench_coach_email(scale["prefix"])))
               for name, scale in SCALES.items()}
    times = {(page.key, name): [] for page in pages for name in viewers}
    sql = {key: [] for key in times}
    for page in pages:
        for name, viewer in viewers.items():
            for _ in range(3):
                assert viewer.client.get(page.url(viewer, 0)).status_code == 200
    gc.collect()
    for _ in range(args.rounds):
        for page in pages:
            for name, viewer in viewers.items():
                clock = DatabaseClock()
                with connection.execute_wrapper(clock):
                    started = time.perf_counter()
                    viewer.client.get(page.url(viewer, 0))
                    times[page.key, name].append((time.perf_counter() - started) * 1000)
                sql[page.key, name].append(clock.seconds * 1000)
    print(f"{'page':<28} {'scale':<6} {'p50':>8} {'p95':>8} {'SQL p50':>8} queries")
    for page in pages:
        summary = {}
        for name, viewer in viewers.items():
            with CaptureQueriesContext(connection) as captured:
                viewer.client.get(page.url(viewer, 0))
            values = times[page.key, name]
            summary[name] = (statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[-1])
            print(f"{page.title:<28} {name:<6} {summary[name][0]:7.1f}  {summary[name][1]:7.1f}  "
                  f"{statistics.median(sql[page.key, name]):7.1f}  {len(captured.captured_queries)}")
        print(f"{'':<28} ratio  {summary['large'][0] / summary['small'][0]:7.2f}  "
              f"{summary['large'][1] / summary['small'][1]:7.2f}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
