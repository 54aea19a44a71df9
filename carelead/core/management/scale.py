"""Scale data for the benchmark: a large provider group written in bulk.

Rows go in with bulk_create, in batches of 2,000 and one transaction per batch, so 10,000 people,
15,000 staff and 200,000 audit events take minutes, not hours. Seeding is not a user action:
no audit rows are written for it (the audit events it makes are synthetic history, inserted
directly; the trail allows inserts and refuses only updates and deletes).
"""

import random
import time
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from tqdm import tqdm

from carelead.accounts.models import User
from carelead.core.management import scale_records
from carelead.core.management.scale_care import CareRecordMaker
from carelead.core.management.scale_plan import ScaleOptions, location_owners, plan_staff
from carelead.core.management.synthetic import synthetic_nhs_numbers, uuid_from
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Perm, perms_of
from carelead.organisations.models import Location, Membership, Organisation, OrganisationKind, SettingType
from carelead.people.models import AboutMe, Person, PersonStatus

BATCH = 2000
# People whose care records (plan, sections, actions, assessments, scores...) go in one transaction.
CARE_BATCH = 500
CARE_HOMES = (SettingType.CARE_HOME, SettingType.CARE_HOME_NURSING)
# Every scale account shares this password (one hash, computed once), for load tests.
SCALE_PASSWORD = "scale-password-2026"
SETTING_MIX = (SettingType.CARE_HOME, SettingType.CARE_HOME_NURSING, SettingType.HOME_CARE,
               SettingType.SUPPORTED_LIVING, SettingType.CARE_HOME, SettingType.DAY_CENTRE)
STATUS_WEIGHTS = ((PersonStatus.ACTIVE, 92), (PersonStatus.IN_HOSPITAL, 3),
                  (PersonStatus.MOVED_ON, 3), (PersonStatus.DIED, 2))
AUDIT_ACTIONS = ((Action.VIEW, 70), (Action.LIST, 10), (Action.UPDATE, 12), (Action.CREATE, 5), (Action.EXPORT, 3))
AUDIT_HISTORY_DAYS = 365


def batched(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class ScaleBuilder:
    """Builds one scale data set; `run()` returns how long each stage took, in seconds."""

    def __init__(self, options: ScaleOptions, *, progress: bool = True):
        self.options = options
        self.progress = progress
        self.rng = random.Random(options.seed)
        # Public ids come from their own stream, mixed with the prefix, so two data sets made
        # with the same seed (a small and a large one) never share an id.
        self.id_rng = random.Random(f"{options.prefix}:{options.seed}")
        self.fake = Faker("en_GB")
        self.fake.seed_instance(options.seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.timings: dict[str, float] = {}

    def run(self) -> dict[str, float]:
        started = time.perf_counter()
        for stage in (self.organisations, self.staff, self.memberships, self.people, self.records,
                      self.care_records, self.audit_events, self.analyse):
            stage_started = time.perf_counter()
            stage()
            self.timings[stage.__name__] = time.perf_counter() - stage_started
        self.timings["total"] = time.perf_counter() - started
        return self.timings

    # --- stages ---------------------------------------------------------------------------------
    def organisations(self) -> None:
        orgs = [Organisation(name=name, kind=OrganisationKind.CARE_PROVIDER, public_id=uuid_from(self.id_rng))
                for name in self.options.organisation_names()]
        self.org_ids = [org.pk for org in self.insert(Organisation, orgs, len(orgs), "Organisations", keep=True)]
        owners = location_owners(self.options)
        locations = (self.location(number, self.org_ids[owner]) for number, owner in enumerate(owners))
        created = self.insert(Location, locations, len(owners), "Locations", keep=True)
        self.location_ids = [location.pk for location in created]
        self.care_home_ids = {location.pk for location in created if location.setting_type in CARE_HOMES}

    def staff(self) -> None:
        self.plans = plan_staff(self.options, self.rng)
        password = make_password(SCALE_PASSWORD)
        users = (User(email=plan.email, full_name=self.fake.name(), password=password, date_joined=self.now)
                 for plan in self.plans)
        self.user_ids = [user.pk for user in self.insert(User, users, len(self.plans), "Staff", keep=True)]
        devices = (TOTPDevice(user_id=user_id, name="Authenticator app", confirmed=True) for user_id in self.user_ids)
        self.insert(TOTPDevice, devices, len(self.user_ids), "Authenticators")

    def memberships(self) -> None:
        rows = (self.membership(plan, user_id) for plan, user_id in zip(self.plans, self.user_ids))
        created = self.insert(Membership, rows, len(self.plans), "Memberships", keep=True)
        through = Membership.locations.through
        links = (through(membership_id=membership.pk, location_id=self.location_ids[loc])
                 for membership, plan in zip(created, self.plans) for loc in plan.locations)
        self.insert(through, links, sum(len(plan.locations) for plan in self.plans), "Membership locations")
        self.viewers = self.viewers_by_location()
        self.location_positions = {pk: index for index, pk in enumerate(self.location_ids)}

    def people(self) -> None:
        numbers = synthetic_nhs_numbers(self.options.people, self.options.seed)
        rows = (self.person(number, nhs) for number, nhs in enumerate(numbers))
        created = self.insert(Person, rows, self.options.people, "People", keep=True)
        self.people_rows = [(person.pk, person.location_id, person.public_id) for person in created]
        self.people_statuses = [person.status for person in created]
        about = (scale_records.about_me(person_id, self.rng, self.today, self.id_rng) for person_id, _, _ in self.people_rows)
        self.insert(AboutMe, about, len(self.people_rows), "About Me")

    def records(self) -> None:
        maker = scale_records.RecordMaker(self.rng, self.fake, self.today, self.id_rng)
        for model, rows in maker.all_records([person_id for person_id, _, _ in self.people_rows]):
            self.insert(model, rows, len(rows), model._meta.verbose_name_plural.capitalize())

    def care_records(self) -> None:
        """Each person's needs assessment, care plan, risks, scores, capacity and DoLS (scale_care)."""
        maker = CareRecordMaker(self.rng, self.id_rng, self.today, self.now)
        rows = [(person_id, location_id, status, self.staff_at(location_id))
                for (person_id, location_id, _), status in zip(self.people_rows, self.people_statuses)]
        self.care_counts: dict[str, int] = {}
        with tqdm(total=len(rows), desc=f"{'Care records':<22}", unit=" people", disable=not self.progress or None,
                  leave=True, dynamic_ncols=True) as bar:
            for batch in batched(rows, CARE_BATCH):
                for kind, n in maker.write(batch, self.care_home_ids).items():
                    self.care_counts[kind] = self.care_counts.get(kind, 0) + n
                bar.update(len(batch))

    def staff_at(self, location_id: int) -> int:
        """Someone who works at the location, to have written its records."""
        return self.rng.choice(self.viewers[self.location_positions[location_id]] or self.user_ids[:1])

    def audit_events(self) -> None:
        events = (self.audit_event() for _ in range(self.options.audit_events))
        self.insert(AuditEvent, events, self.options.audit_events, "Audit events")

    def analyse(self) -> None:
        """Fresh planner statistics, as a live database would have (autovacuum lags bulk loads)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --- rows -----------------------------------------------------------------------------------
    def location(self, number: int, organisation_id: int) -> Location:
        setting = SETTING_MIX[number % len(SETTING_MIX)]
        city = self.fake.city()
        return Location(
            organisation_id=organisation_id, name=f"{city} {setting.label.split()[0]} {number + 1:03d}",
            setting_type=setting, cqc_location_id=f"1-{900000000 + number}", postcode=self.fake.postcode(),
            address=self.fake.street_address(), public_id=uuid_from(self.id_rng),
        )

    def membership(self, plan, user_id: int) -> Membership:
        ended_at = self.now - timedelta(days=self.rng.randint(1, 300)) if plan.ended else None
        return Membership(
            user_id=user_id, organisation_id=self.org_ids[plan.organisation], role=plan.role,
            all_locations=plan.all_locations, audit_access=plan.audit_access,
            job_title=scale_records.job_title(plan.role), started_on=self.today - timedelta(days=self.rng.randint(30, 3000)),
            ended_at=ended_at, public_id=uuid_from(self.id_rng),
        )

    def viewers_by_location(self) -> list[list[int]]:
        """Who could have opened a record at each location: the actors of the synthetic trail."""
        viewers: list[list[int]] = [[] for _ in self.location_ids]
        for plan, user_id in zip(self.plans, self.user_ids):
            if plan.ended or Perm.PERSON_VIEW not in perms_of(plan.role):
                continue
            for loc in plan.locations:
                viewers[loc].append(user_id)
        return viewers

    def person(self, number: int, nhs_number: str) -> Person:
        rng = self.rng
        status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
        born = self.today - timedelta(days=rng.randint(18 * 365, 102 * 365))
        return Person(
            location_id=self.location_ids[number % len(self.location_ids)],
            given_name=self.fake.first_name(), family_name=self.fake.last_name(),
            preferred_name=self.fake.first_name() if rng.random() < 0.1 else "",
            date_of_birth=born, nhs_number=nhs_number, status=status,
            status_since=self.today - timedelta(days=rng.randint(0, 900)),
            support_started_on=self.today - timedelta(days=rng.randint(30, 4000)),
            public_id=uuid_from(self.id_rng),
        )

    def audit_event(self) -> AuditEvent:
        rng = self.rng
        action = rng.choices([a for a, _ in AUDIT_ACTIONS], [w for _, w in AUDIT_ACTIONS])[0]
        person_id, location_id, public_id = self.people_rows[rng.randrange(len(self.people_rows))]
        actor_id = rng.choice(self.viewers[self.location_positions[location_id]] or self.user_ids[:1])
        occurred_at = self.now - timedelta(seconds=rng.randint(0, AUDIT_HISTORY_DAYS * 86400))
        ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        via = "api" if rng.random() < 0.1 else "web"
        if action == Action.LIST:
            shown = [str(self.people_rows[rng.randrange(len(self.people_rows))][2]) for _ in range(25)]
            return AuditEvent(actor_id=actor_id, action=action, subject="people.Person", details={"ids": shown},
                              occurred_at=occurred_at, ip_address=ip, via=via)
        details = {"fields": ["given_name"]} if action == Action.UPDATE else {}
        return AuditEvent(actor_id=actor_id, person_id=person_id, location_id=location_id, action=action,
                          subject=f"people.Person:{public_id}", details=details, occurred_at=occurred_at,
                          ip_address=ip, via=via)

    # --- writing --------------------------------------------------------------------------------
    def insert(self, model: type[models.Model], rows: Iterable, total: int, label: str, *, keep: bool = False) -> list:
        """bulk_create in batches of BATCH, one transaction each, with a progress bar."""
        kept = []
        with tqdm(total=total, desc=f"{label:<22}", unit=" rows", disable=not self.progress or None,
                  leave=True, dynamic_ncols=True) as bar:
            for batch in batched(rows, BATCH):
                with transaction.atomic():
                    model.objects.bulk_create(batch, batch_size=BATCH)
                if keep:
                    kept.extend(batch)
                bar.update(len(batch))
        return kept
