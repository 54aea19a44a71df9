"""Page timings at 1/100 scale and at full scale, on PostgreSQL, in one run (`make bench`).

    python bench/run.py [--requests 30] [--reuse]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/carelead_bench), creating and
migrating the database when needed. It replaces only its own two scale data sets ("Bench Small
Care Group" and "Bench Large Care Group"), times each page as a registered manager named at
every location of the organisation (the widest scope) and as a care worker at one location,
and writes the results into docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/carelead_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carelead.settings")

import django  # noqa: E402
import environ  # noqa: E402

# Static files are served by whitenoise from the apps; a missing collectstatic folder is no matter here.
warnings.filterwarnings("ignore", message="No directory at")

# The apprenticeship programme: 20 apprentices a coach at both scales (the caseload compared like for
# like), the entries, reviews and other coaches' apprentices around them growing 100 times.
SCALES = {
    "small": {"people": 100, "locations": 2, "staff": 150, "audit_events": 2_000, "apprenticeships": 20,
              "coaches": 1, "otj_entries": 4_000, "evidence": 2_000, "prefix": "Bench Small Care Group"},
    "large": {"people": 10_000, "locations": 200, "staff": 15_000, "audit_events": 200_000, "apprenticeships": 2_000,
              "coaches": 100, "otj_entries": 400_000, "evidence": 200_000, "prefix": "Bench Large Care Group"},
}
RESULTS = ROOT / "var" / "bench-results.json"
VIEWERS = {"manager": "Registered manager, every location", "carer": "Care worker, one location",
           "lead": "Lead practitioner, one location", "coach": "Skills coach, 20 apprentices"}


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database when it is missing (the server must be running)."""
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    if not config["ENGINE"].endswith("postgresql"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    params = {"host": config.get("HOST") or None, "port": config.get("PORT") or None,
              "user": config.get("USER") or None, "password": config.get("PASSWORD") or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created the database {config['NAME']}.")


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    cpu_model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), platform.processor() or "unknown")
    ram_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    return {"cpus": os.cpu_count(), "cpu_model": cpu_model, "ram_gib": ram_kib / 1024 / 1024, "postgres": postgres,
            "python": platform.python_version(), "django": django.get_version(), "load_start": os.getloadavg()[0]}


def seed(name: str, scale: dict) -> dict:
    """seed_scale for one scale, replacing any earlier data set of the same prefix; its timings.

    It runs as its own process, exactly as a person would run it, so the objects it builds never
    weigh on the process that times the pages.
    """
    from django.db import connection

    from carelead.core.management.scale_reset import delete_scale_data, scale_exists

    if scale_exists(scale["prefix"]):
        print(f"Deleting the previous {name} data set…", flush=True)
        delete_scale_data(scale["prefix"])
    print(f"Seeding the {name} data set…", flush=True)
    command = [sys.executable, str(ROOT / "manage.py"), "seed_scale",
               *[f"--{key.replace('_', '-')}={value}" for key, value in scale.items()]]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    total = time.perf_counter() - started
    print(done.stdout.strip(), flush=True)
    stages = {line.split()[0]: float(line.split()[1]) for line in
              done.stdout.split("Stages: ", 1)[1].splitlines()[0].split(", ")}
    stages["total"] = total
    # A live database has had autovacuum visit it; a bulk load has not. Vacuum so both scales
    # are measured in that steady state (visibility map set, statistics fresh), and a
    # CHECKPOINT then writes the load's dirty pages out now, not while pages are being timed.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    return {"options": {key: value for key, value in scale.items() if key != "prefix"}, "stages": stages}


def busy_share(seconds: float = 3.0) -> float:
    """The share of all CPUs busy over the next few seconds (this process sleeps meanwhile)."""
    def sample() -> tuple[int, int]:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle and iowait
        return sum(fields), idle

    total_before, idle_before = sample()
    time.sleep(seconds)
    total_after, idle_after = sample()
    total = max(1, total_after - total_before)
    return 1 - (idle_after - idle_before) / total


def wait_for_quiet(limit_seconds: int) -> float:
    """Other work on the machine skews the timings: wait (a while, not for ever) for the CPUs to be
    mostly idle. Returns the busy share measured last."""
    waited, busy = 0.0, busy_share()
    while busy > 0.25 and waited < limit_seconds:
        if not waited:
            print(f"Waiting up to {limit_seconds} s for other work to ease (CPUs {busy:.0%} busy)…", flush=True)
        busy = busy_share()
        waited += 3
    return busy


def measure_scale(name: str, scale: dict, requests: int) -> dict:
    from pages import PAGES, measure, signed_in

    from carelead.accounts.models import User
    from carelead.core.management.scale_apprenticeships import bench_coach_email
    from carelead.core.management.scale_plan import bench_carer_email, bench_lead_email, bench_manager_email

    emails = {"manager": bench_manager_email, "carer": bench_carer_email, "lead": bench_lead_email,
              "coach": bench_coach_email}
    viewers = {key: signed_in(VIEWERS[key], User.objects.get(email=email(scale["prefix"])))
               for key, email in emails.items()}
    timings: dict = {}
    for page in PAGES:
        for key in page.viewers:
            label, viewer = VIEWERS[key], viewers[key]
            timing = measure(page, viewer, requests)
            timings.setdefault(page.key, {}).setdefault(label, {})[name] = timing
            shown = (f"p50 {timing.p50:6.1f} ms  p95 {timing.p95:6.1f} ms  SQL p50 {timing.sql_p50:5.1f} ms  "
                     f"queries {timing.queries}"
                     if timing.status == "ok" else f"{timing.status}: {timing.note}")
            print(f"  {name:5} {page.title:<32} {label:<36} {shown}", flush=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (after 3 warm-ups)")
    parser.add_argument("--reuse", action="store_true", help="measure the data sets already seeded, if present")
    parser.add_argument("--quiet-wait", type=int, default=90,
                        help="before timing each scale, wait up to this many seconds for the machine to be quiet")
    args = parser.parse_args()
    started = time.perf_counter()
    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    import report
    from carelead.core.management.scale_reset import scale_exists

    call_command("migrate", verbosity=0)
    results = {"date": datetime.now().strftime("%-d %b %Y"), "command": "python bench/run.py",
               "database": os.environ["DATABASE_URL"].rsplit("/", 1)[-1], "requests": args.requests,
               "machine": machine(), "viewers": list(VIEWERS.values()), "scales": {}, "timings": {}}
    previous = json.loads(RESULTS.read_text()).get("scales", {}) if RESULTS.exists() else {}
    for name, scale in SCALES.items():
        if args.reuse and scale_exists(scale["prefix"]) and name in previous:
            results["scales"][name] = previous[name]  # the seed timings of the run that made it
        else:
            results["scales"][name] = seed(name, scale)
        results["scales"][name]["busy"] = wait_for_quiet(args.quiet_wait)
        for page_key, by_viewer in measure_scale(name, scale, args.requests).items():
            for viewer, by_scale in by_viewer.items():
                results["timings"].setdefault(page_key, {}).setdefault(viewer, {}).update(by_scale)
    results["run_seconds"] = time.perf_counter() - started
    results["machine"]["load_end"] = os.getloadavg()[0]
    report.write(ROOT / "docs" / "benchmarks.md", results)
    raw = {key: value for key, value in results.items() if key != "timings"}
    raw["timings"] = {page: {viewer: {scale: vars(timing) for scale, timing in by_scale.items()}
                             for viewer, by_scale in by_viewer.items()} for page, by_viewer in results["timings"].items()}
    RESULTS.write_text(json.dumps(raw, indent=2))
    print(f"Done in {results['run_seconds'] / 60:.1f} minutes: docs/benchmarks.md and var/bench-results.json updated.")


if __name__ == "__main__":
    main()
