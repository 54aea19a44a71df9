"""DoLS dates (assessments.dols; MCA 2005 Schedule A1, DoLS Code of Practice 2008) and the checks
on an application's dates (dols_services.dols_errors, alerts), every boundary, no database."""

from datetime import date
from types import SimpleNamespace

import pytest

from carelead.assessments import dols
from carelead.assessments.dols_services import (
    BEFORE_APPLIED_MESSAGE, DECIDED_MESSAGE, EXTENDED_ONLY_MESSAGE, NO_AUTHORISATION_MESSAGE,
    UNTIL_BEFORE_FROM_MESSAGE, URGENT_ONLY_MESSAGE, URGENT_START_MESSAGE, alerts, dols_applies, dols_errors,
)

TODAY = date(2026, 11, 23)


# --- assessments.dols -------------------------------------------------------------------------


@pytest.mark.parametrize(("extended", "last_day"), [(False, date(2026, 11, 29)), (True, date(2026, 12, 6))])
def test_an_urgent_authorisation_lasts_7_days_or_14_when_extended(extended, last_day):
    # Schedule A1 paras 78 and 84: up to 7 days; extended once by up to 7 more. Day 1 is the start.
    assert dols.urgent_ends_on(date(2026, 11, 23), extended=extended) == last_day


def test_an_urgent_authorisation_crosses_the_year_end():
    assert dols.urgent_ends_on(date(2026, 12, 28)) == date(2027, 1, 3)


@pytest.mark.parametrize(("start", "latest"), [
    (date(2026, 11, 23), date(2027, 11, 22)),
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2028, 2, 29), date(2029, 2, 28)),  # 29 Feb: a year later is 1 Mar, so the day before is 28 Feb
    (date(2027, 2, 28), date(2028, 2, 27)),
    (date(2027, 3, 1), date(2028, 2, 29)),  # the year after runs through a leap day
])
def test_a_standard_authorisation_lasts_at_most_a_year(start, latest):
    assert dols.standard_latest_end(start) == latest


def test_the_renewal_window_opens_28_days_before_the_end():
    assert dols.renewal_due_from(date(2026, 12, 29)) == date(2026, 12, 1)


@pytest.mark.parametrize(("today", "state"), [
    (date(2026, 11, 30), dols.IN_FORCE),  # 29 days before the end
    (date(2026, 12, 1), dols.RENEWAL_DUE),  # day 28 before the end
    (date(2026, 12, 29), dols.RENEWAL_DUE),  # the last day is still in force
    (date(2026, 12, 30), dols.EXPIRED),  # the day after the end
])
def test_authorisation_state_at_each_boundary(today, state):
    assert dols.authorisation_state(date(2026, 12, 29), today) == state


def test_no_end_date_is_not_in_force():
    assert dols.authorisation_state(None, TODAY) == dols.NOT_IN_FORCE


def test_dols_applies_in_care_homes_only():
    assert dols_applies("care_home") and dols_applies("care_home_nursing")
    for setting in ("home_care", "day_centre", "supported_living", "own_home"):
        assert not dols_applies(setting)


# --- dols_errors ------------------------------------------------------------------------------


def values(**overrides):
    return {"kind": "standard", "applied_on": date(2026, 11, 1), "status": "requested", **overrides}


def test_a_plain_request_is_fine():
    assert dols_errors(values(), today=TODAY) == {}


def test_an_urgent_authorisation_needs_its_start_and_only_it_has_one():
    assert dols_errors(values(kind="urgent_and_standard"), today=TODAY) == {"urgent_from": [URGENT_START_MESSAGE]}
    assert dols_errors(values(urgent_from=TODAY), today=TODAY) == {"urgent_from": [URGENT_ONLY_MESSAGE]}
    assert dols_errors(values(urgent_extended=True), today=TODAY) == {"urgent_extended": [EXTENDED_ONLY_MESSAGE]}


@pytest.mark.parametrize("name", ["applied_on", "cqc_notified_on"])
def test_dates_are_today_or_earlier(name):
    assert dols_errors(values(**{name: TODAY}), today=TODAY) == {}
    assert name in dols_errors(values(**{name: date(2026, 11, 24)}), today=TODAY)


def test_a_notification_or_decision_before_the_request_is_refused():
    errors = dols_errors(values(status="not_granted", decided_on=date(2026, 10, 31),
                                cqc_notified_on=date(2026, 10, 31)), today=TODAY)
    assert errors["decided_on"] == [BEFORE_APPLIED_MESSAGE.format(label="Date decided")]
    assert errors["cqc_notified_on"] == [BEFORE_APPLIED_MESSAGE.format(label="CQC notified")]


@pytest.mark.parametrize("status", ["not_granted", "withdrawn", "granted", "ended"])
def test_a_decision_needs_its_date(status):
    assert dols_errors(values(status=status), today=TODAY)["decided_on"] == [DECIDED_MESSAGE]


def test_only_a_granted_or_ended_authorisation_has_dates():
    errors = dols_errors(values(status="not_granted", decided_on=TODAY, authorised_from=TODAY), today=TODAY)
    assert errors == {"authorised_from": [NO_AUTHORISATION_MESSAGE]}


@pytest.mark.parametrize(("start", "end", "ok"), [
    (date(2026, 11, 23), date(2027, 11, 22), True),  # exactly the year
    (date(2026, 11, 23), date(2027, 11, 23), False),  # a day over
    (date(2028, 2, 29), date(2029, 2, 28), True),
    (date(2028, 2, 29), date(2029, 3, 1), False),
    (date(2026, 11, 23), date(2026, 11, 23), True),  # one day
    (date(2026, 11, 23), date(2026, 11, 22), False),  # ends before it starts
])
def test_a_granted_authorisation_ends_within_a_year(start, end, ok):
    errors = dols_errors(values(status="granted", decided_on=TODAY, authorised_from=start,
                                authorised_until=end), today=TODAY)
    assert (errors == {}) is ok
    if end < start:
        assert errors["authorised_until"] == [UNTIL_BEFORE_FROM_MESSAGE]


def test_the_year_limit_names_the_latest_end():
    errors = dols_errors(values(status="granted", decided_on=TODAY, authorised_from=date(2028, 2, 29),
                                authorised_until=date(2029, 3, 1)), today=TODAY)
    assert errors["authorised_until"] == ["A standard authorisation lasts at most a year: it must end by 28 Feb 2029"]


# --- alerts ------------------------------------------------------------------------------------


def application(**fields):
    base = {"kind": "standard", "status": "requested", "applied_on": date(2025, 12, 1), "authorised_from": None,
            "authorised_until": None, "urgent_from": None, "urgent_extended": False}
    return SimpleNamespace(**{**base, **fields})


def granted(until, **fields):
    return application(status="granted", authorised_from=date(2026, 1, 1), authorised_until=until, **fields)


def test_no_alert_while_in_force():
    assert alerts([granted(date(2026, 12, 22))], TODAY) == []  # 29 days away: the window opens tomorrow


def test_renewal_alert_from_day_28_names_the_date_to_request_by():
    (alert,) = alerts([granted(date(2026, 12, 21))], TODAY)
    assert alert.text == ("The authorisation ends on 21 Dec 2026. If they are still deprived of their liberty, "
                          "request a further authorisation now, so it is decided before then.")


def test_expired_alert_from_the_day_after_the_end():
    assert alerts([granted(TODAY)], TODAY)[0].heading.endswith("ends soon")
    (alert,) = alerts([granted(date(2026, 11, 22))], TODAY)
    assert alert.heading.endswith("has expired") and "ended on 22 Nov 2026" in alert.text


def test_no_renewal_alert_once_a_further_request_is_made_or_a_newer_authorisation_granted():
    old = granted(date(2026, 11, 30))
    assert alerts([old, application(kind="further", applied_on=date(2026, 11, 20))], TODAY) == []
    newer = application(status="granted", authorised_from=date(2026, 12, 1), authorised_until=date(2027, 11, 30))
    assert alerts([old, newer], TODAY) == []


def test_an_ended_or_refused_application_never_warns():
    assert alerts([application(status="ended", authorised_from=date(2026, 1, 1),
                               authorised_until=date(2026, 11, 30))], TODAY) == []


@pytest.mark.parametrize(("start", "extended", "text"), [
    (date(2026, 11, 17), False, "The urgent authorisation ends on 23 Nov 2026."),
    (date(2026, 11, 16), False, "The urgent authorisation ended on 22 Nov 2026 and the standard authorisation "
                                "is not yet decided."),
    (date(2026, 11, 16), True, "The urgent authorisation ends on 29 Nov 2026."),
])
def test_an_urgent_authorisation_shows_its_end(start, extended, text):
    urgent = application(kind="urgent_and_standard", urgent_from=start, urgent_extended=extended)
    (alert,) = alerts([urgent], TODAY)
    assert alert.text == text


def test_an_urgent_authorisation_decided_no_longer_warns():
    decided = application(kind="urgent_and_standard", urgent_from=date(2026, 11, 17), status="not_granted")
    assert alerts([decided], TODAY) == []
