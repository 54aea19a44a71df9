"""The off-the-job pages: the tab with its figures, chart and entries; logging, changing, deciding
and the coach's queue; the evidence download. Per role: out of reach is a 404, the wrong party a 403."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships.models import OffTheJobEntry, OtjStatus
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, employer_contact_of,
)
from carelead.apprenticeships.tests.factories_otj import a_ksb, media, upload  # noqa: F401
from carelead.core.models import AuditEvent
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(name, record):
    return reverse(f"apprenticeships:{name}", args=[record.public_id])


def entry_post(**changes):
    return {"entry_date_0": "7", "entry_date_1": "10", "entry_date_2": "2025", "hours": "1", "minutes": "30",
            "activity_type": "self_study", "what_learned": "Read the Care Act guidance on eligibility", **changes}


def test_the_tab_shows_figures_chart_and_entries_in_words(client, sign_in, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    ksb = a_ksb(apprenticeship)
    entry = OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, 7), minutes=90,
                                  status=OtjStatus.APPROVED, evidence="otj/x/notes.pdf")
    entry.ksbs.add(ksb)
    sign_in(apprenticeship.apprentice)
    html = client.get(url("otj-list", apprenticeship)).content.decode()
    for text in ("Minimum required", "Planned", "Actual (approved)", "Waiting for approval", "Expected by today",
                 "Forecast at the end", "1.5 hours", 'role="img"', "Sep 2025", "7 Oct 2025", "1 h 30 min",
                 "Self-study or assignment", ksb.code, "nhsuk-tag--green", url("otj-evidence", entry),
                 "Log off-the-job hours", 'aria-current="page">Off-the-job hours'):
        assert text in html, text
    assert "No off-the-job training in" in html  # months since with nothing logged, in one sentence
    assert AuditEvent.objects.filter(action="view", details__tab="otj").exists()


def test_the_status_filter_narrows_the_list(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, 7), status=OtjStatus.APPROVED)
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, 8))
    sign_in(apprenticeship.coach)
    html = client.get(url("otj-list", apprenticeship), {"status": "submitted"}).content.decode()
    assert "8 Oct 2025" in html and "7 Oct 2025" not in html


def test_the_tab_costs_the_same_queries_for_1_or_10_entries(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    OffTheJobEntryFactory(apprenticeship=apprenticeship).ksbs.add(a_ksb(apprenticeship))
    sign_in(apprenticeship.coach)
    client.get(url("otj-list", apprenticeship))
    with CaptureQueriesContext(connection) as one:
        client.get(url("otj-list", apprenticeship))
    for day in range(2, 11):
        entry = OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, day),
                                      status=OtjStatus.APPROVED)
        entry.ksbs.add(a_ksb(apprenticeship), a_ksb(apprenticeship, "skill"))
    with CaptureQueriesContext(connection) as ten:
        html = client.get(url("otj-list", apprenticeship)).content.decode()
    assert len(ten) == len(one) and html.count('role="row" class="nhsuk-table__row"') == 10


@pytest.mark.parametrize("name", ["otj-list", "otj-new"])
def test_a_coach_of_another_apprentice_gets_404(client, sign_in, reference_data, name):
    apprenticeship = ApprenticeshipFactory()
    sign_in(ApprenticeshipFactory().coach)
    assert client.get(url(name, apprenticeship)).status_code == 404


@pytest.mark.parametrize("name", ["otj-entry", "otj-edit", "otj-evidence"])
def test_a_coach_of_another_apprentice_gets_404_for_an_entry(client, sign_in, reference_data, name):
    entry = OffTheJobEntryFactory(evidence="otj/x/notes.pdf")
    sign_in(ApprenticeshipFactory().coach)
    assert client.get(url(name, entry)).status_code == 404
    assert client.post(url("otj-decide", entry), {"decision": "approve", "seen_version": 1}).status_code == 404
    assert OffTheJobEntry.objects.get().status == OtjStatus.SUBMITTED


def test_an_employer_contact_reads_but_cannot_decide_or_log(client, sign_in, reference_data):
    entry = OffTheJobEntryFactory()
    sign_in(employer_contact_of(entry.apprenticeship))
    assert client.get(url("otj-list", entry.apprenticeship)).status_code == 200
    html = client.get(url("otj-entry", entry)).content.decode()
    assert "Your decision" not in html and "Change this entry" not in html
    assert client.post(url("otj-decide", entry), {"decision": "approve", "seen_version": 1}).status_code == 403
    assert client.get(url("otj-new", entry.apprenticeship)).status_code == 403
    assert OffTheJobEntry.objects.get().status == OtjStatus.SUBMITTED


def test_the_apprentice_logs_an_entry_as_hours_and_minutes(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    ksb = a_ksb(apprenticeship)
    sign_in(apprenticeship.apprentice)
    response = client.post(url("otj-new", apprenticeship), entry_post(ksbs=[ksb.pk]))
    entry = OffTheJobEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == url("otj-entry", entry)
    assert (entry.minutes, entry.entry_date, list(entry.ksbs.all())) == (90, date(2025, 10, 7), [ksb])
    html = client.get(response["Location"]).content.decode()
    assert "Waiting for the coach" in html and "Logged" in html and "History" in html


def test_bad_input_is_shown_beside_each_field_with_a_summary(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    html = client.post(url("otj-new", apprenticeship),
                       entry_post(hours="0", minutes="0", what_learned="")).content.decode()
    assert "There is a problem" in html
    for text in ("Enter the time spent", "Enter what you learned"):
        assert html.count(text) == 2, text  # in the summary and beside the field
    html = client.post(url("otj-new", apprenticeship), entry_post(entry_date_2="2099")).content.decode()
    assert html.count("cannot be logged for a future date") == 2 and 'href="#id_entry_date_0"' in html
    assert not OffTheJobEntry.objects.exists()


def test_an_evidence_file_of_the_wrong_type_is_refused_beside_the_field(client, sign_in, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    html = client.post(url("otj-new", apprenticeship),
                       {**entry_post(), "evidence": upload("notes.exe", b"MZ")}).content.decode()
    assert 'id="id_evidence-error"' in html and "must be a PDF" in html and not OffTheJobEntry.objects.exists()


def test_a_stale_edit_says_so_and_keeps_what_was_typed(client, sign_in, reference_data):
    entry = OffTheJobEntryFactory(entry_date=date(2025, 10, 7))
    sign_in(entry.apprenticeship.apprentice)
    assert client.get(url("otj-edit", entry)).status_code == 200
    OffTheJobEntry.objects.filter(pk=entry.pk).update(version=2)
    html = client.post(url("otj-edit", entry),
                       entry_post(seen_version="1", what_learned="My new words")).content.decode()
    assert "Someone else changed this record" in html and "My new words" in html and 'value="2"' in html
    assert OffTheJobEntry.objects.get().what_learned != "My new words"


def test_the_coach_approves_from_the_entry_page_and_it_is_locked(client, sign_in, reference_data):
    entry = OffTheJobEntryFactory()
    sign_in(entry.apprenticeship.coach)
    response = client.post(url("otj-decide", entry), {"decision": "approve", "seen_version": "1"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == OtjStatus.APPROVED
    sign_in(entry.apprenticeship.apprentice)
    assert "Change this entry" not in client.get(url("otj-entry", entry)).content.decode()
    assert client.get(url("otj-edit", entry)).status_code == 302


def test_returning_without_a_comment_is_refused_beside_it(client, sign_in, reference_data):
    entry = OffTheJobEntryFactory()
    sign_in(entry.apprenticeship.coach)
    html = client.post(url("otj-decide", entry), {"decision": "return", "seen_version": "1"}).content.decode()
    assert "There is a problem" in html and 'id="id_comment-error"' in html
    assert OffTheJobEntry.objects.get().status == OtjStatus.SUBMITTED


def test_evidence_streams_to_those_who_may_see_it_audited_as_an_export(client, sign_in, reference_data, media):
    entry = OffTheJobEntryFactory()
    entry.evidence.save("notes.pdf", upload(), save=True)
    for who in (entry.apprenticeship.apprentice, entry.apprenticeship.coach, employer_contact_of(entry.apprenticeship)):
        sign_in(who)
        response = client.get(url("otj-evidence", entry))
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        assert 'attachment; filename="notes.pdf"' in response["Content-Disposition"]
        assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="export").count() == 3
    sign_in(MembershipFactory())
    assert client.get(url("otj-evidence", entry)).status_code == 404


def test_no_evidence_file_is_a_404(client, sign_in, reference_data):
    entry = OffTheJobEntryFactory()
    sign_in(entry.apprenticeship.apprentice)
    assert client.get(url("otj-evidence", entry)).status_code == 404


# --- The coach's queue ---


def caseload(size):
    first = ApprenticeshipFactory()
    entries = [OffTheJobEntryFactory(apprenticeship=first)]
    for _ in range(size - 1):
        other = ApprenticeshipFactory(coach=first.coach, provider=first.provider, memberships=False)
        MembershipFactory(user=other.apprentice, organisation=other.employer)
        entries.append(OffTheJobEntryFactory(apprenticeship=other))
        entries[-1].ksbs.add(a_ksb(other))
    return first.coach, entries


def test_the_queue_lists_only_the_coachs_waiting_entries_in_constant_queries(client, sign_in, reference_data):
    coach, entries = caseload(1)
    OffTheJobEntryFactory()  # another coach's
    OffTheJobEntryFactory(apprenticeship=entries[0].apprenticeship, status=OtjStatus.APPROVED)
    queue = reverse("apprenticeships:otj-queue")
    sign_in(coach)
    client.get(queue)
    with CaptureQueriesContext(connection) as one:
        html = client.get(queue).content.decode()
    assert html.count('name="entries"') == 1
    for _ in range(9):
        other = ApprenticeshipFactory(coach=coach, provider=entries[0].apprenticeship.provider, memberships=False)
        OffTheJobEntryFactory(apprenticeship=other).ksbs.add(a_ksb(other))
    with CaptureQueriesContext(connection) as ten:
        html = client.get(queue).content.decode()
    assert len(ten) == len(one) and html.count('name="entries"') == 10


def test_the_coach_approves_several_at_once(client, sign_in, reference_data):
    coach, entries = caseload(3)
    sign_in(coach)
    response = client.post(reverse("apprenticeships:otj-queue"),
                           {"entries": [str(e.public_id) for e in entries[:2]], "decision": "approve"})
    assert response.status_code == 302
    assert OffTheJobEntry.objects.filter(status=OtjStatus.APPROVED).count() == 2


def test_the_queue_refuses_an_empty_choice_and_a_return_without_comment(client, sign_in, reference_data):
    coach, entries = caseload(1)
    sign_in(coach)
    html = client.post(reverse("apprenticeships:otj-queue"), {"decision": "return"}).content.decode()
    assert "Select at least one entry" in html
    html = client.post(reverse("apprenticeships:otj-queue"),
                       {"entries": [str(entries[0].public_id)], "decision": "return"}).content.decode()
    assert "Enter why you are returning" in html and OffTheJobEntry.objects.get().status == OtjStatus.SUBMITTED


def test_the_queue_is_for_coaches(client, sign_in, reference_data):
    sign_in(ApprenticeshipFactory().apprentice)
    assert client.get(reverse("apprenticeships:otj-queue")).status_code == 403


def test_a_returned_entry_changed_on_its_page_goes_back_to_the_coach_and_its_history_shows(client, sign_in,
                                                                                          reference_data):
    entry = OffTheJobEntryFactory(entry_date=date(2025, 10, 7))
    sign_in(entry.apprenticeship.coach)
    client.post(url("otj-decide", entry),
                {"decision": "return", "seen_version": "1", "comment": "Say what you learned"})
    sign_in(entry.apprenticeship.apprentice)
    html = client.get(url("otj-edit", entry)).content.decode()
    assert "Your coach returned this entry: Say what you learned" in html
    response = client.post(url("otj-edit", entry), entry_post(seen_version="2", minutes="45"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.minutes) == (OtjStatus.SUBMITTED, 105)
    html = client.get(url("otj-entry", entry)).content.decode()
    assert "Changed: time, what was learned." in html and "Comment: Say what you learned" in html
    assert html.index("<strong>Changed</strong>") < html.index("<strong>Returned</strong>")  # newest first


def test_a_completed_apprenticeship_takes_no_new_entries(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory(status="completed")
    sign_in(apprenticeship.apprentice)
    assert "Log off-the-job hours</a>" not in client.get(url("otj-list", apprenticeship)).content.decode()
    response = client.post(url("otj-new", apprenticeship), entry_post())
    assert response.status_code == 302 and not OffTheJobEntry.objects.exists()


def test_flags_read_as_one_sentence_each():
    from carelead.apprenticeships.otj_views import flag_lines
    from carelead.apprenticeships.rules import otj_flags

    flags = otj_flags(required=100, forecast=50, start=date(2025, 1, 6), today=date(2025, 4, 1),
                      gateway_date=None, weekly_hours=30,
                      minutes_by_day=[(date(2025, 1, 7), 400), (date(2025, 3, 3), 361), (date(2025, 3, 4), 60)])
    assert flag_lines(flags) == [
        "Forecast 50.0 h is below the 100.0 h required.",
        "No off-the-job training in February 2025: some is needed every calendar month until gateway.",
        "More off-the-job time than the day's contracted hours on 7 Jan 2025 and 3 Mar 2025.",
    ]
