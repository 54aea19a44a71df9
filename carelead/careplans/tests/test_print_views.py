"""The printed care plan and the shift summary: negative cases first (a person elsewhere, no plan),
then what each shows, the audit, and query counts that do not grow with the plan."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from carelead.careplans import pdf
from carelead.careplans.models import RiskStatus
from carelead.careplans.tests.factories import (
    CarePlanFactory,
    CarePlanSectionFactory,
    RiskAssessmentFactory,
    SupportActionFactory,
)
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.models import CommunicationNeed, InformationFormat
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URLS = ["careplans:plan-pdf", "careplans:plan-summary"]


def _member(role=Role.CARE_WORKER):
    membership = MembershipFactory(role=role)
    return membership, membership.locations.get()


def _plan(location, *, sections=1, **fields):
    """A plan for a new person at `location`: each section with two actions and a linked risk."""
    person = PersonFactory(location=location, given_name="Margaret", family_name="O'Brien", preferred_name="Peggy",
                           nhs_number="9434765919", date_of_birth=date(1938, 4, 2))
    plan = CarePlanFactory(person=person, **fields)
    for number in range(sections):
        section = CarePlanSectionFactory(plan=plan, title=f"Skin {number}", outcome=f"I don't want to get sore {number}")
        SupportActionFactory(section=section, what="Cream to heels", who="Care workers", when="Morning and night")
        SupportActionFactory(section=section, what="Turn every four hours", who="Two care workers", when="At night")
        section.risks.add(RiskAssessmentFactory(person=person, title=f"Pressure damage {number}"))
    return person, plan


def _pdf_text(response) -> str:
    """The words of every page, whitespace (line breaks in table cells) collapsed to single spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize("name", URLS)
def test_a_person_at_another_location_is_a_404_and_nothing_is_audited(sign_in, name):
    member, _ = _member(Role.REGISTERED_MANAGER)
    person, _ = _plan(_member()[1])
    response = sign_in(member).get(reverse(name, args=[person.public_id]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(person=person).exists()


@pytest.mark.parametrize("name", URLS)
def test_a_person_with_no_current_plan_is_a_404(sign_in, name):
    member, location = _member()
    person, plan = _plan(location)
    plan.status = "archived"
    plan.save()
    assert sign_in(member).get(reverse(name, args=[person.public_id])).status_code == 404
    assert sign_in(member).get(reverse(name, args=[PersonFactory(location=location).public_id])).status_code == 404


@pytest.mark.parametrize("name", URLS)
def test_only_get_is_allowed(sign_in, name):
    member, location = _member(Role.LEAD_PRACTITIONER)
    person, _ = _plan(location)
    assert sign_in(member).post(reverse(name, args=[person.public_id])).status_code == 405


def test_a_care_worker_prints_the_plan_as_an_a4_pdf_that_is_never_cached(sign_in):
    member, location = _member()
    person, plan = _plan(location)
    response = sign_in(member).get(reverse("careplans:plan-pdf", args=[person.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'inline; filename="care-plan-obrien-{today:%Y-%m-%d}.pdf"'
    assert "no-store" in response["Cache-Control"]
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points


def test_the_pdf_holds_the_header_sections_actions_risks_and_a_footer_on_every_page(sign_in):
    member, location = _member()
    person, plan = _plan(location, sections=6)
    response = sign_in(member).get(reverse("careplans:plan-pdf", args=[person.public_id]))
    text, pages = _pdf_text(response), PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) > 1
    assert "Margaret O'Brien" in text and "943 476 5919" in text and "2 Apr 1938" in text and location.name in text
    for number in range(6):
        assert f"Skin {number}" in text and f"Pressure damage {number}" in text
    assert "Turn every four hours" in text and "Two care workers" in text
    assert "High" in text and "Moderate" in text  # the factory's risk: high before controls, moderate with them
    printed = f"printed {timezone.localdate():%-d %b %Y} by {member.user.full_name}"
    for number, page in enumerate(pages, start=1):
        footer = " ".join(page.extract_text().split())
        assert f"Page {number} of {len(pages)}" in footer
        assert printed in footer and "version 1, awaiting approval" in footer
        assert "Margaret O'Brien" in footer  # the running header names the person on every page


def test_exporting_the_pdf_is_audited_with_the_version_and_no_clinical_text(sign_in):
    member, location = _member()
    person, plan = _plan(location)
    sign_in(member).get(reverse("careplans:plan-pdf", args=[person.public_id]))
    event = AuditEvent.objects.get(person=person)
    assert (event.action, event.actor, event.details) == (Action.EXPORT, member.user, {"format": "pdf", "version": 1})
    assert event.subject == f"careplans.CarePlan:{plan.public_id}"


def _printing():
    return pdf.Printing(by="Sam Lead", on=date(2026, 11, 23))


def test_the_printed_html_says_approval_and_review_states_in_words():
    person, plan = _plan(PersonFactory().location, review_on=date(2026, 11, 25))
    plan.approved_version, plan.approved_by, plan.approved_at = 1, plan.created_by, timezone.now()
    html = pdf.plan_html(person=person, plan=plan, printing=_printing())
    assert "version 1, approved" in html and f"approved by {plan.created_by.full_name}" in html
    assert "25 Nov 2026: Due" in html  # two days before the review date: due, in words not colour
    plan.version = 2
    html = pdf.plan_html(person=person, plan=plan, printing=_printing())
    assert "version 2, awaiting approval" in html and "version 1 was the last approved" in html


@pytest.mark.parametrize(("review_on", "words"), [
    (date(2026, 12, 1), "In date"), (date(2026, 11, 30), "Due"), (date(2026, 11, 23), "Due"),
    (date(2026, 11, 22), "Overdue"),
])
def test_review_words_follow_the_review_rule(review_on, words):
    assert pdf.review_words(review_on, date(2026, 11, 23)) == words


def test_the_highest_risk_with_controls_comes_first():
    low, high, extreme = (RiskAssessmentFactory.build(title=title, likelihood=like, severity=5,
                                                      residual_likelihood=like, residual_severity=5)
                          for title, like in (("Low", 1), ("High", 2), ("Extreme", 4)))
    assert [risk.title for risk in pdf.highest_risk_first([low, extreme, high])] == ["Extreme", "High", "Low"]


def test_the_filename_is_safe_for_any_surname():
    assert pdf.pdf_filename(PersonFactory.build(family_name='Smith-Jones "x"'), date(2026, 11, 23)) == \
        "care-plan-smith-jones-x-2026-11-23.pdf"
    assert pdf.pdf_filename(PersonFactory.build(family_name="???"), date(2026, 11, 23)) == "care-plan-person-2026-11-23.pdf"


def test_the_pdf_fetches_nothing_named_in_the_document(monkeypatch):
    fetched = []
    html = '<p>Plan</p><img src="http://example.invalid/x.png"><link rel="stylesheet" href="file:///etc/passwd">'
    from weasyprint.urls import URLFetcher

    monkeypatch.setattr(URLFetcher, "open", lambda self, *a, **k: fetched.append(a) or pytest.fail("fetched"))
    assert pdf.html_to_pdf(html).startswith(b"%PDF")
    assert fetched == []


def test_pdf_queries_do_not_grow_with_sections(sign_in, django_assert_max_num_queries):
    member, location = _member()
    client = sign_in(member)
    small, _ = _plan(location, sections=1)
    client.get(reverse("careplans:plan-pdf", args=[small.public_id]))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("careplans:plan-pdf", args=[small.public_id]))
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    large, _ = _plan(location, sections=10)
    with django_assert_max_num_queries(few):
        client.get(reverse("careplans:plan-pdf", args=[large.public_id]))


# --- The shift summary ---------------------------------------------------------------------------


def test_the_summary_shows_what_a_care_worker_needs_at_the_start_of_a_shift(sign_in):
    member, location = _member()
    person, plan = _plan(location, sections=2)
    CommunicationNeed.objects.create(person=person, need="Hard of hearing in the left ear",
                                     information_format=InformationFormat.LARGE_PRINT)
    RiskAssessmentFactory(person=person, title="Choking on bread", likelihood=5, severity=5,
                          residual_likelihood=4, residual_severity=5)
    RiskAssessmentFactory(person=person, title="An archived risk", status=RiskStatus.ARCHIVED)
    response = sign_in(member).get(reverse("careplans:plan-summary", args=[person.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shift summary for</span> Peggy" in html
    assert plan.summary in html and "Hard of hearing in the left ear" in html and "large print" in html
    assert html.index("Choking on bread") < html.index("Pressure damage 0")  # extreme with controls first
    assert "Extreme risk" in html and "An archived risk" not in html
    assert "I don&#x27;t want to get sore 1" in html and "Turn every four hours" in html and "Two care workers, At night" in html
    assert "In date" in html and "awaiting approval" in html
    assert reverse("careplans:plan-pdf", args=[person.public_id]) in html
    assert f'href="{reverse("careplans:plan", args=[person.public_id])}"' in html  # back to the full plan
    assert 'name="viewport" content="width=device-width' in html
    assert "<table" not in html  # cards and lists, nothing that scrolls sideways at 390 px


def test_the_summary_is_audited_as_a_view_of_the_plan(sign_in):
    member, location = _member()
    person, plan = _plan(location)
    sign_in(member).get(reverse("careplans:plan-summary", args=[person.public_id]))
    event = AuditEvent.objects.get(person=person)
    assert (event.action, event.details) == (Action.VIEW, {"tab": "plan", "view": "summary"})


def test_summary_queries_do_not_grow_with_sections_or_risks(sign_in, django_assert_max_num_queries):
    member, location = _member()
    client = sign_in(member)
    small, _ = _plan(location, sections=1)
    client.get(reverse("careplans:plan-summary", args=[small.public_id]))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("careplans:plan-summary", args=[small.public_id]))
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    large, _ = _plan(location, sections=10)
    RiskAssessmentFactory.create_batch(5, person=large)
    with django_assert_max_num_queries(few):
        client.get(reverse("careplans:plan-summary", args=[large.public_id]))


def test_the_print_links_include_names_both(sign_in):
    from django.template.loader import render_to_string

    person = PersonFactory()
    html = render_to_string("careplans/_plan_print_links.html", {"person": person})
    assert reverse("careplans:plan-pdf", args=[person.public_id]) in html
    assert reverse("careplans:plan-summary", args=[person.public_id]) in html
