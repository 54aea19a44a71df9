"""Issue 6 in a real browser, at desktop and phone widths, each page axe-clean:

1. The apprentice attaches a risk assessment they made as evidence and sees only its redacted
   summary, claims a KSB and sends it to the coach; the coach accepts it; the gateway is completed
   (Diploma, observation scope, portfolio declared, readiness signed by coach, apprentice and
   employer, gateway date confirmed); the end-point assessment is recorded as Pass + Distinction,
   giving Distinction overall.
2. A failed observation resat within 3 months and passed, with a Distinction in the discussion:
   the overall grade is capped at Pass (§2.4).

Each party uses a browser context of their own."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from carelead.apprenticeships.models import Ksb, OtjStatus
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, employer_contact_of,
)
from carelead.apprenticeships.tests.factories_practice import identifiable_person, identifying, risk_assessment
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n% certificate\n"


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


@pytest.fixture
def as_party(page, live_server):
    """as_party(membership): a fresh browser context (its own cookies) with the same screen size,
    signed in as `membership`; closed at the end of the test, so no request of it outlives the test."""
    contexts = []

    def _open(membership):
        context = page.context.browser.new_context(viewport=page.viewport_size, base_url=live_server.url)
        contexts.append(context)
        context.set_default_timeout(10_000)
        party = context.new_page()
        party.viewport_name = page.viewport_name
        sign_in(party, membership)
        return party

    yield _open
    for context in contexts:
        context.close()


def fill_date(page, field: str, day: date):
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def memberships(apprenticeship):
    coach = Membership.objects.get(user=apprenticeship.coach, organisation=apprenticeship.provider)
    apprentice = Membership.objects.get(user=apprenticeship.apprentice, organisation=apprenticeship.employer)
    return coach, apprentice


def at_gateway_stage(**fields):
    """An apprentice who started on 2 Sep 2024 (6 hours a week of OTJ by §4), with approved off-the-job
    hours above the minimum and an EPAO named: ready for gateway once the rest is recorded."""
    apprenticeship = ApprenticeshipFactory(start_date=date(2024, 9, 2), practical_period_end=date(2026, 3, 2),
                                           hours=30, epao_name="Highfield Assessment", **fields)
    for week in range(80):
        OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2024, 9, 9) + timedelta(weeks=week),
                              minutes=360, status=OtjStatus.APPROVED, decided_by=apprenticeship.coach)
    return apprenticeship


def record_attempt(page, apprenticeship, *, method: str, kind: str, planned: date, held: date, grade: str,
                   notified: date | None = None):
    page.goto(f"/apprenticeships/{apprenticeship.public_id}/epa/")
    page.get_by_role("link", name="Plan an attempt").click()
    page.get_by_label(method, exact=True).check()
    page.get_by_label(kind, exact=True).check()
    fill_date(page, "planned_on", planned)
    page.get_by_role("button", name=re.compile("Save|Plan")).click()
    page.wait_for_url(re.compile("/epa/$"))
    page.get_by_role("link", name=re.compile(f"Record the result of the {method}", re.I)).last.click()
    assert_accessible(page)
    fill_date(page, "held_on", held)
    page.get_by_label(grade, exact=True).check()
    if notified:
        fill_date(page, "fail_notified_on", notified)
    page.get_by_role("button", name=re.compile("Save|Record")).click()
    page.wait_for_url(re.compile("/epa/$"))


def test_practice_becomes_evidence_through_gateway_to_a_distinction(page, as_party, reference_data):
    apprenticeship = at_gateway_stage(apprentice__full_name="Priya Shah")
    coach, apprentice = memberships(apprenticeship)
    contact = employer_contact_of(apprenticeship)
    person = identifiable_person()
    risk_assessment(person, apprenticeship.apprentice)
    ksb = Ksb.objects.filter(version=apprenticeship.standard_version, retired=False, kind="knowledge").order_by(
        "position").first()
    today = timezone.localdate()
    gateway = today - timedelta(days=70)

    # The apprentice attaches the risk assessment they made: only its redacted summary is shown.
    sign_in(page, apprentice)
    page.goto(f"/apprenticeships/{apprenticeship.public_id}/")
    page.get_by_role("link", name="Portfolio", exact=True).click()
    page.get_by_role("link", name="Attach a practice record").click()
    page.get_by_text("Assessed a risk").first.wait_for()
    assert_accessible(page)
    assert_fits(page)
    for words in identifying(person):
        assert words not in page.content(), words
    page.get_by_role("link", name=re.compile("^Attach")).first.click()
    assert_accessible(page)
    page.locator("details.nhsuk-details summary").first.click()  # the KSBs are grouped by kind, folded
    page.get_by_label(re.compile(f"^{re.escape(ksb.code)}\\b")).check()
    page.get_by_role("button", name="Add to my portfolio").click()
    page.wait_for_url(re.compile("/portfolio/[0-9a-f-]+/$"))
    page.get_by_text("5 x 5 likelihood and severity matrix").wait_for()
    assert_accessible(page)
    assert_fits(page)
    for words in identifying(person):
        assert words not in page.content(), words
    item_url = page.url
    page.get_by_role("button", name="Send to your coach").click()
    page.get_by_text("Waiting for the coach").first.wait_for()

    # The coach accepts it: it is locked.
    coach_page = as_party(coach)
    coach_page.goto(item_url)
    coach_page.get_by_role("link", name="Assess this evidence").click()
    assert_accessible(coach_page)
    coach_page.get_by_label("Accepted", exact=True).check()
    coach_page.get_by_role("button", name="Save decision").click()
    coach_page.get_by_text(re.compile("so it is locked")).wait_for()

    # Gateway: the apprentice declares the portfolio complete; the coach records the Diploma and the
    # observation scope and signs; the apprentice and the employer sign; the coach confirms the date.
    page.goto(f"/apprenticeships/{apprenticeship.public_id}/gateway/")
    assert_accessible(page)
    assert_fits(page)
    page.get_by_role("link", name="Declare complete the portfolio").click()
    page.get_by_label(re.compile("I declare my portfolio complete")).check()
    page.get_by_role("button", name="Declare complete").click()
    page.wait_for_url(re.compile("/gateway/$"))

    coach_page.goto(f"/apprenticeships/{apprenticeship.public_id}/gateway/")
    coach_page.get_by_role("link", name="Record the Diploma").click()
    assert_accessible(coach_page)
    fill_date(coach_page, "achieved_on", gateway - timedelta(days=10))
    coach_page.get_by_label("Certificate").set_input_files(
        files=[{"name": "diploma.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    coach_page.get_by_role("button", name="Save").click()
    coach_page.wait_for_url(re.compile("/gateway/$"))
    coach_page.get_by_role("link", name="Record the observation scope").click()
    coach_page.get_by_label("The leadership activity to be observed").fill(
        "Leading a team meeting on the new falls procedure with the day shift.")
    fill_date(coach_page, "agreed_on", gateway - timedelta(days=5))
    coach_page.get_by_role("button", name="Save").click()
    coach_page.wait_for_url(re.compile("/gateway/$"))
    for signer in (coach_page, page, as_party(contact)):
        signer.goto(f"/apprenticeships/{apprenticeship.public_id}/gateway/")
        signer.get_by_role("link", name="Sign the readiness decision").click()
        assert_accessible(signer)
        signer.get_by_label(re.compile("I agree the apprentice is ready for gateway")).check()
        signer.get_by_role("button", name="Sign", exact=True).click()
        signer.wait_for_url(re.compile("/gateway/$"))
    coach_page.goto(f"/apprenticeships/{apprenticeship.public_id}/gateway/")
    coach_page.get_by_role("link", name="Confirm the gateway date").click()
    assert_accessible(coach_page)
    fill_date(coach_page, "gateway_date", gateway)
    coach_page.get_by_role("button", name="Confirm the gateway date").click()
    coach_page.wait_for_url(re.compile("/gateway/$"))
    apprenticeship.refresh_from_db()
    assert apprenticeship.gateway_date == gateway

    # End-point assessment: Pass in the observation, Distinction in the discussion.
    record_attempt(coach_page, apprenticeship, method="Observation of practice", kind="First attempt",
                   planned=gateway + timedelta(days=35), held=gateway + timedelta(days=35), grade="Pass")
    record_attempt(coach_page, apprenticeship, method="Professional discussion", kind="First attempt",
                   planned=gateway + timedelta(days=40), held=gateway + timedelta(days=40), grade="Distinction")
    overall = coach_page.locator("#epa-overall")
    assert "Distinction" in overall.inner_text()
    assert coach_page.locator("#epa-inferred").is_visible()  # the rule's inferred parts are marked
    assert_accessible(coach_page)
    assert_fits(coach_page)


def test_a_resit_after_a_failed_observation_caps_the_grade_at_pass(page, reference_data):
    today = timezone.localdate()
    gateway = today - timedelta(days=120)
    apprenticeship = at_gateway_stage(gateway_date=gateway)
    coach, _ = memberships(apprenticeship)
    sign_in(page, coach)
    failed = gateway + timedelta(days=30)
    record_attempt(page, apprenticeship, method="Observation of practice", kind="First attempt", planned=failed,
                   held=failed, grade="Fail", notified=failed + timedelta(days=5))
    page.get_by_text(re.compile("a resit or retake must be held by")).wait_for()
    assert_accessible(page)
    resit = failed + timedelta(days=50)  # within 3 months of the notification
    record_attempt(page, apprenticeship, method="Observation of practice", kind="Resit", planned=resit, held=resit,
                   grade="Pass")
    record_attempt(page, apprenticeship, method="Professional discussion", kind="First attempt",
                   planned=resit + timedelta(days=2), held=resit + timedelta(days=2), grade="Distinction")
    overall = page.locator("#epa-overall").inner_text()
    assert "Pass" in overall and "Distinction" not in overall
    assert_accessible(page)
    assert_fits(page)
