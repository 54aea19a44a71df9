"""Importing attendance (attendance_services): every row checked and reported before anything is
saved; confirming saves every proposed row or none."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from carelead.apprenticeships import attendance_services as imports
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, AttendanceImport, ImportStatus, OffTheJobEntry, OffTheJobRevision, OtjSource,
    OtjStatus,
    SessionKind,
)
from carelead.apprenticeships.rules import ActivityType
from carelead.apprenticeships.tests.factories_sessions import apprenticeship_of, cohort, coach_at
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def group(reference_data):
    return cohort()


def propose(group, name="teams_attendance_uk.csv", source="teams", actor=None):
    return imports.propose_import(actor=Actor(actor or group.coach.user), session=group.session, source=source,
                                  filename=name, data=(DATA / name).read_bytes())


def outcomes(attendance):
    return {row["row"]: row["outcome"] for row in attendance.report}


def test_uploading_checks_every_row_and_saves_nothing_else(group):
    attendance = propose(group)
    assert attendance.status == ImportStatus.PROPOSED
    assert outcomes(attendance) == {10: imports.NOT_APPRENTICE, 11: imports.COUNTED, 12: imports.COUNTED,
                                    13: imports.DUPLICATE, 14: imports.OUTSIDE, 15: imports.MALFORMED,
                                    16: imports.UNKNOWN_EMAIL}
    rows = {row["row"]: row for row in attendance.report}
    assert rows[11]["minutes"] == 59 and rows[11]["otj"] is True
    assert rows[11]["detail"] == "Attended 59 minutes: an approved off-the-job entry for Amara Okafor."
    assert rows[16]["detail"] == imports.UNKNOWN_WORDS
    assert rows[10]["detail"] == imports.STAFF_WORDS
    assert [row["row"] for row in imports.proposals(attendance.report)] == [11, 12]
    assert not OffTheJobEntry.objects.exists()
    assert not group.session.attendees.filter(attended_minutes__isnull=False).exists()
    assert AuditEvent.objects.filter(subject=f"apprenticeships.AttendanceImport:{attendance.public_id}",
                                     action="create").exists()


def test_an_apprentice_of_the_provider_who_was_not_invited_is_named(group):
    group.session.attendees.filter(apprenticeship=group.ben).delete()
    rows = {row["row"]: row for row in propose(group).report}
    assert rows[12]["outcome"] == imports.UNKNOWN_EMAIL
    assert rows[12]["detail"] == imports.UNINVITED_WORDS.format(name="Ben Hughes")


def test_zoom_rows_of_one_person_are_added_together(group):
    attendance = propose(group, "zoom_participants.csv", "zoom")
    rows = {row["row"]: row for row in attendance.report}
    assert rows[6]["minutes"] == 59 and "Rows 6, 7 added together." in rows[6]["detail"]
    assert rows[7]["outcome"] == imports.COMBINED and rows[8]["outcome"] == imports.DUPLICATE
    assert rows[10]["outcome"] == imports.UNKNOWN_EMAIL and rows[10]["detail"] == imports.UNKNOWN_NAME_WORDS
    assert rows[11]["outcome"] == imports.MALFORMED


def test_the_older_teams_format_matches_invited_apprentices_by_name(group):
    attendance = propose(group, "teams_legacy.csv")
    rows = {row["row"]: row for row in attendance.report}
    assert rows[3]["apprenticeship"] == str(group.amara.public_id) and rows[3]["minutes"] == 53
    assert rows[4]["apprenticeship"] == str(group.ben.public_id)


@pytest.mark.parametrize(("name", "source", "message"), [
    ("zoom_participants.csv", "teams", "looks like a Zoom participants report"),
    ("teams_attendance_uk.csv", "zoom", "looks like a Microsoft Teams attendance report"),
])
def test_a_report_of_the_other_kind_is_refused_beside_the_file(group, name, source, message):
    with pytest.raises(ValidationError) as raised:
        propose(group, name, source)
    assert message in raised.value.message_dict["file"][0]
    assert not AttendanceImport.objects.exists()


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("report.xlsx", b"x", imports.NOT_CSV_MESSAGE),
    ("report.csv", b"x" * (imports.MAX_UPLOAD_BYTES + 1), imports.TOO_BIG_MESSAGE),
    ("report.csv", b"Date,Amount\r\n", "not a Teams attendance report"),
])
def test_bad_files_are_refused_in_words(group, filename, data, message):
    with pytest.raises(ValidationError) as raised:
        imports.propose_import(actor=Actor(group.coach.user), session=group.session, source="teams",
                               filename=filename, data=data)
    assert message in raised.value.message_dict["file"][0]


def test_confirming_saves_attendance_and_approved_otj_entries_with_their_first_revision(group):
    attendance = propose(group)
    entries = imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    assert len(entries) == 2
    minutes = dict(group.session.attendees.values_list("apprenticeship__apprentice__email", "attended_minutes"))
    assert minutes == {"amara.okafor@example.org": 59, "ben.hughes@example.org": 45}
    entry = OffTheJobEntry.objects.get(apprenticeship=group.amara)
    assert (entry.minutes, entry.entry_date) == (59, date(2025, 10, 7))
    assert entry.activity_type == ActivityType.TEAMS_COACHING
    assert (entry.status, entry.source) == (OtjStatus.APPROVED, OtjSource.ATTENDANCE_IMPORT)
    assert (entry.decided_by, entry.created_by) == (group.coach.user, group.coach.user) and entry.decided_at
    assert (entry.session, entry.attendance_import) == (group.session, attendance)
    assert entry.what_learned.startswith("Coaching: person-centred planning")
    revision = OffTheJobRevision.objects.get(entry=entry)
    assert (revision.number, revision.event, revision.snapshot) == (1, "created", entry.snapshot([]))
    attendance.refresh_from_db()
    assert (attendance.status, attendance.confirmed_by) == (ImportStatus.CONFIRMED, group.coach.user)


def test_confirming_twice_is_a_conflict_and_saves_nothing_more(group):
    attendance = propose(group)
    imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    with pytest.raises(imports.ImportConflict):
        imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    assert OffTheJobEntry.objects.count() == 2


def test_a_second_report_for_the_same_session_does_not_count_anyone_twice(group):
    imports.confirm_import(actor=Actor(group.coach.user), attendance=propose(group))
    again = propose(group)
    assert outcomes(again)[11] == imports.ALREADY_RECORDED
    assert imports.proposals(again.report) == []
    with pytest.raises(ValidationError, match="nothing to confirm"):
        imports.confirm_import(actor=Actor(group.coach.user), attendance=again)


def test_a_failure_midway_through_confirming_saves_nothing(group, monkeypatch):
    attendance = propose(group)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(OffTheJobRevision.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    assert not OffTheJobEntry.objects.exists()
    assert not group.session.attendees.filter(attended_minutes__isnull=False).exists()
    attendance.refresh_from_db()
    assert attendance.status == ImportStatus.PROPOSED


def test_confirming_rechecks_what_changed_since_the_report_was_checked(group):
    attendance = propose(group)
    group.session.attendees.filter(apprenticeship=group.ben).update(attended_minutes=30)  # another import won
    with pytest.raises(ValidationError, match="Something changed since this report was checked"):
        imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    assert not OffTheJobEntry.objects.exists()
    assert group.session.attendees.get(apprenticeship=group.amara).attended_minutes is None


def test_after_the_gateway_attendance_is_kept_but_no_otj_entry_is_made(group):
    group.ben.gateway_date = date(2025, 10, 6)
    group.ben.save()
    attendance = propose(group)
    row = next(row for row in attendance.report if row["row"] == 12)
    assert (row["outcome"], row["otj"], row["minutes"]) == (imports.NO_OTJ, False, 45)
    assert "after the gateway date" in row["detail"]
    imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    assert group.session.attendees.get(apprenticeship=group.ben).attended_minutes == 45
    assert list(OffTheJobEntry.objects.values_list("apprenticeship", flat=True)) == [group.amara.pk]


def test_a_review_session_records_attendance_but_never_otj(reference_data):
    group = cohort(kind=SessionKind.REVIEW, activity_type=ActivityType.PROGRESS_REVIEW.value)
    attendance = propose(group)
    assert {row["outcome"] for row in imports.proposals(attendance.report)} == {imports.NO_OTJ}
    assert imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance) == []
    assert not OffTheJobEntry.objects.exists()


def test_a_withdrawn_apprentice_is_not_counted(group):
    group.ben.status = ApprenticeshipStatus.WITHDRAWN
    group.ben.save()
    rows = {row["row"]: row for row in propose(group).report}
    assert rows[12]["outcome"] == imports.LOCKED


def test_discarding_saves_nothing_and_cannot_then_be_confirmed(group):
    attendance = propose(group)
    imports.discard_import(actor=Actor(group.coach.user), attendance=attendance)
    with pytest.raises(imports.ImportConflict, match="already been discarded"):
        imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    assert not OffTheJobEntry.objects.exists()


def test_only_the_sessions_organiser_may_import(group):
    with pytest.raises(NotAllowed):
        propose(group, actor=coach_at().user)  # a coach elsewhere
    with pytest.raises(NotAllowed):
        propose(group, actor=group.amara.apprentice)
    colleague = coach_at(group.provider)  # another coach of the same provider, with an apprentice of their own
    apprenticeship_of(colleague, "someone@example.org", "Some One")
    with pytest.raises(NotAllowed):
        propose(group, actor=colleague.user)
    attendance = propose(group)
    for actor in (group.amara.apprentice, colleague.user):
        with pytest.raises(NotAllowed):
            imports.confirm_import(actor=Actor(actor), attendance=attendance)
        with pytest.raises(NotAllowed):
            imports.discard_import(actor=Actor(actor), attendance=attendance)
    attendance.refresh_from_db()
    assert attendance.status == ImportStatus.PROPOSED and not OffTheJobEntry.objects.exists()
    assert AttendanceImport.objects.count() == 1


def test_an_organiser_who_left_the_provider_may_not_import(group):
    attendance = propose(group)
    group.coach.delete()
    with pytest.raises(NotAllowed):
        imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    with pytest.raises(NotAllowed):
        propose(group)
    assert not OffTheJobEntry.objects.exists()


def test_a_future_or_cancelled_session_has_no_attendance_to_import(group):
    from django.utils import timezone

    group.session.cancelled_at = timezone.now()
    group.session.save()
    with pytest.raises(ValidationError, match="cancelled"):
        propose(group)


def test_under_a_minute_is_attendance_without_an_otj_entry(group):
    data = (b"Name,First Join,Last Leave,In-Meeting Duration,Email\r\n"
            b"Amara Okafor,10/7/25 11:01:00 AM,10/7/25 11:01:40 AM,40s,amara.okafor@example.org\r\n")
    attendance = imports.propose_import(actor=Actor(group.coach.user), session=group.session, source="teams",
                                        filename="short.csv", data=data)
    [row] = attendance.report
    assert (row["outcome"], row["minutes"], row["otj"], row["detail"]) == (
        imports.NO_OTJ, 0, False, imports.UNDER_A_MINUTE_WORDS)


def test_once_attendance_is_recorded_the_sessions_times_and_kind_are_fixed(group):
    from datetime import timedelta

    from carelead.apprenticeships import session_services

    imports.confirm_import(actor=Actor(group.coach.user), attendance=propose(group))
    coach = Actor(group.coach.user)
    with pytest.raises(ValidationError) as raised:
        session_services.update_session(actor=coach, session=group.session,
                                        starts_at=group.session.starts_at + timedelta(days=1),
                                        ends_at=group.session.ends_at + timedelta(days=1))
    assert raised.value.message_dict["starts_at"] == [session_services.ATTENDANCE_RECORDED_MESSAGE]
    with pytest.raises(ValidationError):
        session_services.update_session(actor=coach, session=group.session, kind=SessionKind.REVIEW)
    assert session_services.update_session(actor=coach, session=group.session, title="Renamed").sequence == 1


def test_a_session_changed_after_the_report_was_checked_is_not_confirmed_with_stale_rows(group):
    """The rows were judged against the session as it was: moved to a review (not off-the-job, §4)
    after the check, confirming must not make approved OTJ entries of a review."""
    from carelead.apprenticeships import session_services

    attendance = propose(group)
    assert any(row["otj"] for row in attendance.report)
    session_services.update_session(actor=Actor(group.coach.user), session=group.session, kind=SessionKind.REVIEW)
    with pytest.raises(ValidationError, match="Something changed since this report was checked"):
        imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    assert not OffTheJobEntry.objects.exists()
    assert not group.session.attendees.filter(attended_minutes__isnull=False).exists()


def ben_now_coached_by_a_colleague(group):
    """Ben was invited by Sam, then moved to a colleague's caseload: Sam still organises the session."""
    colleague = coach_at(provider=group.provider)
    Apprenticeship.objects.filter(pk=group.ben.pk).update(coach=colleague.user)
    return colleague


def test_the_organiser_does_not_approve_entries_for_an_apprentice_they_no_longer_coach(group):
    """Only an apprenticeship's own coach approves its OTJ (Party.PROVIDER): the organiser's import
    records everyone's attendance, and the entry for an apprentice coached by a colleague waits in
    that coach's queue. The colleague cannot import it themselves."""
    colleague = ben_now_coached_by_a_colleague(group)
    with pytest.raises(NotAllowed):
        propose(group, actor=colleague.user)
    attendance = propose(group)
    counted = {row["apprenticeship"]: row["detail"] for row in attendance.report if row["otj"]}
    assert "sent to their own coach to approve" in counted[str(group.ben.public_id)]
    assert "sent to their own coach" not in counted[str(group.amara.public_id)]
    with pytest.raises(NotAllowed):
        imports.confirm_import(actor=Actor(colleague.user), attendance=attendance)
    imports.confirm_import(actor=Actor(group.coach.user), attendance=attendance)
    statuses = dict(OffTheJobEntry.objects.values_list("apprenticeship", "status"))
    assert statuses == {group.amara.pk: OtjStatus.APPROVED, group.ben.pk: OtjStatus.SUBMITTED}
    assert OffTheJobEntry.objects.get(apprenticeship=group.ben).decided_by is None
    assert group.session.attendees.get(apprenticeship=group.ben).attended_minutes is not None


def test_the_report_page_says_which_entries_go_to_the_apprentices_own_coach(group, sign_in, client):
    from django.urls import reverse

    colleague = ben_now_coached_by_a_colleague(group)
    attendance = propose(group)
    url = reverse("apprenticeships:attendance-import", args=[group.session.public_id, attendance.public_id])
    page = sign_in(group.coach).get(url)
    assert page.status_code == 200
    assert "Sent to their own coach to approve, " in page.content.decode()
    assert "Approved, " in page.content.decode()
    client.logout()
    assert sign_in(colleague).get(url).status_code == 404  # a colleague does not reach the report
