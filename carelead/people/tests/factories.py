import factory
import nhs_number

from carelead.organisations.tests.factories import LocationFactory
from carelead.people.models import (
    AboutMe, CommunicationNeed, ConsentRecord, Contact, ContactKind, EquipmentItem, Person, CapacityNoted,
    ConsentGivenBy, EquipmentCategory,
)


_VALID_999: list[str] = []


def synthetic_nhs_number(n: int) -> str:
    """The n-th valid number starting 999, a range NHS England never issues to patients.

    A sequence, not random: a test that searches for "943..." never finds a factory's person by
    chance, and no two people share a number. Stems whose check digit would be 10 have no valid
    number, so they are passed over.
    """
    n %= 900_000
    stem = int(_VALID_999[-1][3:9]) + 1 if _VALID_999 else 0
    while len(_VALID_999) <= n:
        digits = f"999{stem:06d}"
        check = nhs_number.calculate_checksum(digits)
        if check is not None and check < 10:
            _VALID_999.append(f"{digits}{check}")
        stem += 1
    return _VALID_999[n]


class PersonFactory(factory.django.DjangoModelFactory):
    """A person at a fresh location of a fresh organisation: isolated unless given a location."""

    class Meta:
        model = Person

    location = factory.SubFactory(LocationFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=65, maximum_age=100)
    nhs_number = factory.Sequence(synthetic_nhs_number)


class AboutMeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AboutMe

    person = factory.SubFactory(PersonFactory)
    most_important = "My garden and my grandchildren's visits."


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    person = factory.SubFactory(PersonFactory)
    kind = ContactKind.NEXT_OF_KIN
    name = factory.Faker("name", locale="en_GB")
    relationship = "Daughter"
    phone = "0113 496 0000"


class CommunicationNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationNeed

    person = factory.SubFactory(PersonFactory)
    need = "Hard of hearing in both ears"
    information_format = "large_print"


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    person = factory.SubFactory(PersonFactory)
    subject = "Photographs for the care record"
    given_by = ConsentGivenBy.PERSON
    capacity = CapacityNoted.HAS_CAPACITY


class EquipmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentItem

    person = factory.SubFactory(PersonFactory)
    item = "Pendant alarm"
    category = EquipmentCategory.TELECARE
    supplier = "Careline Services"
