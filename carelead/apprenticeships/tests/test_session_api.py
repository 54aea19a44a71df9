"""The sessions API: the same scoping as the pages; attendance imports report every row (201) and
confirm all or nothing (200, or 409 when not proposed)."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.apprenticeships.models import AttendanceImport, OffTheJobEntry, SessionAttendee, TrainingSession
from carelead.apprenticeships.tests.factories import employer_contact_of
from carelead.apprenticeships.tests.factories_sessions import apprenticeship_of, coach_at, cohort, session_at

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
SESSIONS = "/api/v1/sessions/"
ZOOM_LINK = "https://us02web.zoom.us/j/85218486288"


@pytest.fixture
def group(reference_data):
    return cohort()


def new_session(group, **changes):
    return {"kind": "taught", "title": "Taught: the Care Act", "date": "2026-11-04", "start_time": "13:30",
            "end_time": "15:00", "join_url": ZOOM_LINK, "attendees": [str(group.amara.public_id)], **changes}


def upload(api_client, session, name="teams_attendance_uk.csv", source="teams"):
    return api_client.client.post(f"{SESSIONS}{session.public_id}/attendance-imports/", {
        "source": source, "file": SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv")},
        **api_client.auth)


def test_a_coach_arranges_a_session(api, group):
    answer = api(group.coach).post(SESSIONS, new_session(group))
    assert answer.status_code == 201, answer.json()
    session = TrainingSession.objects.get(title="Taught: the Care Act")
    assert answer["Location"] == f"{SESSIONS}{session.public_id}/"
    data = answer.json()
    assert (data["kind"], data["activity_type"], data["starts_at"]) == (
        "taught", "zoom_taught_session", "2026-11-04T13:30:00Z")  # GMT in November
    assert data["attendee_count"] == 1


def test_bad_fields_are_each_named_and_nothing_saved(api, group):
    answer = api(group.coach).post(SESSIONS, new_session(group, kind="party", colour="red"))
    assert answer.status_code == 400 and {"kind", "colour"} <= set(answer.json())
    answer = api(group.coach).post(SESSIONS, new_session(group, join_url="https://example.org/meet"))
    assert answer.status_code == 400 and set(answer.json()) == {"join_url"}
    answer = api(group.coach).post(SESSIONS, new_session(group, attendees=[str(uuid.uuid4())]))
    assert answer.status_code == 400 and set(answer.json()) == {"attendees"}
    assert not TrainingSession.objects.filter(title="Taught: the Care Act").exists()


def test_an_apprentice_cannot_arrange_or_change_a_session(api, group):
    assert api(group.amara.apprentice).post(SESSIONS, new_session(group)).status_code == 403
    url = f"{SESSIONS}{group.session.public_id}/"
    assert api(group.amara.apprentice).patch(url, {"title": "Mine now"}).status_code == 403
    group.session.refresh_from_db()
    assert group.session.title != "Mine now"


def test_each_sees_only_sessions_in_reach(api, group):
    url = f"{SESSIONS}{group.session.public_id}/"
    assert api(group.coach).get(url).status_code == 200
    own = api(group.amara.apprentice).get(url).json()
    assert [a["apprentice_name"] for a in own["attendees"]] == ["Amara Okafor"]
    assert len(api(group.coach).get(url).json()["attendees"]) == 2
    for outsider in (coach_at(), employer_contact_of(group.amara)):
        assert api(outsider).get(url).status_code == 404
        assert api(outsider).get(SESSIONS).json()["results"] == []
    assert api(group.coach).get(f"{SESSIONS}{uuid.uuid4()}/").status_code == 404


def test_a_coach_changes_and_cancels_a_session(api, group):
    url = f"{SESSIONS}{group.session.public_id}/"
    answer = api(group.coach).patch(url, {"start_time": "10:30", "title": "Coaching: later"})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["starts_at"] == "2025-10-07T10:30:00+01:00" and answer.json()["sequence"] == 1
    answer = api(group.coach).patch(url, {"cancelled": True})
    assert answer.json()["cancelled"] is True and answer.json()["sequence"] == 2
    assert api(coach_at()).patch(url, {"title": "x"}).status_code == 404


def test_the_apprenticeship_sessions_list(api, group):
    url = f"/api/v1/apprenticeships/{group.amara.public_id}/sessions/"
    for who in (group.coach, group.amara.apprentice, employer_contact_of(group.amara)):
        rows = api(who).get(url).json()["results"]
        assert [row["session"] for row in rows] == [str(group.session.public_id)]
    assert api(coach_at()).get(url).status_code == 404
    assert api(group.ben.apprentice).get(url).status_code == 404


def test_lists_make_the_same_queries_for_1_or_10_sessions(api, group, django_assert_num_queries):
    client = api(group.coach)
    for url in (SESSIONS, f"/api/v1/apprenticeships/{group.amara.public_id}/sessions/"):
        client.get(url)
    with CaptureQueriesContext(connection) as few_sessions:
        client.get(SESSIONS)
    with CaptureQueriesContext(connection) as few_tab:
        client.get(f"/api/v1/apprenticeships/{group.amara.public_id}/sessions/")
    for day in range(9):
        session_at(group.coach, group.amara, group.ben, starts_at=datetime(2030, 1, 1 + day, 10, tzinfo=UTC))
    with django_assert_num_queries(len(few_sessions.captured_queries)):
        assert len(client.get(SESSIONS).json()["results"]) == 10
    with django_assert_num_queries(len(few_tab.captured_queries)):
        assert len(client.get(f"/api/v1/apprenticeships/{group.amara.public_id}/sessions/").json()["results"]) == 10


def test_an_upload_reports_every_row_and_confirm_saves_them(api, group):
    answer = upload(api(group.coach), group.session)
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["status"] == "proposed"
    assert {row["row"]: row["outcome"] for row in data["report"]}[16] == "unknown_email"
    assert not OffTheJobEntry.objects.exists()
    confirm = f"{SESSIONS}{group.session.public_id}/attendance-imports/{data['public_id']}/confirm/"
    done = api(group.coach).post(confirm, {})
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    assert OffTheJobEntry.objects.count() == 2
    assert api(group.coach).post(confirm, {}).status_code == 409
    assert OffTheJobEntry.objects.count() == 2


def test_a_bad_upload_names_the_file(api, group):
    answer = upload(api(group.coach), group.session, "zoom_participants.csv", "teams")
    assert answer.status_code == 400 and "Zoom participants report" in answer.json()["file"][0]
    answer = upload(api(group.coach), group.session, "zoom_participants.csv", "skype")
    assert answer.status_code == 400 and set(answer.json()) == {"source"}
    assert not AttendanceImport.objects.exists()


def test_an_apprentice_cannot_import_and_a_coach_elsewhere_gets_404(api, group):
    assert upload(api(group.amara.apprentice), group.session).status_code == 403
    assert upload(api(coach_at()), group.session).status_code == 404
    assert not AttendanceImport.objects.exists()
    data = upload(api(group.coach), group.session).json()
    confirm = f"{SESSIONS}{group.session.public_id}/attendance-imports/{data['public_id']}/confirm/"
    assert api(group.amara.apprentice).post(confirm, {}).status_code == 403
    assert api(coach_at()).post(confirm, {}).status_code == 404
    assert not OffTheJobEntry.objects.exists()


def test_a_colleague_coach_does_not_see_a_session_without_their_apprentices(api, group):
    colleague = coach_at(group.provider)
    apprenticeship_of(colleague, "dev.shah@example.org", "Dev Shah")  # theirs, but not invited
    url = f"{SESSIONS}{group.session.public_id}/"
    assert api(colleague).get(url).status_code == 404
    assert api(colleague).get(SESSIONS).json()["results"] == []
    assert api(colleague).patch(url, {"title": "x"}).status_code == 404
    assert upload(api(colleague), group.session).status_code == 404


def test_on_a_shared_session_a_colleague_sees_only_their_apprentices_and_cannot_change_or_import(api, group):
    colleague = coach_at(group.provider)
    dev = apprenticeship_of(colleague, "dev.shah@example.org", "Dev Shah")
    SessionAttendee.objects.create(session=group.session, apprenticeship=dev)
    url = f"{SESSIONS}{group.session.public_id}/"
    seen = api(colleague).get(url).json()
    assert [a["apprentice_name"] for a in seen["attendees"]] == ["Dev Shah"]
    assert [s["public_id"] for s in api(colleague).get(SESSIONS).json()["results"]] == [str(group.session.public_id)]
    assert [a["apprentice_name"] for a in api(group.coach).get(url).json()["attendees"]] == [
        "Amara Okafor", "Ben Hughes", "Dev Shah"]
    assert api(colleague).patch(url, {"title": "Mine now"}).status_code == 403
    assert api(colleague).patch(url, {"cancelled": True}).status_code == 403
    group.session.refresh_from_db()
    assert group.session.title != "Mine now" and not group.session.cancelled_at
    assert upload(api(colleague), group.session).status_code == 403
    data = upload(api(group.coach), group.session).json()
    imported = f"{SESSIONS}{group.session.public_id}/attendance-imports/{data['public_id']}/"
    assert api(colleague).get(imported).status_code == 403
    assert api(colleague).post(f"{imported}confirm/", {}).status_code == 403
    assert not OffTheJobEntry.objects.exists()
