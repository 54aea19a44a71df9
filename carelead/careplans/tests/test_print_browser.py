"""The shift summary in a real browser, at desktop and phone (390 px) widths: axe-clean, nothing
scrolls sideways, the links are full-size tap targets; the PDF link answers with a PDF."""

import pytest

from carelead.careplans.tests.factories import CarePlanFactory, CarePlanSectionFactory, RiskAssessmentFactory, SupportActionFactory
from carelead.core.permissions import Role
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.models import CommunicationNeed
from carelead.people.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG_WORDS = "Supercalifragilistic-style-long-instructions-without-spaces " * 3


def test_a_care_worker_reads_the_shift_summary_on_a_phone_and_opens_the_pdf(page):
    worker = MembershipFactory(role=Role.CARE_WORKER)
    person = PersonFactory(location=worker.locations.get(), given_name="Winifred", preferred_name="Winnie")
    plan = CarePlanFactory(person=person)
    section = CarePlanSectionFactory(plan=plan, title="Skin", outcome="I don't want to get sore again")
    SupportActionFactory(section=section, what="Turn every four hours", how=LONG_WORDS)
    RiskAssessmentFactory(person=person, title="Choking on bread", likelihood=5, severity=5,
                          residual_likelihood=4, residual_severity=5)
    CommunicationNeed.objects.create(person=person, need="Uses a hearing aid in her right ear")
    sign_in(page, worker)

    page.goto(f"/people/{person.public_id}/plan/summary/")
    page.get_by_role("heading", name="Shift summary for Winnie").wait_for()
    assert page.get_by_text("Extreme risk").is_visible() and page.get_by_text("Turn every four hours").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    pdf_link = page.get_by_role("button", name="Print the care plan (PDF) for Winnie")
    assert pdf_link.bounding_box()["height"] >= 44  # WCAG 2.2 target size, with room to spare
    assert_accessible(page)

    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
