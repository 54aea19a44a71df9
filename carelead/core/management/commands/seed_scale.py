"""`python manage.py seed_scale --people 10000 --locations 200 --staff 15000`: a large provider
group for the benchmark, written in bulk in minutes. See docs/benchmarks.md."""

from django.core.management.base import BaseCommand, CommandError

from carelead.core.management.scale import SCALE_PASSWORD, ScaleBuilder
from carelead.core.management.scale_apprenticeships import (
    ApprenticeshipScale, ApprenticeshipScaleBuilder, bench_coach_email,
)
from carelead.core.management.scale_plan import ScaleOptions, bench_carer_email, bench_manager_email
from carelead.core.management.scale_reset import delete_scale_data, scale_exists

ALREADY_EXISTS = (
    "Scale data named “{prefix}” already exists. Run again with --reset to delete it (and only it) "
    "and seed afresh, or choose another --prefix."
)


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def not_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Seed a large provider group (people, locations, staff, audit events) for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=positive, default=10_000)
        parser.add_argument("--locations", type=positive, default=200)
        parser.add_argument("--staff", type=positive, default=15_000, help="at least 2: the bench accounts")
        parser.add_argument("--audit-events", type=not_negative, default=None, help="default: people × 20")
        parser.add_argument("--organisations", type=positive, default=1, help="split the locations between K organisations")
        parser.add_argument("--prefix", default="Scale Care Group", help="the organisation's name (and its staff's email domain)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
        parser.add_argument("--reset", action="store_true", help="delete this prefix's scale data first")
        parser.add_argument("--apprenticeships", type=not_negative, default=None,
                            help="apprenticeships of the group's care staff (default: people ÷ 5)")
        parser.add_argument("--coaches", type=positive, default=None,
                            help="skills coaches (default: one per 20 apprenticeships)")
        parser.add_argument("--otj-entries", type=not_negative, default=None,
                            help="off-the-job entries (default: apprenticeships × 200)")
        parser.add_argument("--evidence", type=not_negative, default=None,
                            help="items of portfolio evidence (default: apprenticeships × 100)")

    def handle(self, *args, **options):
        settings = ScaleOptions(
            people=options["people"], locations=options["locations"], staff=options["staff"],
            audit_events=options["people"] * 20 if options["audit_events"] is None else options["audit_events"],
            organisations=options["organisations"], prefix=options["prefix"].strip(), seed=options["seed"],
        )
        if settings.staff < 2:
            raise CommandError("Enter --staff of 2 or more: the bench needs a manager and a care worker.")
        if settings.organisations > settings.locations:
            raise CommandError("Enter --organisations no larger than --locations: each needs a location.")
        if scale_exists(settings.prefix):
            if not options["reset"]:
                raise CommandError(ALREADY_EXISTS.format(prefix=settings.prefix))
            removed = delete_scale_data(settings.prefix)
            self.stdout.write("Deleted the previous scale data: " + ", ".join(f"{n} {k}" for k, n in removed.items()))
        builder = ScaleBuilder(settings, progress=options["verbosity"] > 0)
        timings = builder.run()
        programme = ApprenticeshipScaleBuilder(ApprenticeshipScale.for_people(
            settings.people, settings.prefix, settings.seed, apprenticeships=options["apprenticeships"],
            coaches=options["coaches"], otj_entries=options["otj_entries"], evidence=options["evidence"]), progress=options["verbosity"] > 0)
        total = timings.pop("total")
        timings |= programme.run()
        timings["total"] = total + sum(seconds for name, seconds in timings.items()
                                       if name.startswith("apprenticeship_"))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded “{settings.prefix}”: {settings.people:,} people, {settings.locations:,} locations, "
            f"{settings.staff:,} staff, {settings.audit_events:,} audit events in {timings['total']:.1f} s."
        ))
        self.stdout.write("Care records: " + ", ".join(f"{n:,} {kind}" for kind, n in builder.care_counts.items()))
        self.stdout.write("Apprenticeship programme: " + ", ".join(f"{n:,} {kind[0].lower()}{kind[1:]}"
                                                                  for kind, n in programme.counts.items()))
        self.stdout.write("Stages: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()
                                                 if name != "total"))
        self.stdout.write(f"Registered manager at every location: {bench_manager_email(settings.prefix)}")
        self.stdout.write(f"Care worker at one location: {bench_carer_email(settings.prefix)}")
        self.stdout.write(f"Skills coach, the first of {programme.options.coaches:,}: "
                          f"{bench_coach_email(settings.prefix)}")
        self.stdout.write(f"Password for every scale account: {SCALE_PASSWORD}")
