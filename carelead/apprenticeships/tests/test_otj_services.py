"""Off-the-job entries written through otj_services: who may, the §4 date and minutes rules, a
revision for every change, the coach's decisions (one, and several at once, atomically) and the
evidence file's limits."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.apprenticeships import otj_services as services
from carelead.apprenticeships.models import (
    ApprenticeshipStatus, OffTheJobEntry, OffTheJobRevision, OtjEvent, OtjStatus,
)
from carelead.apprenticeships.otj import ENTRY_AFTER_GATEWAY, ENTRY_BEFORE_START, ENTRY_IN_FUTURE, ENTRY_MINUTES_RANGE
from carelead.apprenticeships.rules import ActivityType
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, OffTheJobEntryFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_otj import PNG, a_ksb, media, plan_with, upload  # noqa: F401
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = date(2025, 10, 20)


def as_(user) -> Actor:
    return Actor(user=user)


def log(apprenticeship, user=None, **changes):
    fields = {"entry_date": date(2025, 10, 7), "minutes": 90, "activity_type": ActivityType.SELF_STUDY.value,
              "what_learned": "Care Act eligibility criteria", "today": TODAY, **changes}
    return services.log_off_the_job_hours(actor=as_(user or apprenticeship.apprentice), apprenticeship=apprenticeship,
                                          **fields)


# --- Who may ---


def test_the_apprentice_logs_hours_with_ksbs_waiting_for_the_coach(reference_data):
    apprenticeship = ApprenticeshipFactory()
    ksb = a_ksb(apprenticeship)
    entry = log(apprenticeship, ksbs=[ksb])
    assert entry.status == OtjStatus.SUBMITTED and entry.created_by == apprenticeship.apprentice
    assert list(entry.ksbs.all()) == [ksb]
    revision = entry.revisions.get()
    assert (revision.number, revision.event) == (1, OtjEvent.CREATED)
    assert revision.snapshot["ksbs"] == [ksb.code] and revision.snapshot["minutes"] == 90
    event = AuditEvent.objects.get(action="create")
    assert event.person is None and event.subject.endswith(str(entry.public_id))


@pytest.mark.parametrize("who", ["coach", "employer"])
def test_nobody_but_the_apprentice_logs_their_hours(reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = apprenticeship.coach if who == "coach" else employer_contact_of(apprenticeship).user
    with pytest.raises(PermissionDenied):
        log(apprenticeship, user)
    assert not OffTheJobEntry.objects.exists() and not AuditEvent.objects.exists()


def test_the_apprentice_cannot_approve_their_own_entry(reference_data):
    entry = OffTheJobEntryFactory()
    with pytest.raises(PermissionDenied):
        services.decide_off_the_job_entry(actor=as_(entry.apprenticeship.apprentice), entry=entry, decision="approve")
    entry.refresh_from_db()
    assert entry.status == OtjStatus.SUBMITTED and not entry.revisions.exists()


def test_an_employer_contact_cannot_approve(reference_data):
    entry = OffTheJobEntryFactory()
    contact = employer_contact_of(entry.apprenticeship).user
    with pytest.raises(PermissionDenied):
        services.decide_off_the_job_entry(actor=as_(contact), entry=entry, decision="approve")


def test_another_coach_cannot_approve(reference_data):
    entry = OffTheJobEntryFactory()
    with pytest.raises(PermissionDenied):
        services.decide_off_the_job_entry(actor=as_(ApprenticeshipFactory().coach), entry=entry, decision="approve")


def test_a_withdrawn_apprenticeship_takes_no_new_hours(reference_data):
    apprenticeship = ApprenticeshipFactory(status=ApprenticeshipStatus.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn"):
        log(apprenticeship)


# --- §4 rules: dates and minutes ---


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"entry_date": date(2025, 10, 21)}, "entry_date", ENTRY_IN_FUTURE),
    ({"entry_date": date(2025, 8, 31)}, "entry_date", ENTRY_BEFORE_START),
    ({"minutes": 0}, "minutes", ENTRY_MINUTES_RANGE),
    ({"minutes": 1441}, "minutes", ENTRY_MINUTES_RANGE),
    ({"activity_type": ActivityType.PROGRESS_REVIEW.value}, "activity_type", services.ACTIVITY_MESSAGE),
    ({"activity_type": ActivityType.MENTORING.value}, "activity_type", services.ACTIVITY_MESSAGE),  # not in a plan
    ({"what_learned": "  "}, "what_learned", services.WHAT_LEARNED_MESSAGE),
])
def test_each_rule_is_refused_beside_its_field(reference_data, changes, field, message):
    apprenticeship = ApprenticeshipFactory()
    with pytest.raises(ValidationError) as refused:
        log(apprenticeship, **changes)
    assert refused.value.message_dict[field] == [message]
    assert not OffTheJobEntry.objects.exists()


@pytest.mark.parametrize(("entry_date", "minutes"), [(TODAY, 1), (date(2025, 9, 1), 1440)])
def test_today_the_start_day_and_1_to_1440_minutes_are_allowed(reference_data, entry_date, minutes):
    assert log(ApprenticeshipFactory(), entry_date=entry_date, minutes=minutes).pk


def test_nothing_after_gateway_but_the_gateway_day_itself(reference_data):
    apprenticeship = ApprenticeshipFactory(gateway_date=date(2025, 10, 10))
    assert log(apprenticeship, entry_date=date(2025, 10, 10)).pk
    with pytest.raises(ValidationError) as refused:
        log(apprenticeship, entry_date=date(2025, 10, 11))
    assert refused.value.message_dict["entry_date"] == [ENTRY_AFTER_GATEWAY]


def test_mentoring_counts_once_the_training_plan_agrees_it(reference_data):
    apprenticeship = ApprenticeshipFactory()
    plan_with(apprenticeship, {"activity_type": ActivityType.MENTORING.value, "counts_as_otj": True})
    assert log(apprenticeship, activity_type=ActivityType.MENTORING.value).pk


def test_mentoring_in_a_plan_not_yet_signed_by_all_three_is_not_agreed(reference_data):
    """§4: mentoring and shadowing count only if agreed in the training plan; a draft the coach wrote
    alone, or one the employer has not signed, is not agreed."""
    apprenticeship = ApprenticeshipFactory()
    plan_with(apprenticeship, {"activity_type": ActivityType.MENTORING.value, "counts_as_otj": True}, signed=False)
    with pytest.raises(ValidationError) as refused:
        log(apprenticeship, activity_type=ActivityType.MENTORING.value)
    assert refused.value.message_dict["activity_type"] == [services.ACTIVITY_MESSAGE]


def test_a_ksb_of_another_version_is_refused(reference_data):
    apprenticeship = ApprenticeshipFactory()
    other = ApprenticeshipFactory(standard_version=apprenticeship.standard_version.standard.versions.get(version="1.0"))
    with pytest.raises(ValidationError) as refused:
        log(apprenticeship, ksbs=[a_ksb(other)])
    assert refused.value.message_dict["ksbs"] == [services.KSB_MESSAGE]


# --- Edits, revisions, decisions ---


def test_every_change_is_a_revision_and_a_returned_entry_edited_is_resubmitted(reference_data):
    apprenticeship = ApprenticeshipFactory()
    entry = log(apprenticeship)
    coach, apprentice = as_(apprenticeship.coach), as_(apprenticeship.apprentice)
    services.decide_off_the_job_entry(actor=coach, entry=entry, decision="return", comment="Add what you will change")
    assert entry.status == OtjStatus.RETURNED and entry.version == 2
    services.edit_off_the_job_entry(actor=apprentice, entry=entry, seen_version=2, entry_date=date(2025, 10, 7),
                                    minutes=120, activity_type=ActivityType.SELF_STUDY.value,
                                    what_learned="Eligibility, and I will use it in reviews", ksbs=[], today=TODAY)
    entry.refresh_from_db()
    assert (entry.status, entry.minutes, entry.version, entry.decision_comment) == (OtjStatus.SUBMITTED, 120, 3, "")
    services.decide_off_the_job_entry(actor=coach, entry=entry, decision="approve")
    revisions = list(entry.revisions.order_by("number"))
    assert [(r.number, r.event, r.snapshot["status"]) for r in revisions] == [
        (1, OtjEvent.CREATED, "submitted"), (2, OtjEvent.RETURNED, "returned"),
        (3, OtjEvent.EDITED, "submitted"), (4, OtjEvent.APPROVED, "approved")]
    assert revisions[1].comment == "Add what you will change" and revisions[0].snapshot["minutes"] == 90
    update = AuditEvent.objects.filter(action="update").order_by("pk")[1]
    assert update.details["fields"] == ["decision_comment", "minutes", "status", "what_learned"]
    assert update.details["resubmitted"]


def test_an_approved_entry_is_locked_for_the_apprentice(reference_data):
    entry = OffTheJobEntryFactory(status=OtjStatus.APPROVED)
    with pytest.raises(ValidationError, match="locked"):
        services.edit_off_the_job_entry(actor=as_(entry.apprenticeship.apprentice), entry=entry, seen_version=1,
                                        entry_date=entry.entry_date, minutes=30, activity_type=entry.activity_type,
                                        what_learned="x", today=TODAY)


def test_a_stale_edit_is_refused_and_nothing_changes(reference_data):
    entry = OffTheJobEntryFactory()
    OffTheJobEntry.objects.filter(pk=entry.pk).update(version=2)  # someone saved since
    with pytest.raises(StaleEdit):
        services.edit_off_the_job_entry(actor=as_(entry.apprenticeship.apprentice), entry=entry, seen_version=1,
                                        entry_date=entry.entry_date, minutes=30, activity_type=entry.activity_type,
                                        what_learned="x", today=TODAY)
    entry.refresh_from_db()
    assert entry.minutes == 90 and not entry.revisions.exists()


def test_returning_needs_a_comment(reference_data):
    entry = OffTheJobEntryFactory()
    with pytest.raises(ValidationError) as refused:
        services.decide_off_the_job_entry(actor=as_(entry.apprenticeship.coach), entry=entry, decision="return")
    assert refused.value.message_dict["comment"] == [services.RETURN_COMMENT_MESSAGE]


def test_an_approved_entry_can_be_returned_only_before_gateway(reference_data):
    apprenticeship = ApprenticeshipFactory(gateway_date=date(2026, 3, 1))
    entry = OffTheJobEntryFactory(apprenticeship=apprenticeship, status=OtjStatus.APPROVED)
    coach = as_(apprenticeship.coach)
    with pytest.raises(ValidationError) as refused:
        services.decide_off_the_job_entry(actor=coach, entry=entry, decision="return", comment="Wrong date",
                                          today=date(2026, 3, 1))
    assert refused.value.message_dict["decision"] == [services.AFTER_GATEWAY_MESSAGE]
    services.decide_off_the_job_entry(actor=coach, entry=entry, decision="return", comment="Wrong date",
                                      today=date(2026, 2, 28))
    assert entry.status == OtjStatus.RETURNED


def test_an_approved_entry_cannot_be_approved_again(reference_data):
    entry = OffTheJobEntryFactory(status=OtjStatus.APPROVED)
    with pytest.raises(ValidationError) as refused:
        services.decide_off_the_job_entry(actor=as_(entry.apprenticeship.coach), entry=entry, decision="approve")
    assert refused.value.message_dict["decision"] == [services.NOT_WAITING_MESSAGE]


def _caseload(size):
    first = ApprenticeshipFactory()
    apprenticeships = [first] + [ApprenticeshipFactory(coach=first.coach, provider=first.provider, memberships=False)
                                 for _ in range(size - 1)]
    for apprenticeship in apprenticeships[1:]:
        from carelead.organisations.tests.factories import MembershipFactory
        MembershipFactory(user=apprenticeship.apprentice, organisation=apprenticeship.employer)
    return first.coach, [OffTheJobEntryFactory(apprenticeship=a) for a in apprenticeships]


def test_bulk_approval_saves_all_with_a_revision_each_in_constant_queries(reference_data):
    coach, entries = _caseload(2)
    with CaptureQueriesContext(connection) as two:
        services.decide_off_the_job_entries(actor=as_(coach), entry_ids=[e.public_id for e in entries],
                                            decision="approve")
    coach, more = _caseload(10)
    with CaptureQueriesContext(connection) as ten:
        decided = services.decide_off_the_job_entries(actor=as_(coach), entry_ids=[e.public_id for e in more],
                                                      decision="approve")
    assert len(decided) == 10 and len(ten) == len(two)
    assert OffTheJobEntry.objects.filter(status=OtjStatus.APPROVED).count() == 12
    assert OffTheJobRevision.objects.filter(event=OtjEvent.APPROVED, number=2).count() == 12


def test_bulk_approval_is_all_or_nothing(reference_data):
    coach, entries = _caseload(3)
    elsewhere = OffTheJobEntryFactory()  # another coach's apprentice
    with pytest.raises(ValidationError):
        services.decide_off_the_job_entries(actor=as_(coach), entry_ids=[*(e.public_id for e in entries),
                                                                         elsewhere.public_id], decision="approve")
    assert not OffTheJobEntry.objects.filter(status=OtjStatus.APPROVED).exists()
    assert not OffTheJobRevision.objects.exists()


def test_bulk_approval_rolls_back_when_the_revisions_fail(reference_data):
    coach, entries = _caseload(3)
    with mock.patch.object(OffTheJobRevision.objects, "bulk_create", side_effect=RuntimeError("disk full")), \
            pytest.raises(RuntimeError):
        services.decide_off_the_job_entries(actor=as_(coach), entry_ids=[e.public_id for e in entries],
                                            decision="approve")
    assert not OffTheJobEntry.objects.filter(status=OtjStatus.APPROVED).exists()


def test_bulk_return_needs_a_comment(reference_data):
    coach, entries = _caseload(1)
    with pytest.raises(ValidationError) as refused:
        services.decide_off_the_job_entries(actor=as_(coach), entry_ids=[entries[0].public_id], decision="return")
    assert refused.value.message_dict["comment"] == [services.RETURN_COMMENT_MESSAGE]


# --- Evidence ---


def test_evidence_is_stored_under_the_entry_and_kept_when_replaced(reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    entry = log(apprenticeship, evidence=upload())
    assert entry.evidence.name == f"otj/{entry.public_id}/notes.pdf"
    assert (media / entry.evidence.name).read_bytes().startswith(b"%PDF")
    services.edit_off_the_job_entry(actor=as_(apprenticeship.apprentice), entry=entry, seen_version=1,
                                    entry_date=entry.entry_date, minutes=90, activity_type=entry.activity_type,
                                    what_learned=entry.what_learned, evidence=upload("photo.png", PNG, "image/png"),
                                    today=TODAY)
    entry.refresh_from_db()
    assert entry.evidence.name.endswith("photo.png")
    assert (media / f"otj/{entry.public_id}/notes.pdf").exists()  # the first file stays with its revision
    assert [r.snapshot["evidence"].rsplit("/", 1)[-1] for r in entry.revisions.order_by("number")] == [
        "notes.pdf", "photo.png"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.exe", b"MZ", services.EVIDENCE_TYPE_MESSAGE),
    ("notes.pdf", b"<html>", services.EVIDENCE_CONTENT_MESSAGE.format(kind="PDF")),
    ("notes.pdf", b"%PDF-" + b"0" * services.EVIDENCE_MAX_BYTES, services.EVIDENCE_SIZE_MESSAGE),
])
def test_evidence_must_be_a_real_pdf_docx_jpg_or_png_of_10_mb_at_most(reference_data, media, name, content, message):
    with pytest.raises(ValidationError) as refused:
        log(ApprenticeshipFactory(), evidence=upload(name, content))
    assert refused.value.message_dict["evidence"] == [message]
    assert not OffTheJobEntry.objects.exists() and not any(media.rglob("*.*"))


def test_exactly_10_mb_is_accepted(reference_data, media):
    content = b"%PDF-" + b"0" * (services.EVIDENCE_MAX_BYTES - 5)
    entry = log(ApprenticeshipFactory(), evidence=upload("big.pdf", content))
    assert entry.evidence.size == services.EVIDENCE_MAX_BYTES
