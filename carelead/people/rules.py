"""Rules about people's records: plain values in, plain values out (no Django)."""

from datetime import date

import nhs_number

NHS_NUMBER_MESSAGE = "Enter a valid 10-digit NHS number, like 943 476 5919"


def normalise_nhs_number(text: str) -> str:
    """Digits only: people write NHS numbers as 943 476 5919 or 943-476-5919."""
    return "".join(ch for ch in text if ch.isdigit())


def is_valid_nhs_number(text: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit (NHS Data Dictionary), via `nhs-number`."""
    digits = normalise_nhs_number(text)
    return len(digits) == 10 and len(text.replace(" ", "").replace("-", "")) == 10 and nhs_number.is_valid(digits)


def format_nhs_number(digits: str) -> str:
    """Shown as people read it: 943 476 5919."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


def age_on(*, born: date, today: date) -> int:
    """Whole years; a birthday counts on the day."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def is_in_the_past(day: date, *, today: date) -> bool:
    """Strictly before today: a date of birth of today or later is a slip of the keyboard."""
    return day < today


def is_service_overdue(*, due: date | None, today: date) -> bool:
    """Equipment serviced on its due date is on time; it is overdue from the day after."""
    return due is not None and today > due


def is_review_overdue(*, review_on: date | None, today: date) -> bool:
    """A consent review is overdue from the day after its review date."""
    return review_on is not None and today > review_on
