"""The parts of each scale person's record: About Me, 1-3 contacts, and sometimes a
communication need, a consent decision or an item of equipment (some overdue, as in life)."""

import random
from datetime import date, timedelta

from faker import Faker

from carelead.core.management.demo_content import ABOUT_ME_PHRASES, NEXT_OF_KIN_RELATIONSHIPS
from carelead.core.management.scale_plan import JOB_TITLES
from carelead.core.management.synthetic import uuid_from
from carelead.people.models import (
    AboutMe, CapacityNoted, CommunicationNeed, CommunicationSupport, ConsentGivenBy, ConsentRecord, Contact,
    ContactKind, EquipmentCategory, EquipmentItem, InformationFormat,
)

ABOUT_ME_SHARE = 0.4
COMMUNICATION_SHARE = 0.15
CONSENT_SHARE = 0.25
EQUIPMENT_SHARE = 0.3
OVERDUE_SHARE = 0.1

NEEDS = (
    ("Hard of hearing", InformationFormat.NONE, CommunicationSupport.HEARING_LOOP),
    ("Sight loss", InformationFormat.LARGE_PRINT, CommunicationSupport.NONE),
    ("Deaf; uses British Sign Language", InformationFormat.BSL_VIDEO, CommunicationSupport.BSL_INTERPRETER),
    ("Understands easy read information best", InformationFormat.EASY_READ, CommunicationSupport.NONE),
    ("Uses a communication aid", InformationFormat.NONE, CommunicationSupport.AAC),
)
CONSENTS = ("Photographs for the care record", "Sharing information with my GP practice",
            "Flu and COVID-19 vaccinations", "Sharing my support plan with my day service")
EQUIPMENT = (
    ("Pendant alarm", EquipmentCategory.TELECARE), ("Falls sensor", EquipmentCategory.TELECARE),
    ("Mobile hoist", EquipmentCategory.MOBILITY), ("Pressure-relieving mattress", EquipmentCategory.PRESSURE),
    ("Hearing loop", EquipmentCategory.SENSORY), ("Medication dispenser", EquipmentCategory.ASSISTIVE),
)


def job_title(role: str) -> str:
    return JOB_TITLES.get(role, "")


def about_me(person_id: int, rng: random.Random, today: date, id_rng: random.Random) -> AboutMe:
    """Everyone has an About Me row (as when a person is added); some have written theirs."""
    if rng.random() >= ABOUT_ME_SHARE:
        return AboutMe(person_id=person_id, public_id=uuid_from(id_rng))
    sections = {name: rng.choice(phrases) for name, phrases in ABOUT_ME_PHRASES.items()}
    return AboutMe(person_id=person_id, **sections, last_updated_on=today - timedelta(days=rng.randint(1, 700)),
                   public_id=uuid_from(id_rng))


class RecordMaker:
    def __init__(self, rng: random.Random, fake: Faker, today: date, id_rng: random.Random):
        self.rng, self.fake, self.today, self.id_rng = rng, fake, today, id_rng

    def all_records(self, person_ids: list[int]):
        """(model, rows) for each kind of record, for every person in `person_ids`."""
        contacts, needs, consents, equipment = [], [], [], []
        for person_id in person_ids:
            contacts += self.contacts(person_id)
            if self.rng.random() < COMMUNICATION_SHARE:
                needs.append(self.need(person_id))
            if self.rng.random() < CONSENT_SHARE:
                consents.append(self.consent(person_id))
            if self.rng.random() < EQUIPMENT_SHARE:
                equipment.append(self.equipment(person_id))
        return ((Contact, contacts), (CommunicationNeed, needs), (ConsentRecord, consents), (EquipmentItem, equipment))

    def contacts(self, person_id: int) -> list[Contact]:
        rng, fake = self.rng, self.fake
        rows = [Contact(person_id=person_id, kind=ContactKind.NEXT_OF_KIN, name=fake.name(),
                        relationship=rng.choice(NEXT_OF_KIN_RELATIONSHIPS),
                        phone=f"07700 900{rng.randint(0, 999):03d}", public_id=uuid_from(self.id_rng))]
        if rng.random() < 0.7:
            rows.append(Contact(person_id=person_id, kind=ContactKind.GP_PRACTICE,
                                name=f"{fake.city()} Medical Practice", ods_code=f"B99{rng.randint(0, 999):03d}",
                                phone=f"0113 496 0{rng.randint(0, 999):03d}", public_id=uuid_from(self.id_rng)))
        if rng.random() < 0.3:
            kind = rng.choice((ContactKind.LPA_HEALTH, ContactKind.LPA_PROPERTY, ContactKind.ADVOCATE))
            registered = self.today - timedelta(days=rng.randint(100, 4000)) if kind != ContactKind.ADVOCATE else None
            rows.append(Contact(person_id=person_id, kind=kind, name=fake.name(), lpa_registered_on=registered,
                                phone=f"07700 900{rng.randint(0, 999):03d}", public_id=uuid_from(self.id_rng)))
        return rows

    def need(self, person_id: int) -> CommunicationNeed:
        need, information_format, support = self.rng.choice(NEEDS)
        return CommunicationNeed(person_id=person_id, need=need, information_format=information_format,
                                 support=support, public_id=uuid_from(self.id_rng))

    def consent(self, person_id: int) -> ConsentRecord:
        recorded = self.today - timedelta(days=self.rng.randint(30, 700))
        overdue = self.rng.random() < OVERDUE_SHARE
        review = self.today - timedelta(days=self.rng.randint(1, 60)) if overdue else self.today + timedelta(
            days=self.rng.randint(1, 365))
        return ConsentRecord(person_id=person_id, subject=self.rng.choice(CONSENTS), given_by=ConsentGivenBy.PERSON,
                             capacity=CapacityNoted.NOT_ASSESSED, recorded_on=recorded, review_on=max(review, recorded),
                             public_id=uuid_from(self.id_rng))

    def equipment(self, person_id: int) -> EquipmentItem:
        item, category = self.rng.choice(EQUIPMENT)
        installed = self.today - timedelta(days=self.rng.randint(60, 1500))
        overdue = self.rng.random() < OVERDUE_SHARE
        due = self.today - timedelta(days=self.rng.randint(1, 50)) if overdue else self.today + timedelta(
            days=self.rng.randint(1, 365))
        return EquipmentItem(person_id=person_id, item=item, category=category, supplier="Careline Services",
                             installed_on=installed, next_service_due=max(due, installed),
                             public_id=uuid_from(self.id_rng))
