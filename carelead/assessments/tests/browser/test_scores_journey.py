"""Scoring a standard tool in a real browser, at desktop and phone widths, each page axe-clean: a
lead practitioner scores a Waterlow (a mistake first), then reads the result on the tool's history."""

import re
from decimal import Decimal

import pytest

from carelead.assessments.models import ToolScoreRecord
from carelead.core.permissions import Role
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page, question: str, option: str):
    page.get_by_role("group", name=question, exact=True).get_by_label(option, exact=True).check()


def test_a_lead_practitioner_scores_a_waterlow_and_sees_it_in_the_history(page):
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    person = PersonFactory(location=lead.locations.get(), given_name="Winifred", family_name="Oakenshaw")
    sign_in(page, lead)
    page.goto(f"/people/{person.public_id}/")
    page.get_by_role("link", name="Scores", exact=True).click()
    page.wait_for_url(re.compile("/scores/$"))
    assert_accessible(page)

    page.get_by_role("link", name="Score Waterlow", exact=True).click()
    page.wait_for_url(re.compile("/scores/waterlow/new/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Save score").click()
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "Select their build" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert_accessible(page)

    answer(page, "Build: weight for height", "Below average (BMI under 20)")  # 3
    page.get_by_label("Dry", exact=True).check()  # 1
    answer(page, "Sex", "Female")  # 2
    page.get_by_label(re.compile("^Age")).fill("84")  # 5
    answer(page, "Have they lost weight recently?", "Yes")
    answer(page, "If yes, how much weight have they lost?", "5 to 10 kg")  # 2
    answer(page, "Are they eating poorly or lacking appetite?", "Yes")  # 1
    answer(page, "Continence", "Urinary incontinence")  # 1
    answer(page, "Mobility", "Restricted")  # 3
    answer(page, "Neurological deficit", "None")
    answer(page, "Have they had orthopaedic or spinal surgery?", "No")
    answer(page, "Time on the operating table in the last 48 hours", "None, or 2 hours or less")
    answer(page, "Are they taking cytotoxics, long-term or high-dose steroids, or anti-inflammatories?", "No")
    page.get_by_role("button", name="Save score").click()

    page.wait_for_url(re.compile("/scores/waterlow/$"))
    page.get_by_text("Waterlow scored 18: high risk").wait_for()
    assert page.locator(".nhsuk-table").get_by_text("High risk").is_visible()
    assert page.get_by_role("img", name="Waterlow totals for Winifred Oakenshaw").is_visible()
    assert_accessible(page)
    record = ToolScoreRecord.objects.get(person=person)
    assert (record.tool, record.total, record.category, record.scored_by) == (
        "waterlow", Decimal(18), "high_risk", lead.user
    )
