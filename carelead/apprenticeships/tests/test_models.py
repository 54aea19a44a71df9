from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from carelead.apprenticeships import rules
from carelead.apprenticeships.models import (
    FundingStatus, Ksb, KsbKind, Qualification, QualificationUnit, Standard, StandardVersion,
)
from carelead.apprenticeships.selectors import version_for_start

pytestmark = pytest.mark.django_db


def make_version(version="1.0", **fields):
    standard, _ = Standard.objects.get_or_create(reference="ST9999", defaults={"title": "Test standard", "level": 4})
    return StandardVersion.objects.create(standard=standard, version=version, **fields)


def test_a_code_is_unique_within_a_version_but_not_across_versions():
    first, second = make_version("1.0"), make_version("1.1")
    Ksb.objects.create(version=first, kind=KsbKind.KNOWLEDGE, code="K1", text="a", position=1)
    Ksb.objects.create(version=second, kind=KsbKind.KNOWLEDGE, code="K1", text="a", position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ksb.objects.create(version=first, kind=KsbKind.SKILL, code="K1", text="b", position=1)


def test_a_version_number_is_unique_within_its_standard():
    make_version("1.0")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_version("1.0")


def test_the_latest_start_may_not_come_before_the_earliest():
    make_version("1.0", earliest_start_date=date(2025, 1, 1), latest_start_date=date(2025, 1, 1))  # same day: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        make_version("1.1", earliest_start_date=date(2025, 1, 2), latest_start_date=date(2025, 1, 1))


def test_a_published_minimum_otj_must_be_more_than_nothing_when_given():
    make_version("1.0", minimum_otj_hours=None)  # unknown is allowed, and never guessed
    with pytest.raises(IntegrityError), transaction.atomic():
        make_version("1.1", minimum_otj_hours=Decimal(0))


def test_a_loaded_unit_has_a_title_and_an_unread_one_need_not():
    qualification = Qualification.objects.create(title="Q", awarding_organisation="AO", specification_number="1/2/3",
                                                  level=4)
    QualificationUnit.objects.create(qualification=qualification, title="", mandatory=True, position=1, loaded=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        QualificationUnit.objects.create(qualification=qualification, title="", mandatory=True, position=2)


def test_as_rule_carries_what_the_pure_rules_need():
    version = make_version("1.1", earliest_start_date=date(2024, 8, 1), latest_start_date=date(2026, 7, 31),
                           minimum_otj_hours=Decimal("419.00"))
    assert version.as_rule() == rules.StandardVersion(reference="ST9999", version="1.1", earliest_start=date(2024, 8, 1),
                                                      latest_start=date(2026, 7, 31),
                                                      published_minimum_otj=Decimal("419.00"))


def test_the_version_is_chosen_from_the_start_date_at_each_edge():
    older = make_version("1.0", earliest_start_date=date(2019, 1, 1), latest_start_date=date(2024, 7, 31))
    newer = make_version("1.1", earliest_start_date=date(2024, 8, 1))
    standard = older.standard
    assert version_for_start(standard, date(2019, 1, 1)) == older
    assert version_for_start(standard, date(2024, 7, 31)) == older
    assert version_for_start(standard, date(2024, 8, 1)) == newer
    with pytest.raises(ValueError, match="no version of the standard takes starts on 2018-12-31"):
        version_for_start(standard, date(2018, 12, 31))
    assert rules.standard_version_for(date(2030, 1, 1), [older.as_rule(), newer.as_rule()]).version == "1.1"


def test_with_no_dates_known_the_highest_version_takes_every_start(reference_data):
    st0007 = Standard.objects.get(reference="ST0007")
    assert version_for_start(st0007, date(2026, 11, 23)).version == "1.1"


def test_the_snapshot_marks_st0007_closed_to_new_funded_starts(reference_data):
    for version in StandardVersion.objects.filter(standard__reference="ST0007"):
        assert version.funding_status == FundingStatus.CLOSED_TO_NEW_FUNDED_STARTS
        assert not version.open_to_new_funded_starts
        assert "17 Dec 2026" in version.funding_note
        assert version.minimum_otj_hours is None  # not found in the reference (§4): never invented
        assert version.typical_duration_months == 18
