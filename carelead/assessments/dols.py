"""Deprivation of Liberty Safeguards dates as pure functions (Mental Capacity Act 2005, Schedule A1,
and the Deprivation of Liberty Safeguards Code of Practice, 2008).

- A managing authority (the care home) may give itself an urgent authorisation for up to 7 days
  while a standard authorisation is requested; the supervisory body may extend it once, by up to
  7 more days.
- A standard authorisation is given for a period the supervisory body sets, never more than 1 year.
- When a standard authorisation will expire within 28 days and the person is still deprived of
  their liberty, the care home requests a further standard authorisation: carelead alerts from 28
  days before the end date, so the renewal can be asked for in time.
- DoLS applies in care homes and hospitals only; elsewhere (supported living, a person's own home)
  a deprivation of liberty needs the Court of Protection.
"""

from datetime import date, timedelta

URGENT_DAYS = 7
URGENT_EXTENSION_DAYS = 7
RENEWAL_WINDOW_DAYS = 28

IN_FORCE, RENEWAL_DUE, EXPIRED, NOT_IN_FORCE = "in_force", "renewal_due", "expired", "not_in_force"
STATE_LABELS = {
    IN_FORCE: "In force",
    RENEWAL_DUE: "Renewal due",
    EXPIRED: "Expired",
    NOT_IN_FORCE: "Not in force",
}
STATE_COLOURS = {IN_FORCE: "green", RENEWAL_DUE: "yellow", EXPIRED: "red", NOT_IN_FORCE: "grey"}


def urgent_ends_on(starts_on: date, *, extended: bool = False) -> date:
    """The last day an urgent authorisation is in force: 7 days from its start, 14 if extended."""
    days = URGENT_DAYS + (URGENT_EXTENSION_DAYS if extended else 0)
    return starts_on + timedelta(days=days - 1)


def standard_latest_end(authorised_from: date) -> date:
    """The latest end date of a standard authorisation: the day before the same date a year later."""
    try:
        anniversary = authorised_from.replace(year=authorised_from.year + 1)
    except ValueError:  # 29 February: a year later is 1 March
        anniversary = date(authorised_from.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def renewal_due_from(authorised_until: date) -> date:
    """The first day of the window in which a further standard authorisation is requested."""
    return authorised_until - timedelta(days=RENEWAL_WINDOW_DAYS)


def authorisation_state(authorised_until: date | None, today: date) -> str:
    """In force; renewal due in the last 28 days; expired from the day after its end date."""
    if authorised_until is None:
        return NOT_IN_FORCE
    if today > authorised_until:
        return EXPIRED
    if today >= renewal_due_from(authorised_until):
        return RENEWAL_DUE
    return IN_FORCE
