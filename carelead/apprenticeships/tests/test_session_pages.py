"""Session pages: arranging, changing and cancelling a session; who sees it; the sessions list and
an apprenticeship's Sessions tab; the attendance import pages."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships import session_selectors, session_services
from carelead.apprenticeships.models import (
    AttendanceImport, ImportStatus, OffTheJobEntry, SessionAttendee, SessionKind, TrainingSession,
)
from carelead.apprenticeships.tests.factories import employer_contact_of, provider_org
from carelead.apprenticeships.tests.factories_sessions import apprenticeship_of, coach_at, cohort, session_at
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
TEAMS_LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"


@pytest.fixture
def group(reference_data):
    return cohort()


def form_data(group, **changes):
    data = {"kind": "coaching", "title": "Coaching: positive risk-taking", "day_0": "14", "day_1": "10",
            "day_2": "2026", "start_time": "10:00", "end_time": "11:30", "join_url": TEAMS_LINK, "venue": "",
            "description": "Bring a recent example.", "attendees": [group.amara.pk, group.ben.pk]}
    return {**data, **changes}


def test_a_coach_arranges_a_session_in_london_time(group, sign_in):
    client = sign_in(group.coach)
    response = client.post(reverse("apprenticeships:session-new"), form_data(group))
    session = TrainingSession.objects.get(title="Coaching: positive risk-taking")
    assert response.status_code == 302 and response["Location"].endswith(f"/sessions/{session.public_id}/")
    assert session.starts_at == datetime(2026, 10, 14, 9, 0, tzinfo=UTC)  # 10:00 BST
    assert session.ends_at == datetime(2026, 10, 14, 10, 30, tzinfo=UTC)
    assert (session.provider, session.organiser, session.activity_type) == (
        group.provider, group.coach.user, "teams_coaching")
    assert set(session.attendees.values_list("apprenticeship", flat=True)) == {group.amara.pk, group.ben.pk}
    assert AuditEvent.objects.filter(subject=f"apprenticeships.TrainingSession:{session.public_id}",
                                     action="create").exists()


@pytest.mark.parametrize(("kind", "activity"), [("coaching", "teams_coaching"), ("taught", "zoom_taught_session"),
                                                 ("study_day", "study_day"), ("review", "progress_review")])
def test_what_a_session_counts_as_follows_its_kind(group, sign_in, kind, activity):
    sign_in(group.coach).post(reverse("apprenticeships:session-new"), form_data(group, kind=kind))
    assert TrainingSession.objects.get(title="Coaching: positive risk-taking").activity_type == activity


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"join_url": "https://evil.example/teams.microsoft.com"}, "join_url", session_services.JOIN_LINK_MESSAGE),
    ({"join_url": "http://teams.microsoft.com/l/x"}, "join_url", session_services.JOIN_LINK_MESSAGE),
    ({"join_url": "https://zoom.us.evil.example/j/1"}, "join_url", session_services.JOIN_LINK_MESSAGE),
    ({"join_url": ""}, "join_url", session_services.WHERE_MESSAGE),
    ({"end_time": "09:30"}, "end_time", session_services.END_BEFORE_START_MESSAGE),
    ({"start_time": "25:00"}, "start_time", "Enter start time as a time of day, like 10:00 or 2:30pm"),
    ({"title": ""}, "title", "Enter title"),
])
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(group, sign_in, changes, field, message):
    response = sign_in(group.coach).post(reverse("apprenticeships:session-new"), form_data(group, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert 'class="nhsuk-error-summary"' in response.content.decode()
    assert not TrainingSession.objects.filter(title="Coaching: positive risk-taking").exists()


@pytest.mark.parametrize("link", ["https://us02web.zoom.us/j/85218486288?pwd=abc", "https://zoom.us/j/1",
                                  "https://teams.live.com/meet/9312345", TEAMS_LINK])
def test_teams_and_zoom_links_are_taken(link):
    assert session_services.join_link_error(link) is None


def test_a_venue_alone_will_do_for_a_session_in_person(group, sign_in):
    sign_in(group.coach).post(reverse("apprenticeships:session-new"), form_data(
        group, join_url="", venue="Oak House, 1 High Street", kind="study_day"))
    assert TrainingSession.objects.get(title="Coaching: positive risk-taking").venue == "Oak House, 1 High Street"


def test_a_coach_invites_only_apprentices_they_coach(group, sign_in):
    stranger = apprenticeship_of(coach_at(group.provider), "someone@example.org", "Someone Else")
    response = sign_in(group.coach).post(reverse("apprenticeships:session-new"),
                                         form_data(group, attendees=[stranger.pk]))
    assert response.context["form"].errors["attendees"]
    assert not TrainingSession.objects.filter(title="Coaching: positive risk-taking").exists()


def test_changing_a_session_raises_its_sequence_and_keeps_attendance(group, sign_in):
    client = sign_in(group.coach)
    url = reverse("apprenticeships:session-edit", args=[group.session.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(group, title="Coaching: moved", attendees=[group.amara.pk]))
    assert response.status_code == 302
    group.session.refresh_from_db()
    assert (group.session.title, group.session.sequence) == ("Coaching: moved", 1)
    assert list(group.session.attendees.values_list("apprenticeship", flat=True)) == [group.amara.pk]


def test_someone_with_attendance_cannot_be_removed(group, sign_in):
    SessionAttendee.objects.filter(apprenticeship=group.ben).update(attended_minutes=40)
    response = sign_in(group.coach).post(reverse("apprenticeships:session-edit", args=[group.session.public_id]),
                                         form_data(group, attendees=[group.amara.pk], day_0="7", day_1="10",
                                                   day_2="2025", start_time="11:00", end_time="12:00"))
    assert response.context["form"].errors["attendees"] == [session_services.ATTENDED_MESSAGE.format(name="Ben Hughes")]


def test_cancelling_keeps_the_session_marked_cancelled(group, sign_in):
    client = sign_in(group.coach)
    url = reverse("apprenticeships:session-cancel", args=[group.session.public_id])
    assert client.get(url).status_code == 200
    client.post(url)
    group.session.refresh_from_db()
    assert group.session.cancelled_at and group.session.sequence == 1
    page = client.get(reverse("apprenticeships:session-detail", args=[group.session.public_id])).content.decode()
    assert "This session was cancelled" in page


def test_who_sees_a_session(group, client, sign_in):
    url = reverse("apprenticeships:session-detail", args=[group.session.public_id])
    colleague = coach_at(group.provider)  # coaches at the same provider, but none of those invited
    uninvited = apprenticeship_of(group.coach, "c@example.org", "Chloe Patel")
    for who, expected in [(group.coach, 200), (colleague, 404), (group.amara.apprentice, 200),
                          (coach_at(), 404), (uninvited.apprentice, 404), (employer_contact_of(group.amara), 404)]:
        client.logout()
        assert sign_in(who).get(url).status_code == expected, who


def shared_session(group):
    """Sam's session with Amara, Ben and Dev, a colleague's apprentice (Dev's coach changed since)."""
    colleague = coach_at(group.provider)
    dev = apprenticeship_of(colleague, "dev.shah@example.org", "Dev Shah")
    SessionAttendee.objects.create(session=group.session, apprenticeship=dev)
    return colleague, dev


def test_a_colleague_sees_a_shared_session_listing_only_the_apprentices_they_coach(group, sign_in):
    colleague, _ = shared_session(group)
    SessionAttendee.objects.filter(apprenticeship=group.amara).update(attended_minutes=55)
    client = sign_in(colleague)
    assert list(client.get(reverse("apprenticeships:session-list")).context["sessions"]) == [group.session]
    response = client.get(reverse("apprenticeships:session-detail", args=[group.session.public_id]))
    page = response.content.decode()
    assert response.status_code == 200 and "Your apprentices invited" in page
    assert [a.apprenticeship.apprentice.full_name for a in response.context["attendees"]] == ["Dev Shah"]
    assert "Amara Okafor" not in page and "Ben Hughes" not in page and ">55<" not in page
    assert "Import attendance" not in page and "Change session" not in page and "Cancel session" not in page


def test_the_organiser_sees_everyone_invited(group, sign_in):
    shared_session(group)
    response = sign_in(group.coach).get(reverse("apprenticeships:session-detail", args=[group.session.public_id]))
    assert [a.apprenticeship.apprentice.full_name for a in response.context["attendees"]] == [
        "Amara Okafor", "Ben Hughes", "Dev Shah"]
    assert "Apprentices invited" in response.content.decode()


@pytest.mark.parametrize("name", ["session-edit", "session-cancel", "attendance-upload"])
def test_a_colleague_cannot_manage_even_a_shared_session(group, sign_in, name):
    colleague, _ = shared_session(group)
    client = sign_in(colleague)
    assert client.get(reverse(f"apprenticeships:{name}", args=[group.session.public_id])).status_code == 404
    assert client.post(reverse(f"apprenticeships:{name}", args=[group.session.public_id])).status_code == 404
    group.session.refresh_from_db()
    assert group.session.sequence == 0 and not group.session.cancelled_at


def test_only_the_organiser_still_coaching_at_the_provider_manages_a_session(group):
    colleague, _ = shared_session(group)
    assert session_selectors.can_manage(group.coach.user, group.session)
    assert not session_selectors.can_manage(colleague.user, group.session)
    assert not session_selectors.can_manage(group.amara.apprentice, group.session)
    group.coach.delete()  # the organiser left the provider
    assert not session_selectors.can_manage(group.coach.user, group.session)


def test_who_is_listed_takes_one_query(group, django_assert_num_queries):
    colleague, dev = shared_session(group)
    for who, expected in [(group.coach.user, [group.amara, group.ben, dev]), (colleague.user, [dev]),
                          (group.amara.apprentice, [group.amara]), (coach_at().user, [])]:
        with django_assert_num_queries(1):
            listed = session_selectors.attendees_visible_to(who, group.session)
        assert [a.apprenticeship for a in listed] == expected, who


@pytest.mark.parametrize("name", ["session-edit", "session-cancel", "attendance-upload"])
def test_an_invited_apprentice_and_a_coach_elsewhere_cannot_manage_it(group, client, sign_in, name):
    url = reverse(f"apprenticeships:{name}", args=[group.session.public_id])
    assert sign_in(group.amara.apprentice).get(url).status_code == 404
    client.logout()
    assert sign_in(coach_at()).get(url).status_code == 404


def test_the_list_shows_upcoming_sessions_first_then_past_and_filters_by_kind(group, sign_in):
    now = timezone.now()
    later = session_at(group.coach, title="Later", starts_at=now + timedelta(days=9))
    sooner = session_at(group.coach, title="Sooner", starts_at=now + timedelta(days=2), kind=SessionKind.TAUGHT)
    recent = session_at(group.coach, title="Recent", starts_at=now - timedelta(days=2))
    client = sign_in(group.coach)
    response = client.get(reverse("apprenticeships:session-list"))
    assert list(response.context["sessions"]) == [sooner, later, recent, group.session]
    taught = client.get(reverse("apprenticeships:session-list"), {"kind": "taught"})
    assert list(taught.context["sessions"]) == [sooner]


def test_the_list_makes_the_same_queries_for_1_or_10_sessions(group, sign_in, django_assert_num_queries):
    client, url = sign_in(group.coach), reverse("apprenticeships:session-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(9):
        session_at(group.coach, group.amara, group.ben, starts_at=datetime(2030, 1, 1 + day, 10, tzinfo=UTC))
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["sessions"]) == 10


def test_the_apprenticeship_tab_lists_their_sessions_with_minutes(group, client, sign_in):
    SessionAttendee.objects.filter(apprenticeship=group.amara).update(attended_minutes=55)
    url = reverse("apprenticeships:apprenticeship-sessions", args=[group.amara.public_id])
    for who in (group.coach, group.amara.apprentice, employer_contact_of(group.amara)):
        client.logout()
        response = sign_in(who).get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert group.session.title in page and "Attended in all: 55 minutes" in page
        assert 'aria-current="page">Sessions</a>' in page
    client.logout()
    assert sign_in(coach_at()).get(url).status_code == 404
    client.logout()
    assert sign_in(group.ben.apprentice).get(url).status_code == 404


def test_the_tab_makes_the_same_queries_for_1_or_10_sessions(group, sign_in, django_assert_num_queries):
    client = sign_in(group.amara.apprentice)
    url = reverse("apprenticeships:apprenticeship-sessions", args=[group.amara.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(9):
        session_at(group.coach, group.amara, starts_at=datetime(2030, 1, 1 + day, 10, tzinfo=UTC))
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["attendances"]) == 10


def upload(client, group, name="teams_attendance_uk.csv", source="teams"):
    return client.post(reverse("apprenticeships:attendance-upload", args=[group.session.public_id]), {
        "source": source, "file": SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv")})


def test_a_coach_uploads_reads_the_row_report_then_confirms(group, sign_in):
    client = sign_in(group.coach)
    response = upload(client, group)
    attendance = AttendanceImport.objects.get()
    assert response.status_code == 302 and str(attendance.public_id) in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Nothing is saved yet" in page and "Unknown email" in page and "visitor@elsewhere.example" in page
    assert "Outside the session" in page and "Malformed time" in page and "Duplicate" in page
    assert not OffTheJobEntry.objects.exists()
    confirmed = client.post(reverse("apprenticeships:attendance-confirm",
                                    args=[group.session.public_id, attendance.public_id]))
    assert confirmed.status_code == 302
    assert OffTheJobEntry.objects.count() == 2
    detail = client.get(confirmed["Location"]).content.decode()
    assert "Attendance saved, with 2 approved off-the-job entries" in detail
    again = client.post(reverse("apprenticeships:attendance-confirm",
                                args=[group.session.public_id, attendance.public_id]))
    assert again.status_code == 409 and "already been saved" in again.content.decode()


def test_a_bad_upload_is_shown_beside_the_file(group, sign_in):
    client = sign_in(group.coach)
    response = client.post(reverse("apprenticeships:attendance-upload", args=[group.session.public_id]), {
        "source": "teams", "file": SimpleUploadedFile("report.txt", b"hello", content_type="text/plain")})
    assert response.context["form"].errors["file"] == [
        "The file must be a CSV file (.csv): in Teams choose Download attendance list; in Zoom, Export"]
    response = upload(client, group, "zoom_participants.csv", "teams")
    assert "looks like a Zoom participants report" in response.context["form"].errors["file"][0]
    assert not AttendanceImport.objects.exists()


def test_discarding_from_the_page(group, sign_in):
    client = sign_in(group.coach)
    upload(client, group)
    attendance = AttendanceImport.objects.get()
    client.post(reverse("apprenticeships:attendance-discard", args=[group.session.public_id, attendance.public_id]))
    attendance.refresh_from_db()
    assert attendance.status == ImportStatus.DISCARDED and not OffTheJobEntry.objects.exists()


def test_another_sessions_import_is_a_404(group, sign_in):
    client = sign_in(group.coach)
    upload(client, group)
    attendance = AttendanceImport.objects.get()
    other = session_at(group.coach, group.amara)
    url = reverse("apprenticeships:attendance-import", args=[other.public_id, attendance.public_id])
    assert client.get(url).status_code == 404


def test_a_coach_at_two_providers_chooses_which_runs_the_session(group, sign_in):
    second = MembershipFactory(user=group.coach.user, organisation=provider_org(), role=Role.SKILLS_COACH,
                               all_locations=True)
    client = sign_in(group.coach)
    response = client.post(reverse("apprenticeships:session-new"), form_data(group))
    assert response.context["form"].errors["provider"] == ["Select which training provider runs this session"]
    response = client.post(reverse("apprenticeships:session-new"), form_data(group, provider=group.provider.pk))
    assert response.status_code == 302
    assert TrainingSession.objects.get(title="Coaching: positive risk-taking").provider == group.provider
    response = client.post(reverse("apprenticeships:session-new"), form_data(
        group, provider=second.organisation.pk, title="Elsewhere"))
    assert response.context["form"].errors["attendees"] == [session_services.NOT_INVITABLE_MESSAGE]
