"""Rules about people's records: no database, no clock (STYLE.md §3)."""

from datetime import date

import pytest

from carelead.people import rules

# NHS number: 10 digits, the last a modulus 11 check digit (NHS Data Dictionary, "NHS NUMBER").
# 943 476 5919 is the example NHS England publishes for the format.


@pytest.mark.parametrize(("text", "valid"), [
    ("9434765919", True),
    ("943 476 5919", True),  # as people write it
    ("943-476-5919", True),
    ("9434765918", False),  # wrong check digit
    ("943476591", False),  # 9 digits
    ("94347659190", False),  # 11 digits
    ("943476591A", False),  # a letter
    ("NHS9434765919", False),  # letters around valid digits
    ("", False),
])
def test_nhs_number_validation(text, valid):
    assert rules.is_valid_nhs_number(text) is valid


def test_a_number_whose_check_digit_would_be_ten_is_never_valid():
    # 100 000 001 gives remainder 1 under modulus 11, so its check digit would be 10: never issued.
    assert not any(rules.is_valid_nhs_number(f"100000001{last}") for last in range(10))


def test_nhs_number_is_normalised_to_digits_and_shown_in_three_groups():
    assert rules.normalise_nhs_number("943 476-5919") == "9434765919"
    assert rules.format_nhs_number("9434765919") == "943 476 5919"
    assert rules.format_nhs_number("") == ""


@pytest.mark.parametrize(("today", "age"), [
    (date(2026, 11, 21), 77),  # the day before the birthday
    (date(2026, 11, 22), 78),  # the birthday itself counts
    (date(2026, 11, 23), 78),
])
def test_age_on_counts_the_birthday_on_the_day(today, age):
    assert rules.age_on(born=date(1948, 11, 22), today=today) == age


@pytest.mark.parametrize(("today", "age"), [(date(2027, 2, 28), 78), (date(2027, 3, 1), 79)])
def test_someone_born_on_29_february_is_a_year_older_on_1_march_in_other_years(today, age):
    assert rules.age_on(born=date(1948, 2, 29), today=today) == age


@pytest.mark.parametrize(("today", "overdue"), [
    (date(2026, 6, 1), False),  # due today: on time
    (date(2026, 6, 2), True),  # the day after
])
def test_a_service_is_overdue_from_the_day_after_it_is_due(today, overdue):
    assert rules.is_service_overdue(due=date(2026, 6, 1), today=today) is overdue


def test_equipment_with_no_service_date_is_never_overdue():
    assert rules.is_service_overdue(due=None, today=date(2026, 6, 1)) is False


@pytest.mark.parametrize(("today", "overdue"), [
    (date(2026, 5, 31), False),
    (date(2026, 6, 1), False),  # the review date itself is not overdue
    (date(2026, 6, 2), True),
])
def test_a_consent_review_is_overdue_from_the_day_after_its_review_date(today, overdue):
    assert rules.is_review_overdue(review_on=date(2026, 6, 1), today=today) is overdue


def test_a_consent_with_no_review_date_is_never_overdue():
    assert rules.is_review_overdue(review_on=None, today=date(2026, 6, 1)) is False


@pytest.mark.parametrize(("day", "past"), [
    (date(2026, 11, 21), True),
    (date(2026, 11, 22), False),  # today is not in the past
    (date(2026, 11, 23), False),
])
def test_a_date_of_birth_must_be_before_today(day, past):
    assert rules.is_in_the_past(day, today=date(2026, 11, 22)) is past
