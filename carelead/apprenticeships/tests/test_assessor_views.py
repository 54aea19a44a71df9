"""The end-point assessor's read-only pages and the coach's access page (issue 6 "End-point assessment"):
only through an open grant (404 before the start, after the end, once revoked, for another
apprenticeship or another user), only accepted evidence, practice records as their snapshot, files
through the grant, every read audited, flat query counts; the coach grants and stops access, the
other parties read who has it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships.models import AssessorAccess, EvidenceKind, EvidenceStatus
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of, staff_of
from carelead.apprenticeships.tests.factories_assessor import assessor_of, grant, passed_epa, past_gateway, today
from carelead.apprenticeships.tests.factories_otj import media, upload  # noqa: F401 (fixture)
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory, ksbs_of, mapped
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def apprenticeship(reference_data):
    return past_gateway()


@pytest.fixture
def assessor():
    return assessor_of()


def accepted(apprenticeship, **fields):
    return PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.ACCEPTED,
                                    assessed_by=apprenticeship.coach, assessed_at=timezone.now(), **fields)


def url(name, apprenticeship, *more):
    return reverse(f"apprenticeships:{name}", args=[apprenticeship.public_id, *(item.public_id for item in more)])


# --- The assessor's pages: only through an open grant ---


def test_the_assessor_lists_only_grants_open_today(client, sign_in, apprenticeship, assessor):
    grant(apprenticeship, assessor)
    ended = grant(past_gateway(), assessor, starts_on=today() - timedelta(days=10), ends_on=today() - timedelta(days=1))
    later = grant(past_gateway(), assessor, starts_on=today() + timedelta(days=1))
    sign_in(assessor)
    page = client.get(reverse("apprenticeships:assessor-home")).content.decode()
    assert apprenticeship.apprentice.full_name in page
    assert ended.apprenticeship.apprentice.full_name not in page
    assert later.apprenticeship.apprentice.full_name not in page


@pytest.mark.parametrize(("starts", "ends", "status"), [
    (0, 0, 200),  # a one-day grant, today
    (-5, 0, 200),  # its last day
    (-5, -1, 404),  # the day after the end date
    (1, 5, 404),  # the day before the start date
])
def test_the_pages_open_only_between_the_dates(client, sign_in, apprenticeship, assessor, starts, ends, status):
    item = accepted(apprenticeship)
    grant(apprenticeship, assessor, starts_on=today() + timedelta(days=starts), ends_on=today() + timedelta(days=ends))
    sign_in(assessor)
    for page in (url("assessor-portfolio", apprenticeship), url("assessor-coverage", apprenticeship),
                 url("assessor-evidence", apprenticeship, item)):
        assert client.get(page).status_code == status, page


def test_a_revoked_grant_opens_nothing(client, sign_in, apprenticeship, assessor):
    grant(apprenticeship, assessor, revoked_at=timezone.now(), revoked_by=apprenticeship.coach)
    sign_in(assessor)
    assert client.get(url("assessor-portfolio", apprenticeship)).status_code == 404


def test_an_ended_assessor_membership_stops_access_at_once(client, sign_in, apprenticeship, assessor):
    grant(apprenticeship, assessor)
    assessor.memberships.update(ended_at=timezone.now())
    sign_in(assessor)
    assert client.get(url("assessor-portfolio", apprenticeship)).status_code == 404


def test_a_grant_opens_one_apprenticeship_only(client, sign_in, apprenticeship, assessor):
    grant(apprenticeship, assessor)
    other = past_gateway()
    other_item = accepted(other)
    sign_in(assessor)
    assert client.get(url("assessor-portfolio", other)).status_code == 404
    # Another apprenticeship's item through this grant's URL is not found either.
    assert client.get(url("assessor-evidence", apprenticeship, other_item)).status_code == 404
    assert client.get(url("assessor-evidence-file", apprenticeship, other_item)).status_code == 404


@pytest.mark.parametrize("who", ["coach", "apprentice", "employer", "other assessor"])
def test_nobody_else_uses_the_assessor_pages(client, sign_in, apprenticeship, assessor, who):
    grant(apprenticeship, assessor)
    user = {"coach": apprenticeship.coach, "apprentice": apprenticeship.apprentice,
            "employer": employer_contact_of(apprenticeship).user, "other assessor": assessor_of()}[who]
    sign_in(user)
    assert client.get(url("assessor-portfolio", apprenticeship)).status_code == 404
    assert 'id="no-grants"' in client.get(reverse("apprenticeships:assessor-home")).content.decode()


def test_the_portfolio_shows_accepted_items_only_with_results_and_otj(client, sign_in, apprenticeship, assessor):
    ksb = ksbs_of(apprenticeship, 1)[0]
    shown = mapped(accepted(apprenticeship, title="Leading the morning handover"), ksb)
    draft = PortfolioEvidenceFactory(apprenticeship=apprenticeship, title="A draft nobody should see")
    waiting = PortfolioEvidenceFactory(apprenticeship=apprenticeship, title="Waiting for the coach",
                                       status=EvidenceStatus.SUBMITTED)
    passed_epa(apprenticeship)
    grant(apprenticeship, assessor)
    sign_in(assessor)
    page = client.get(url("assessor-portfolio", apprenticeship)).content.decode()
    assert shown.title in page and ksb.code in page
    assert draft.title not in page and waiting.title not in page
    assert "Distinction, by the combination rule" in page
    assert "hours approved" in page
    for hidden in (draft, waiting):
        assert client.get(url("assessor-evidence", apprenticeship, hidden)).status_code == 404


def test_a_practice_record_is_shown_as_its_snapshot_only(client, sign_in, apprenticeship, assessor):
    item = accepted(apprenticeship, kind=EvidenceKind.PRACTICE_RECORD, source_key="careplans.review",
                    source_record_id="42", source_snapshot={"title": "Care plan review", "summary": "Led the review.",
                                                            "source_label": "Care plan review"})
    grant(apprenticeship, assessor)
    sign_in(assessor)
    page = client.get(url("assessor-evidence", apprenticeship, item)).content.decode()
    assert "Led the review." in page and "redacted summary" in page
    assert "/people/" not in page and "careplans" not in page.split("<main", 1)[-1]


def test_a_file_streams_through_the_grant_and_is_audited(client, sign_in, apprenticeship, assessor, media):
    item = accepted(apprenticeship, kind=EvidenceKind.FILE, file=upload("certificate.pdf"),
                    file_name="certificate.pdf")
    access = grant(apprenticeship, assessor)
    sign_in(assessor)
    assert reverse("apprenticeships:assessor-evidence-file", args=[apprenticeship.public_id, item.public_id]) in \
        client.get(url("assessor-evidence", apprenticeship, item)).content.decode()
    response = client.get(url("assessor-evidence-file", apprenticeship, item))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(actor=assessor, action="export",
                                     subject=f"apprenticeships.PortfolioEvidence:{item.public_id}").exists()
    access.revoked_at, access.revoked_by = timezone.now(), apprenticeship.coach
    access.save()
    assert client.get(url("assessor-evidence-file", apprenticeship, item)).status_code == 404


def test_every_read_is_audited_naming_the_grant(client, sign_in, apprenticeship, assessor):
    item = accepted(apprenticeship)
    access = grant(apprenticeship, assessor)
    sign_in(assessor)
    client.get(url("assessor-portfolio", apprenticeship))
    client.get(url("assessor-coverage", apprenticeship))
    client.get(url("assessor-evidence", apprenticeship, item))
    reads = AuditEvent.objects.filter(actor=assessor)
    pages = {event.details.get("page") for event in reads.filter(action="view",
             subject=f"apprenticeships.Apprenticeship:{apprenticeship.public_id}")}
    assert pages == {"portfolio", "coverage"}
    assert reads.filter(action="list", subject="apprenticeships.PortfolioEvidence",
                        details__ids=[str(item.public_id)]).exists()
    assert reads.filter(action="view", subject=f"apprenticeships.PortfolioEvidence:{item.public_id}",
                        details__assessor_grant=str(access.public_id)).exists()


def test_the_coverage_matrix_counts_without_listing_unaccepted_items(client, sign_in, apprenticeship, assessor):
    ksb = ksbs_of(apprenticeship, 1)[0]
    mapped(accepted(apprenticeship), ksb)
    mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship, title="Claimed not yet accepted",
                                    status=EvidenceStatus.SUBMITTED), ksb)
    grant(apprenticeship, assessor)
    sign_in(assessor)
    page = client.get(url("assessor-coverage", apprenticeship)).content.decode()
    assert ksb.code in page and "Claimed not yet accepted" not in page


def test_the_portfolio_page_queries_do_not_grow_with_items(client, sign_in, apprenticeship, assessor):
    ksbs = ksbs_of(apprenticeship, 2)
    mapped(accepted(apprenticeship), *ksbs)
    grant(apprenticeship, assessor)
    sign_in(assessor)
    page = url("assessor-portfolio", apprenticeship)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    for _ in range(15):
        mapped(accepted(apprenticeship), *ksbs)
    with CaptureQueriesContext(connection) as many:
        assert client.get(page).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- The coach's access page ---


def test_the_coach_grants_access_through_the_form(client, sign_in, apprenticeship, assessor):
    sign_in(apprenticeship.coach)
    assert client.get(url("assessor-access-new", apprenticeship)).status_code == 200
    start, end = today(), today() + timedelta(days=20)
    response = client.post(url("assessor-access-new", apprenticeship), {
        "email": assessor.email, "starts_on_0": start.day, "starts_on_1": start.month, "starts_on_2": start.year,
        "ends_on_0": end.day, "ends_on_1": end.month, "ends_on_2": end.year})
    assert response.status_code == 302
    access = AssessorAccess.objects.get()
    assert (access.assessor, access.starts_on, access.ends_on) == (assessor, start, end)
    page = client.get(url("assessor-access", apprenticeship)).content.decode()
    assert assessor.full_name in page and "Open" in page


def test_an_unknown_email_shows_who_to_ask(client, sign_in, apprenticeship):
    sign_in(apprenticeship.coach)
    start = today()
    page = client.post(url("assessor-access-new", apprenticeship), {
        "email": "stranger@example.com", "starts_on_0": start.day, "starts_on_1": start.month,
        "starts_on_2": start.year, "ends_on_0": start.day, "ends_on_1": start.month, "ends_on_2": start.year})
    assert page.status_code == 200 and "invite them with the role" in page.content.decode()
    assert not AssessorAccess.objects.exists()


def test_the_coach_stops_access_and_the_assessor_is_shut_out(client, sign_in, apprenticeship, assessor):
    access = grant(apprenticeship, assessor)
    revoke = reverse("apprenticeships:assessor-access-revoke", args=[apprenticeship.public_id, access.public_id])
    sign_in(apprenticeship.coach)
    assert client.post(revoke, {"reason": "The assessment is over"}).status_code == 302
    client.logout()
    sign_in(assessor)
    assert client.get(url("assessor-portfolio", apprenticeship)).status_code == 404


@pytest.mark.parametrize("who", ["apprentice", "employer"])
def test_the_apprentice_and_employer_see_who_has_access_but_cannot_change_it(client, sign_in, apprenticeship,
                                                                              assessor, who):
    access = grant(apprenticeship, assessor)
    sign_in(apprenticeship.apprentice if who == "apprentice" else employer_contact_of(apprenticeship).user)
    page = client.get(url("assessor-access", apprenticeship))
    assert page.status_code == 200 and assessor.full_name in page.content.decode()
    assert "Give an assessor access" not in page.content.decode()
    assert client.get(url("assessor-access-new", apprenticeship)).status_code == 403
    assert client.post(url("assessor-access-new", apprenticeship), {"email": assessor.email}).status_code == 403
    revoke = reverse("apprenticeships:assessor-access-revoke", args=[apprenticeship.public_id, access.public_id])
    assert client.post(revoke, {"reason": "no"}).status_code == 403
    access.refresh_from_db()
    assert access.revoked_at is None and AssessorAccess.objects.count() == 1


@pytest.mark.parametrize("who", ["other coach", "colleague coach", "registered manager elsewhere", "assessor"])
def test_the_access_pages_are_404_out_of_reach(client, sign_in, apprenticeship, assessor, who):
    access = grant(apprenticeship, assessor)
    user = {"other coach": lambda: ApprenticeshipFactory().coach,
            "colleague coach": lambda: staff_of(apprenticeship.provider, role=Role.SKILLS_COACH).user,
            "registered manager elsewhere": lambda: staff_of(role=Role.REGISTERED_MANAGER).user,
            "assessor": lambda: assessor}[who]()
    sign_in(user)
    revoke = reverse("apprenticeships:assessor-access-revoke", args=[apprenticeship.public_id, access.public_id])
    for page in (url("assessor-access", apprenticeship), url("assessor-access-new", apprenticeship), revoke):
        assert client.get(page).status_code == 404, page
    assert client.post(revoke, {"reason": "x"}).status_code == 404
    access.refresh_from_db()
    assert access.revoked_at is None


def test_the_access_page_and_the_assessor_home_do_not_grow_with_grants(client, sign_in, apprenticeship, assessor):
    grant(apprenticeship, assessor)
    page = url("assessor-access", apprenticeship)
    sign_in(apprenticeship.coach)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    for _ in range(6):
        grant(apprenticeship, assessor_of())
        grant(past_gateway(), assessor)
    with CaptureQueriesContext(connection) as many:
        assert client.get(page).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    client.logout()
    sign_in(assessor)
    home = reverse("apprenticeships:assessor-home")
    with CaptureQueriesContext(connection) as seven:
        assert client.get(home).content.decode().count('<a class="nhsuk-link" href="/apprenticeships/assessor/') == 7
    AssessorAccess.objects.filter(assessor=assessor).exclude(apprenticeship=apprenticeship).delete()
    with CaptureQueriesContext(connection) as one:
        client.get(home)
    assert len(seven.captured_queries) == len(one.captured_queries)


def test_the_assessor_reads_the_overall_grade_marked_as_worked_out_by_an_inferred_rule(
        client, sign_in, apprenticeship, assessor):
    grant(apprenticeship, assessor)
    passed_epa(apprenticeship)
    sign_in(assessor)
    body = client.get(url("assessor-portfolio", apprenticeship)).content.decode()
    assert "Distinction, by the combination rule." in body
    assert "Parts of this rule are inferred" in body
