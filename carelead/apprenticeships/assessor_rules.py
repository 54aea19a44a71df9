"""Rules for an end-point assessor's access and for completion, as pure functions (no Django imports).

Access is time-limited (issue 6 "End-point assessment": "read-only, time-limited (start and end
dates) access ... granted by the provider"). carelead's rule: the window opens no earlier than the
gateway date and no earlier than the day it is granted (access is never backdated), ends on or
after the day it opens, and lasts at most MAX_ACCESS_MONTHS calendar months (the EPA window after
gateway is normally about three months; six allows for a resit or retake). Both ends are inclusive.
"""

import calendar
from datetime import date

MAX_ACCESS_MONTHS = 6

START_BEFORE_GATEWAY = "Enter a start date on or after the gateway date ({gateway})."
START_IN_PAST = "Enter a start date of today or later: access cannot be backdated."
END_BEFORE_START = "Enter an end date on or after the start date."
END_TOO_LATE = "Access can last at most 6 months: enter an end date on or before {latest}."
ACHIEVED_BEFORE_GATEWAY = "Enter an achievement date on or after the gateway date ({gateway})."
ACHIEVED_IN_FUTURE = "Enter an achievement date of today or earlier."
ACHIEVED_BEFORE_EPA = ("Enter an achievement date on or after the end-point assessment was completed ({assessed}): "
                       "the apprenticeship is achieved when its last assessment is passed.")


def add_months(day: date, months: int) -> date:
    """The same day number `months` later, or that month's last day when it is shorter (31 Aug + 6 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_access_end(starts_on: date) -> date:
    """The last day a window opening on `starts_on` may run to: six calendar months on, inclusive."""
    return add_months(starts_on, MAX_ACCESS_MONTHS)


def access_window_errors(*, starts_on: date, ends_on: date, gateway_date: date, today: date) -> dict[str, list[str]]:
    """What is wrong with an access window, by field; empty when it may be granted."""
    errors: dict[str, list[str]] = {}
    if starts_on < gateway_date:
        errors["starts_on"] = [START_BEFORE_GATEWAY.format(gateway=day_label(gateway_date))]
    elif starts_on < today:
        errors["starts_on"] = [START_IN_PAST]
    if ends_on < starts_on:
        errors["ends_on"] = [END_BEFORE_START]
    elif ends_on > latest_access_end(starts_on):
        errors["ends_on"] = [END_TOO_LATE.format(latest=day_label(latest_access_end(starts_on)))]
    return errors


def is_access_open(*, starts_on: date, ends_on: date, revoked: bool, today: date) -> bool:
    """Open from the start date to the end date inclusive, unless revoked: closed the day after the end."""
    return not revoked and starts_on <= today <= ends_on


def achievement_date_errors(*, achieved_on: date, gateway_date: date | None, today: date,
                            assessed_on: date | None = None) -> list[str]:
    """An achievement date is on or after the gateway date and the day the last end-point assessment
    method was held (`assessed_on`), and not in the future (issue 6 "Completion")."""
    if gateway_date is not None and achieved_on < gateway_date:
        return [ACHIEVED_BEFORE_GATEWAY.format(gateway=day_label(gateway_date))]
    if assessed_on is not None and achieved_on < assessed_on:
        return [ACHIEVED_BEFORE_EPA.format(assessed=day_label(assessed_on))]
    if achieved_on > today:
        return [ACHIEVED_IN_FUTURE]
    return []


def day_label(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"  # "22 Nov 2026", as DATE_FORMAT shows dates
