"""Importing attendance in a real browser, at desktop and phone (390 px) widths, each page axe-clean
and never wider than the screen: the coach uploads a Teams attendance report with one bad row (an
email nobody invited has), reads the per-row report naming that row, confirms, and sees the
minutes attended."""

import re
from pathlib import Path

import pytest

from carelead.apprenticeships.models import OffTheJobEntry
from carelead.apprenticeships.tests.factories_sessions import cohort
from carelead.core.tests.browser.journey import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REPORT = Path(__file__).parent / "data" / "teams_attendance_utf16.csv"  # row 14: visitor@elsewhere.example


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_a_coach_imports_a_teams_report_and_confirms_it(page, reference_data):
    group = cohort()
    sign_in(page, group.coach)
    page.goto("/apprenticeships/sessions/")
    assert_accessible(page)
    page.get_by_role("link", name=group.session.title).click()
    page.wait_for_url(re.compile(rf"/sessions/{group.session.public_id}/$"))
    assert_accessible(page)
    assert_fits(page)

    page.get_by_role("link", name="Import attendance").click()
    page.wait_for_url(re.compile("/attendance/$"))
    assert_accessible(page)
    page.get_by_label("Microsoft Teams attendance report").check()
    page.get_by_label("Attendance report (CSV)").set_input_files(str(REPORT))
    page.get_by_role("button", name="Check the report").click()
    page.wait_for_url(re.compile(r"/attendance/[0-9a-f-]{36}/$"))
    page.get_by_text("Nothing is saved yet").wait_for()
    bad_row = page.locator("#row-report tbody tr", has_text="visitor@elsewhere.example")
    assert bad_row.get_by_role("rowheader").inner_text() == "14"
    assert "Unknown email" in bad_row.inner_text()
    proposed = page.locator("#proposed")
    assert "Amara Okafor" in proposed.inner_text() and "Ben Hughes" in proposed.inner_text()
    assert not OffTheJobEntry.objects.exists()
    assert_accessible(page)
    assert_fits(page)

    page.get_by_role("button", name="Confirm and save").click()
    page.wait_for_url(re.compile(rf"/sessions/{group.session.public_id}/$"))
    page.get_by_text("Attendance saved, with 2 approved off-the-job entries").wait_for()
    amara = page.locator("tbody tr", has_text="Amara Okafor")
    assert amara.locator("td").last.inner_text() == "59"
    assert page.locator("tbody tr", has_text="Ben Hughes").locator("td").last.inner_text() == "45"
    assert_accessible(page)
    assert_fits(page)


def test_a_coach_arranges_a_session_and_the_apprentice_subscribes(page, reference_data):
    group = cohort()
    sign_in(page, group.coach)
    page.goto("/apprenticeships/sessions/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Arrange session").click()  # empty: every error named
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    assert_fits(page)
    page.get_by_label("Taught session").check()
    page.get_by_label("Title", exact=True).fill("Taught: the Mental Capacity Act")
    page.get_by_label("Day", exact=True).fill("12")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("2030")
    page.get_by_label("Start time").fill("2pm")
    page.get_by_label("End time").fill("15:30")
    page.get_by_label("Join link (Teams or Zoom)").fill("https://us02web.zoom.us/j/85218486288")
    page.get_by_label(re.compile("^Amara Okafor")).check()
    page.get_by_role("button", name="Arrange session").click()
    page.get_by_text("Taught: the Mental Capacity Act is arranged").wait_for()
    assert page.get_by_role("link", name=re.compile("Join on Zoom")).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel session").click()
    assert_accessible(page)
    page.get_by_role("link", name="Keep it").click()

    page.context.clear_cookies()
    sign_in(page, group.amara.apprentice.memberships.get())
    page.goto(f"/apprenticeships/{group.amara.public_id}/sessions/")
    page.get_by_text("Taught: the Mental Capacity Act").wait_for()
    assert_accessible(page)
    assert_fits(page)
    page.goto("/apprenticeships/calendar/")
    assert_accessible(page)
    page.get_by_role("button", name="Make a calendar link").click()
    link = page.get_by_label("Calendar link").input_value()
    assert re.search(r"/apprenticeships/calendar/[\w-]{43}\.ics$", link)
    assert_accessible(page)
    assert_fits(page)
    assert "Taught: the Mental Capacity Act" in page.request.get(link).text()
