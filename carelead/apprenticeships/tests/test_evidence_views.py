"""The portfolio pages: the tab with counts, filters and links; adding (choose the kind, then its form),
changing, sending, assessing, mapping and unlocking; every kind on the detail page; the download; the
coach's queue. Per role: out of reach is a 404, the wrong party a 403, and nothing is written."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships import evidence_views
from carelead.apprenticeships.models import (
    ApprenticeshipStatus, EvidenceEvent, EvidenceKind, EvidenceMapping, EvidenceStatus, MappingStage,
    PortfolioEvidence,
)
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_otj import PDF, media, upload  # noqa: F401
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory, ksbs_of, mapped, units_of
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(name, record, *more):
    return reverse(f"apprenticeships:{name}", args=[record.public_id, *more])


def reflection_post(apprenticeship, **changes):
    return {"title": "Leading a handover", "occurred_on_0": "2", "occurred_on_1": "3", "occurred_on_2": "2026",
            "reflection_model": "free", "body": "What happened and what I learned",
            "ksbs": [ksb.pk for ksb in ksbs_of(apprenticeship, 2)], **changes}


def submitted(**fields):
    evidence = PortfolioEvidenceFactory(status=EvidenceStatus.SUBMITTED, submitted_at=timezone.now(), **fields)
    return mapped(evidence, *ksbs_of(evidence.apprenticeship, 1))


def locked(evidence):
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(
        status=EvidenceStatus.ACCEPTED, locked_at=timezone.now(), assessed_by=evidence.apprenticeship.coach,
        assessed_at=timezone.now())
    evidence.refresh_from_db()
    return evidence


# --- The portfolio tab ---


def test_the_tab_lists_items_with_counts_filters_and_links(client, sign_in, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    ksb = ksbs_of(apprenticeship, 1)[0]
    reflection = PortfolioEvidenceFactory(apprenticeship=apprenticeship, title="A reflection",
                                          occurred_on=date(2026, 11, 22))
    mapped(reflection, ksb)
    PortfolioEvidenceFactory(apprenticeship=apprenticeship, title="A waiting one", status=EvidenceStatus.SUBMITTED)
    monkeypatch.setattr(evidence_views, "optional_url", lambda name, *args: f"/{name.split(':')[1]}/")
    sign_in(apprenticeship.apprentice)
    html = client.get(url("evidence-list", apprenticeship)).content.decode()
    for text in ("A reflection", "22 Nov 2026", ksb.code, "Reflective account", "nhsuk-tag--grey",
                 'aria-current="page">Portfolio', "Add evidence", 'href="/evidence-practice/"',
                 "Attach a practice record", 'href="/evidence-witness-new/"', "Ask a colleague for a witness testimony",
                 "Waiting for the coach</dt>"):
        assert text in html, text
    html = client.get(url("evidence-list", apprenticeship), {"status": "submitted"}).content.decode()
    assert "A waiting one" in html and "A reflection" not in html
    html = client.get(url("evidence-list", apprenticeship), {"kind": "file"}).content.decode()
    assert "No evidence matches these filters" in html
    assert AuditEvent.objects.filter(action="view", details__tab="portfolio").exists()
    assert AuditEvent.objects.filter(action="list", subject__startswith="apprenticeships.PortfolioEvidence").exists()


def test_the_links_to_other_parts_appear_only_when_their_pages_exist(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    html = client.get(url("evidence-list", apprenticeship)).content.decode()
    for name, text in (("evidence-practice", "Attach a practice record"),
                       ("evidence-witness-new", "Ask a colleague for a witness testimony")):
        assert (text in html) == bool(evidence_views.optional_url(f"apprenticeships:{name}", apprenticeship.public_id))
    assert evidence_views.optional_url("apprenticeships:no-such-page") == ""


@pytest.mark.parametrize("rows", [3, 30])
def test_the_tab_costs_the_same_queries_for_3_or_30_items(client, sign_in, reference_data, rows,
                                                          django_assert_max_num_queries):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.coach)
    ksbs, units = ksbs_of(apprenticeship, 2), units_of(apprenticeship, 1)
    mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship), *ksbs, *units)
    client.get(url("evidence-list", apprenticeship))
    with CaptureQueriesContext(connection) as one:
        client.get(url("evidence-list", apprenticeship))
    for _ in range(rows - 1):
        mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship), *ksbs, *units)
    with django_assert_max_num_queries(len(one)):
        html = client.get(url("evidence-list", apprenticeship)).content.decode()
    assert html.count('role="row" class="nhsuk-table__row"') == min(rows, 25)


@pytest.mark.parametrize("name", ["evidence-list", "evidence-new"])
def test_a_coach_of_another_apprentice_or_unrelated_staff_get_404(client, sign_in, reference_data, name):
    apprenticeship = ApprenticeshipFactory()
    for who in (ApprenticeshipFactory().coach, MembershipFactory(role=Role.REGISTERED_MANAGER).user):
        client.logout()
        sign_in(who)
        assert client.get(url(name, apprenticeship)).status_code == 404


@pytest.mark.parametrize("name", ["evidence-detail", "evidence-edit", "evidence-assess", "evidence-unlock",
                                  "evidence-download"])
def test_an_item_out_of_reach_is_404(client, sign_in, reference_data, name):
    evidence = submitted(file="portfolio/x/notes.pdf")
    sign_in(ApprenticeshipFactory().coach)
    assert client.get(url(name, evidence)).status_code == 404
    for post in ("evidence-submit", "evidence-assess", "evidence-unlock", "evidence-mapping-add"):
        assert client.post(url(post, evidence), {"seen_version": 1, "decision": "accepted",
                                                 "reason": "x"}).status_code == 404
    assert PortfolioEvidence.objects.get().status == EvidenceStatus.SUBMITTED


def test_an_employer_contact_reads_but_every_write_is_403(client, sign_in, reference_data):
    evidence = submitted()
    sign_in(employer_contact_of(evidence.apprenticeship).user)
    assert client.get(url("evidence-list", evidence.apprenticeship)).status_code == 200
    html = client.get(url("evidence-detail", evidence)).content.decode()
    assert evidence.title in html and "Assess this evidence" not in html and "Change this evidence" not in html
    assert client.get(url("evidence-new", evidence.apprenticeship)).status_code == 403
    assert client.post(url("evidence-new", evidence.apprenticeship) + "?kind=reflective_account",
                       reflection_post(evidence.apprenticeship)).status_code == 403
    mapping = evidence.mappings.get()
    for name, args in (("evidence-edit", ()), ("evidence-submit", ()), ("evidence-assess", ()),
                       ("evidence-mapping-add", ()), ("evidence-mapping-remove", (mapping.pk,)),
                       ("evidence-unlock", ())):
        response = client.post(url(name, evidence, *args), {"seen_version": 1, "decision": "accepted",
                                                            "reason": "x", "title": "x"})
        assert response.status_code == 403, name
    assert PortfolioEvidence.objects.count() == 1 and not EvidenceEvent.objects.exists()
    assert PortfolioEvidence.objects.get().status == EvidenceStatus.SUBMITTED


# --- Adding and changing ---


def test_the_apprentice_chooses_a_kind_then_writes_a_reflection(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    html = client.get(url("evidence-new", apprenticeship)).content.decode()
    assert "Uploaded file" in html and "Reflective account" in html and "Observation of practice" not in html
    html = client.get(url("evidence-new", apprenticeship), {"kind": "observation"}).content.decode()
    assert "Select a kind of evidence from the list" in html and "There is a problem" in html
    html = client.get(url("evidence-new", apprenticeship), {"kind": "reflective_account"}).content.decode()
    for text in ("Gibbs&#x27; reflective cycle", "Description", "Feelings", "Evaluation", "Analysis", "Conclusion",
                 "Action plan", "Knowledge, skills and behaviours", "Diploma units"):
        assert text in html, text
    response = client.post(url("evidence-new", apprenticeship) + "?kind=reflective_account",
                           reflection_post(apprenticeship))
    evidence = PortfolioEvidence.objects.get()
    assert response.status_code == 302 and response["Location"] == url("evidence-detail", evidence)
    assert evidence.status == EvidenceStatus.DRAFT and evidence.mappings.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "Send to your coach" in html and "2 Mar 2026" in html and "History" in html


def test_a_gibbs_reflection_from_the_page(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    stages = {f"gibbs_{key}": f"Stage {key}" for key in ("description", "feelings", "evaluation", "analysis",
                                                         "conclusion", "action_plan")}
    client.post(url("evidence-new", apprenticeship) + "?kind=reflective_account",
                reflection_post(apprenticeship, reflection_model="gibbs", body="", **stages))
    evidence = PortfolioEvidence.objects.get()
    assert evidence.reflection_model == "gibbs" and evidence.reflection["action_plan"] == "Stage action_plan"
    html = client.get(url("evidence-detail", evidence)).content.decode()
    assert "Action plan" in html and "Stage feelings" in html


def test_bad_input_is_shown_beside_each_field_with_a_summary(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    html = client.post(url("evidence-new", apprenticeship) + "?kind=reflective_account",
                       reflection_post(apprenticeship, title="", occurred_on_1="13")).content.decode()
    assert "There is a problem" in html
    for text in ("Enter a title", "Date must be a real date"):
        assert html.count(text) == 2, text
    html = client.post(url("evidence-new", apprenticeship) + "?kind=reflective_account",
                       reflection_post(apprenticeship, body="", occurred_on_2="2099")).content.decode()
    for text in ("The date must be today or in the past", "Enter the text of the evidence"):
        assert html.count(text) == 2, text
    assert not PortfolioEvidence.objects.exists()


def test_a_file_is_uploaded_and_downloaded_only_through_the_permission_checked_view(client, sign_in,
                                                                                     reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    post = reflection_post(apprenticeship, file=upload("notes.pdf"))
    client.post(url("evidence-new", apprenticeship) + "?kind=file", post)
    evidence = PortfolioEvidence.objects.get()
    download = client.get(url("evidence-download", evidence))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "no-store" and "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export").exists()
    html = client.post(url("evidence-new", apprenticeship) + "?kind=file",
                       reflection_post(apprenticeship, file=upload("notes.png", PDF))).content.decode()
    assert "not a real PNG file" in html and PortfolioEvidence.objects.count() == 1


def test_the_coach_adds_an_observation_ready_to_assess(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.coach)
    html = client.get(url("evidence-new", apprenticeship)).content.decode()
    assert "Observation of practice" in html and "Professional discussion" in html and "Uploaded file" not in html
    client.post(url("evidence-new", apprenticeship) + "?kind=observation",
                {**reflection_post(apprenticeship), "body": "Led the handover calmly"})
    evidence = PortfolioEvidence.objects.get()
    assert evidence.status == EvidenceStatus.SUBMITTED and evidence.created_by == apprenticeship.coach
    assert "Assess this evidence" in client.get(url("evidence-detail", evidence)).content.decode()
    assert client.get(url("evidence-new", apprenticeship), {"kind": "file"}).status_code == 200  # the chooser again


def test_a_stale_edit_is_refused_keeping_what_was_typed(client, sign_in, reference_data):
    evidence = PortfolioEvidenceFactory()
    sign_in(evidence.created_by)
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(version=2, title="Their title")
    post = {**reflection_post(evidence.apprenticeship, title="My title"), "seen_version": 1}
    html = client.post(url("evidence-edit", evidence), post).content.decode()
    assert "Someone else changed this evidence" in html and 'value="My title"' in html
    assert 'name="seen_version" value="2"' in html
    assert PortfolioEvidence.objects.get().title == "Their title"
    assert client.post(url("evidence-edit", evidence), {**post, "seen_version": 2}).status_code == 302
    assert PortfolioEvidence.objects.get().title == "My title"


def test_a_locked_item_refuses_edits_and_says_why(client, sign_in, reference_data):
    evidence = locked(submitted())
    sign_in(evidence.created_by)
    html = client.get(url("evidence-detail", evidence)).content.decode()
    assert "so it is locked" in html and "Change this evidence" not in html and "Send to your coach" not in html
    response = client.post(url("evidence-edit", evidence), {**reflection_post(evidence.apprenticeship),
                                                            "seen_version": evidence.version}, follow=True)
    assert "it is locked" in response.content.decode()
    assert PortfolioEvidence.objects.get().title == evidence.title and not EvidenceEvent.objects.exists()


def test_the_apprentice_sends_an_item_and_then_cannot_change_it(client, sign_in, reference_data):
    evidence = PortfolioEvidenceFactory()
    sign_in(evidence.created_by)
    html = client.post(url("evidence-submit", evidence), {"seen_version": 1}).content.decode()
    assert "Map the evidence to at least one KSB" in html and "There is a problem" in html
    mapped(evidence, *ksbs_of(evidence.apprenticeship, 1))
    assert client.post(url("evidence-submit", evidence), {"seen_version": 1}).status_code == 302
    assert PortfolioEvidence.objects.get().status == EvidenceStatus.SUBMITTED
    assert client.get(url("evidence-edit", evidence)).status_code == 302
    assert client.post(url("evidence-assess", evidence), {"seen_version": 2, "decision": "accepted"}).status_code == 403


# --- The coach's assessment and unlocking ---


def test_the_coach_maps_and_accepts_then_unlocks_with_a_reason(client, sign_in, reference_data):
    evidence = submitted()
    apprenticeship = evidence.apprenticeship
    extra = ksbs_of(apprenticeship, 2)[1]
    sign_in(apprenticeship.coach)
    html = client.get(url("evidence-assess", evidence)).content.decode()
    assert "Add mapping" in html and "Your decision" in html and "Remove" in html
    client.post(url("evidence-mapping-add", evidence), {"seen_version": 1, "ksb": extra.pk})
    assert evidence.mappings.get(ksb=extra).stage == MappingStage.ADDED_BY_COACH
    claimed = evidence.mappings.get(stage=MappingStage.CLAIMED)
    client.post(url("evidence-mapping-remove", evidence, claimed.pk), {"seen_version": 2})
    assert list(EvidenceMapping.objects.values_list("ksb", flat=True)) == [extra.pk]
    html = client.post(url("evidence-assess", evidence), {"seen_version": 3, "decision": "needs_more_work",
                                                          "feedback": ""}).content.decode()
    assert "Enter feedback" in html and "There is a problem" in html
    assert client.post(url("evidence-assess", evidence), {"seen_version": 3, "decision": "accepted"}).status_code == 302
    assert PortfolioEvidence.objects.get().is_locked
    html = client.post(url("evidence-unlock", evidence), {"seen_version": 4, "reason": ""}).content.decode()
    assert "Enter why you are unlocking this evidence" in html and PortfolioEvidence.objects.get().is_locked
    client.post(url("evidence-unlock", evidence), {"seen_version": 4, "reason": "Accepted the wrong KSB"})
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.SUBMITTED and not evidence.is_locked
    html = client.get(url("evidence-detail", evidence)).content.decode()
    assert "Unlocked" in html and "Reason: Accepted the wrong KSB" in html


def test_a_stale_assessment_is_refused(client, sign_in, reference_data):
    evidence = submitted()
    sign_in(evidence.apprenticeship.coach)
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(version=2)
    html = client.post(url("evidence-assess", evidence), {"seen_version": 1, "decision": "accepted"}).content.decode()
    assert "Someone else changed this evidence" in html
    assert PortfolioEvidence.objects.get().status == EvidenceStatus.SUBMITTED


def test_the_detail_page_shows_a_practice_record_snapshot_and_a_witness_testimony(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    practice = PortfolioEvidenceFactory(
        apprenticeship=apprenticeship, kind=EvidenceKind.PRACTICE_RECORD, source_key="assessments.needs",
        source_record_id="abc", source_snapshot={
            "title": "Led a holistic needs assessment", "source_label": "Needs assessments",
            "summary": "Areas: mobility, nutrition", "themes": ["Communication", "Safeguarding"],
            "taken_at": "2026-11-22T10:00:00+00:00"})
    witness = PortfolioEvidenceFactory(
        apprenticeship=apprenticeship, kind=EvidenceKind.WITNESS_TESTIMONY, witness_name="Ada Okafor",
        witness_role="Deputy manager", witness_confirmed_at=timezone.now() - timedelta(days=1))
    sign_in(apprenticeship.apprentice)
    html = client.get(url("evidence-detail", practice)).content.decode()
    for text in ("Led a holistic needs assessment", "Needs assessments", "Areas: mobility, nutrition",
                 "Communication, Safeguarding", "Snapshot taken on 22 Nov 2026",
                 "The practice record itself is not shown here"):
        assert text in html, text
    html = client.get(url("evidence-detail", witness)).content.decode()
    confirmed = (timezone.now() - timedelta(days=1)).date()
    assert "Ada Okafor, Deputy manager" in html and f"Yes, on {confirmed:%-d %b %Y}" in html
    assert "Send Ada Okafor a new link" not in html  # confirmed: nothing to resend
    waiting = PortfolioEvidenceFactory(apprenticeship=apprenticeship, kind=EvidenceKind.WITNESS_TESTIMONY,
                                       witness_name="Sam Lee")
    html = client.get(url("evidence-detail", waiting)).content.decode()
    resend = reverse("apprenticeships:evidence-witness-resend", args=[waiting.public_id])
    assert "Not yet" in html and "Send Sam Lee a new link" in html and f'action="{resend}"' in html
    html = client.get(url("evidence-edit", practice)).content.decode()  # only the claims change here
    assert 'name="title"' not in html and "Knowledge, skills and behaviours" in html


# --- The coach's queue ---


def test_the_queue_lists_the_coachs_waiting_evidence_oldest_first(client, sign_in, reference_data):
    mine = ApprenticeshipFactory()
    older = submitted(apprenticeship=mine, title="Older one")
    PortfolioEvidence.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    submitted(apprenticeship=mine, title="Newer one")
    PortfolioEvidenceFactory(apprenticeship=mine, title="Still a draft")
    submitted(title="Someone else's")
    sign_in(mine.coach)
    html = client.get(reverse("apprenticeships:evidence-queue")).content.decode()
    assert html.index("Older one") < html.index("Newer one")
    assert "Still a draft" not in html and "Someone else" not in html
    assert reverse("apprenticeships:iqa-coach-feedback") in html  # what the IQA said of their assessments
    assert AuditEvent.objects.filter(action="list", details__queue=True).exists()
    listing = client.get(reverse("apprenticeships:apprenticeship-list")).content.decode()
    assert reverse("apprenticeships:evidence-queue") in listing


def test_the_queue_is_for_coaches_only(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    assert client.get(reverse("apprenticeships:evidence-queue")).status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_the_queue_costs_the_same_queries_for_3_or_30_items(client, sign_in, reference_data, rows,
                                                            django_assert_max_num_queries):
    apprenticeship = ApprenticeshipFactory()
    others = [ApprenticeshipFactory(coach=apprenticeship.coach, provider=apprenticeship.provider, memberships=False)
              for _ in range(2)]
    sign_in(apprenticeship.coach)
    submitted(apprenticeship=apprenticeship)
    client.get(reverse("apprenticeships:evidence-queue"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("apprenticeships:evidence-queue"))
    for n in range(rows - 1):
        evidence = submitted(apprenticeship=[apprenticeship, *others][n % 3])
        mapped(evidence, *units_of(apprenticeship, 1))
    with django_assert_max_num_queries(len(one)):
        html = client.get(reverse("apprenticeships:evidence-queue")).content.decode()
    assert html.count('role="row" class="nhsuk-table__row"') == min(rows, 25)


def test_a_closed_apprenticeship_keeps_its_portfolio_readable_but_unchangeable(client, sign_in, reference_data):
    evidence = PortfolioEvidenceFactory(apprenticeship=ApprenticeshipFactory(status=ApprenticeshipStatus.COMPLETED))
    sign_in(evidence.created_by)
    html = client.get(url("evidence-list", evidence.apprenticeship)).content.decode()
    assert evidence.title in html and "Add evidence" not in html
    assert client.get(url("evidence-new", evidence.apprenticeship)).status_code == 302
    assert "Send to your coach" not in client.get(url("evidence-detail", evidence)).content.decode()


@pytest.mark.parametrize(("name", "query", "legend"), [
    ("evidence-new", "?kind=reflective_account", "Knowledge, skills and behaviours</legend>"),
    ("evidence-witness-new", "", "Knowledge, skills and behaviours you claim (optional)"),
    ("otj-new", "", "Knowledge, skills and behaviours (optional)")])
def test_every_form_draws_the_ksb_and_unit_boxes_from_one_partial(client, sign_in, reference_data, name, query,
                                                                   legend):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    page = client.get(url(name, apprenticeship) + query)
    html = page.content.decode()
    assert "apprenticeships/_ksb_unit_boxes.html" in [template.name for template in page.templates]
    assert legend in html and f'id="id_ksbs_{ksbs_of(apprenticeship, 1)[0].pk}"' in html
    assert ('name="units"' in html) is (name != "otj-new")  # the OTJ form claims KSBs only


@pytest.mark.parametrize("name", ["evidence-assess", "evidence-mapping-add", "evidence-mapping-remove",
                                  "evidence-unlock"])
def test_the_apprentice_never_does_the_coachs_part_on_the_pages(client, sign_in, reference_data, name):
    evidence = submitted()
    if name == "evidence-unlock":
        PortfolioEvidence.objects.filter(pk=evidence.pk).update(
            status=EvidenceStatus.ACCEPTED, assessed_by=evidence.apprenticeship.coach, locked_at=timezone.now())
    args = (evidence.mappings.get().pk,) if name == "evidence-mapping-remove" else ()
    sign_in(evidence.apprenticeship.apprentice)
    before = PortfolioEvidence.objects.values().get(pk=evidence.pk)
    response = client.post(url(name, evidence, *args), {"seen_version": 1, "decision": "accepted", "reason": "x",
                                                        "unit": units_of(evidence.apprenticeship, 1)[0].pk})
    assert response.status_code == 403
    assert PortfolioEvidence.objects.values().get(pk=evidence.pk) == before
    assert evidence.mappings.count() == 1 and not EvidenceEvent.objects.filter(evidence=evidence).exists()


def test_an_edit_that_cannot_happen_says_why_and_what_to_do(client, sign_in, reference_data):
    waiting = submitted()
    sign_in(waiting.apprenticeship.apprentice)
    page = client.get(url("evidence-edit", waiting), follow=True).content.decode()
    assert "waiting for the coach: it can be changed again if they ask for more work" in page
    sign_in(waiting.apprenticeship.coach)
    page = client.get(url("evidence-edit", waiting), follow=True).content.decode()
    assert "The apprentice writes this evidence: you assess it" in page
    observation = submitted(apprenticeship=waiting.apprenticeship, kind=EvidenceKind.OBSERVATION,
                            created_by=ApprenticeshipFactory().coach)
    page = client.get(url("evidence-edit", observation), follow=True).content.decode()
    assert "Only the coach who wrote an observation or professional discussion changes it." in page


def test_the_download_names_an_awkward_file_safely_and_a_missing_file_is_a_404(client, sign_in, reference_data,
                                                                                media):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    client.post(url("evidence-new", apprenticeship) + "?kind=file", reflection_post(apprenticeship,
                                                                                  file=upload("notes.pdf")))
    evidence = PortfolioEvidence.objects.get()
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(file_name='Ré"view; x=1\r\nSet-Cookie: a=b.pdf')
    download = client.get(url("evidence-download", evidence))
    disposition = download["Content-Disposition"]
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert disposition.startswith("attachment; filename*=utf-8''") and '"' not in disposition and ";" not in (
        disposition.split("''", 1)[1])
    assert download["Content-Type"] == "application/pdf"
    evidence.file.storage.delete(evidence.file.name)
    assert client.get(url("evidence-download", evidence)).status_code == 404
    assert client.get(url("evidence-download", PortfolioEvidenceFactory(apprenticeship=apprenticeship))
                      ).status_code == 404  # no file at all
