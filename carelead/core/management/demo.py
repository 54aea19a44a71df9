"""The demo: Meadowbank Care Group (three locations, staff in every role, 39 people supported)
and a Lead PA's employer (Mrs Joan Ashworth, supported in her own home).

Seeding is not a user action, so records are saved directly in one transaction per
organisation, without audit rows; each is still checked by its model's validators.
Each organisation is built only when no organisation of its name exists, which makes the
command idempotent.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from faker import Faker

from carelead.accounts.models import User
from carelead.accounts.services import enrol_demo_authenticator
from carelead.apprenticeships.importer import load_snapshots
from carelead.core.management import demo_apprenticeships
from carelead.core.management import demo_content as content
from carelead.core.management.demo_apprenticeships import seed_demo_apprenticeships
from carelead.core.management.demo_care import seed_demo_care
from carelead.core.management.synthetic import synthetic_nhs_numbers
from carelead.organisations.models import Location, Membership, Organisation, OrganisationKind
from carelead.people.models import (
    AboutMe, CapacityNoted, CommunicationNeed, CommunicationSupport, ConsentGivenBy, ConsentRecord, Contact,
    ContactKind, EquipmentCategory, EquipmentItem, InformationFormat, Person, PersonStatus,
)


@dataclass(frozen=True)
class SignIn:
    """What a newcomer needs to sign in as one demo user."""

    email: str
    full_name: str
    role: str
    organisation: str
    totp_secret: str
    recovery_code: str


def seed_demo() -> bool:
    """Build whichever demo organisation is missing; True when anything was built.

    The apprenticeship reference data (ST0007, the Level 4 Diplomas) is loaded from the checked-in
    snapshots when missing; a version already held (perhaps with official codes imported) is left alone."""
    load_snapshots()
    built = False
    if not Organisation.objects.filter(name=content.DEMO_ORGANISATION).exists():
        _build_provider()
        built = True
    if not Organisation.objects.filter(name=content.EMPLOYER_ORGANISATION).exists():
        _build_employer()
        built = True
    built = seed_demo_care() or built
    return seed_demo_apprenticeships() or built


@transaction.atomic
def demo_sign_ins() -> list[SignIn]:
    """Each demo user with their authenticator secret and one recovery code that still works."""
    rows = []
    for spec in (*content.DEMO_STAFF, *demo_apprenticeships.PROVIDER_STAFF):
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            continue
        membership = user.memberships.current().select_related("organisation").order_by("id").first()
        secret, code = enrol_demo_authenticator(user)
        _lift_throttling(user)
        rows.append(SignIn(
            email=user.email,
            full_name=user.full_name,
            role=membership.get_role_display() if membership else "No current role",
            organisation=membership.organisation.name if membership else "",
            totp_secret=secret,
            recovery_code=code,
        ))
    return rows


def _lift_throttling(user) -> None:
    """Wrong codes slow a device down for a while; the printed code must work straight away."""
    for device in StaticDevice.objects.filter(user=user, throttling_failure_count__gt=0):
        device.throttle_reset()


@transaction.atomic
def _build_provider() -> None:
    fake, rng, numbers = _randomness(content.DEMO_SEED)
    today = timezone.localdate()
    organisation = _save(Organisation(
        name=content.DEMO_ORGANISATION, kind=OrganisationKind.CARE_PROVIDER, cqc_provider_id=content.DEMO_PROVIDER_ID,
    ))
    locations = {spec.key: _location(organisation, spec) for spec in content.PROVIDER_LOCATIONS}
    staff = {spec.mailbox: _staff_member(spec, organisation, locations) for spec in content.DEMO_STAFF
             if not spec.employer}
    people: dict[str, list[Person]] = {}
    for spec in content.PROVIDER_LOCATIONS:
        gp_name, gp_code = content.GP_PRACTICES[len(people) % len(content.GP_PRACTICES)]
        people[spec.key] = []
        for index in range(spec.people):
            person = _person(fake, rng, locations[spec.key], spec, next(numbers), today)
            _about_me(person, rng, today, filled=index % 3 != 2, supporter=staff["lead"])
            _next_of_kin(person, fake, rng)
            _save(Contact(person=person, kind=ContactKind.GP_PRACTICE, name=gp_name, ods_code=gp_code,
                          phone="0113 496 0500"))
            people[spec.key].append(person)
    _care_home_records(people["house"], fake, today)
    _community_records(people["homecare"], people["living"], today)


@transaction.atomic
def _build_employer() -> None:
    fake, rng, numbers = _randomness(content.DEMO_SEED + 1)
    today = timezone.localdate()
    organisation = _save(Organisation(name=content.EMPLOYER_ORGANISATION, kind=OrganisationKind.INDIVIDUAL_EMPLOYER))
    home = _location(organisation, content.EMPLOYER_LOCATION)
    staff = {spec.mailbox: _staff_member(spec, organisation, {"joan": home}) for spec in content.DEMO_STAFF
             if spec.employer}
    joan = _save(Person(
        location=home, given_name=content.JOAN["given_name"], family_name=content.JOAN["family_name"],
        preferred_name=content.JOAN["preferred_name"], pronouns=content.JOAN["pronouns"],
        date_of_birth=date(today.year - 81, 4, 17), nhs_number=next(numbers),
        support_started_on=today - timedelta(days=640),
    ))
    _save(AboutMe(person=joan, **content.JOAN["about_me"], supported_by="Rachel Moss, Lead Personal Assistant",
                  supported_by_user=staff["pa"].user, last_updated_on=today - timedelta(days=21)))
    _save(Contact(person=joan, kind=ContactKind.LPA_HEALTH, name="David Ashworth", relationship="Son",
                  phone="07700 900412", email="david.ashworth@example.com", lpa_registered_on=date(2020, 9, 14)))
    _save(Contact(person=joan, kind=ContactKind.GP_PRACTICE, name="Wharfedale Surgery", ods_code="B99004",
                  phone="0113 496 0620"))
    _save(CommunicationNeed(person=joan, need="Sight loss (macular degeneration)",
                            information_format=InformationFormat.LARGE_PRINT, preferred_contact="Phone, not text"))
    _save(ConsentRecord(person=joan, subject="Sharing information with my GP practice", given_by=ConsentGivenBy.PERSON,
                        capacity=CapacityNoted.NOT_ASSESSED, recorded_on=today - timedelta(days=200),
                        review_on=today + timedelta(days=165)))
    _save(EquipmentItem(person=joan, item="Stairlift", category=EquipmentCategory.MOBILITY,
                        supplier="Dales Mobility", installed_on=today - timedelta(days=900),
                        next_service_due=today + timedelta(days=45)))


def _randomness(seed: int) -> tuple[Faker, random.Random, Iterator[str]]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return fake, random.Random(seed), iter(synthetic_nhs_numbers(60, seed))


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _location(organisation: Organisation, spec: content.LocationSpec) -> Location:
    return _save(Location(
        organisation=organisation, name=spec.name, setting_type=spec.setting_type,
        cqc_location_id=spec.cqc_location_id, address=spec.address, postcode=spec.postcode,
    ))


def _staff_member(spec: content.StaffSpec, organisation: Organisation, locations: dict) -> Membership:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User(email=spec.email, full_name=spec.full_name)
        validate_password(content.DEMO_PASSWORD, user)
        user.set_password(content.DEMO_PASSWORD)
        _save(user)
    membership = _save(Membership(
        user=user, organisation=organisation, role=spec.role, job_title=spec.job_title,
        all_locations=spec.all_locations, audit_access=spec.audit_access,
    ))
    membership.locations.set([locations[key] for key in spec.locations])
    return membership


def _person(fake: Faker, rng: random.Random, location: Location, spec, number: str, today: date) -> Person:
    youngest, oldest = spec.ages
    return _save(Person(
        location=location,
        given_name=fake.first_name(),
        family_name=fake.last_name(),
        date_of_birth=fake.date_of_birth(minimum_age=youngest, maximum_age=oldest),
        nhs_number=number,
        support_started_on=today - timedelta(days=rng.randint(60, 2400)),
    ))


def _about_me(person: Person, rng: random.Random, today: date, *, filled: bool, supporter: Membership) -> AboutMe:
    """Everyone has an About Me (as when a person is added); some have written theirs."""
    if not filled:
        return _save(AboutMe(person=person))
    sections = {name: rng.choice(phrases) for name, phrases in content.ABOUT_ME_PHRASES.items()}
    return _save(AboutMe(
        person=person, **sections, supported_by=f"{supporter.user.full_name}, {supporter.job_title.lower()}",
        supported_by_user=supporter.user, last_updated_on=today - timedelta(days=rng.randint(3, 300)),
    ))


def _next_of_kin(person: Person, fake: Faker, rng: random.Random) -> Contact:
    relationship = rng.choice(content.NEXT_OF_KIN_RELATIONSHIPS)
    family = person.family_name if relationship != "Friend" else fake.last_name()
    return _save(Contact(
        person=person, kind=ContactKind.NEXT_OF_KIN, name=f"{fake.first_name()} {family}",
        relationship=relationship, phone=f"07700 900{rng.randint(0, 999):03d}",
    ))


def _care_home_records(house: list[Person], fake: Faker, today: date) -> None:
    """Meadowbank House: an LPA, a consent overdue for review, an overdue hoist, a hospital stay."""
    attorney = _save(Contact(
        person=house[0], kind=ContactKind.LPA_HEALTH, name=f"{fake.first_name()} {house[0].family_name}",
        relationship="Daughter", phone="07700 900101", lpa_registered_on=date(2021, 3, 3),
    ))
    _save(Contact(person=house[1], kind=ContactKind.LPA_PROPERTY, name=f"{fake.first_name()} {house[1].family_name}",
                  relationship="Son", phone="07700 900102", lpa_registered_on=date(2019, 11, 18)))
    _save(ConsentRecord(
        person=house[0], subject="Flu and COVID-19 vaccinations", given_by=ConsentGivenBy.LPA_HEALTH,
        given_by_name=attorney.name, capacity=CapacityNoted.LACKS_CAPACITY,
        recorded_on=today - timedelta(days=400), review_on=today - timedelta(days=35),
        notes="Capacity assessment for this decision is held in the care record.",
    ))
    for person in house[1:6]:
        _save(ConsentRecord(person=person, subject="Photographs for the care record", given_by=ConsentGivenBy.PERSON,
                            capacity=CapacityNoted.NOT_ASSESSED, recorded_on=today - timedelta(days=90),
                            review_on=today + timedelta(days=275)))
    _save(CommunicationNeed(person=house[2], need="Hard of hearing in both ears",
                            support=CommunicationSupport.HEARING_LOOP, details="Hearing aids in both ears."))
    _save(CommunicationNeed(person=house[3], need="Sight loss (glaucoma)", information_format=InformationFormat.LARGE_PRINT))
    _save(EquipmentItem(person=house[0], item="Pressure-relieving mattress", category=EquipmentCategory.PRESSURE,
                        supplier="Leeds Community Equipment Service", installed_on=today - timedelta(days=300),
                        next_service_due=today + timedelta(days=60)))
    _save(EquipmentItem(
        person=house[4], item="Mobile hoist", category=EquipmentCategory.MOBILITY, supplier="Northern Hoists Ltd",
        installed_on=today - timedelta(days=800), next_service_due=today - timedelta(days=20),
        notes="Thorough examination every 6 months (LOLER).",
    ))
    house[5].status, house[5].status_since = PersonStatus.IN_HOSPITAL, today - timedelta(days=3)
    _save(house[5])


def _community_records(homecare: list[Person], living: list[Person], today: date) -> None:
    """Home care: telecare and a BSL user. Supported living: easy read, AAC, an epilepsy sensor."""
    _save(CommunicationNeed(person=homecare[0], need="Deaf; uses British Sign Language",
                            information_format=InformationFormat.BSL_VIDEO,
                            support=CommunicationSupport.BSL_INTERPRETER, preferred_contact="Text message or video call"))
    for offset, person in enumerate(homecare[:6]):
        _save(EquipmentItem(person=person, item="Pendant alarm", category=EquipmentCategory.TELECARE,
                            supplier="Careline Services", installed_on=today - timedelta(days=400 + offset * 30),
                            next_service_due=today + timedelta(days=30 + offset * 40)))
    for person in living[:2]:
        _save(CommunicationNeed(person=person, need="Understands easy read information best",
                                information_format=InformationFormat.EASY_READ))
    _save(CommunicationNeed(person=living[2], need="Uses Makaton and a communication book",
                            support=CommunicationSupport.AAC))
    _save(EquipmentItem(person=living[3], item="Epilepsy bed sensor", category=EquipmentCategory.TELECARE,
                        supplier="Careline Services", installed_on=today - timedelta(days=200),
                        next_service_due=today + timedelta(days=165)))
    for person in living[:4]:
        _save(ConsentRecord(person=person, subject="Sharing my support plan with my day service",
                            given_by=ConsentGivenBy.PERSON, capacity=CapacityNoted.HAS_CAPACITY,
                            recorded_on=today - timedelta(days=60), review_on=today + timedelta(days=305)))
