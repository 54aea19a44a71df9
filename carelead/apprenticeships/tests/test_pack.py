"""The gateway evidence pack (issue 6, "Gateway"): one zip with the summary PDF and every item sent
to the coach, made as a background job (inline in tests) by the apprentice, their coach or the
employer; a practice record goes in as its redacted snapshot only; audited; constant queries."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from carelead.apprenticeships import pack_builder
from carelead.apprenticeships.models import (
    EvidenceKind, EvidenceStatus, OtjStatus, PortfolioEvidence, ReflectionModel,
)
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, coach_of, employer_contact_of, staff_of,
)
from carelead.apprenticeships.tests.factories_otj import PDF, media  # noqa: F401
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory, ksbs_of, mapped, units_of
from carelead.apprenticeships.tests.factories_reviews import signed_review
from carelead.core.actor import Actor
from carelead.core.job_models import Job, JobStatus
from carelead.core.models import Action, AuditEvent
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SNAPSHOT_SUMMARY = "Holistic needs assessment: 6 areas assessed, 2 scoring tools used, outcome: plan updated."


def page_url(apprenticeship):
    return reverse("apprenticeships:gateway-pack", args=[apprenticeship.public_id])


def portfolio(apprenticeship, person=None) -> dict:
    """One item of each kind sent to the coach, and a draft that must stay out of the pack."""
    ksbs, units = ksbs_of(apprenticeship, 3), units_of(apprenticeship, 1)
    coach, now = apprenticeship.coach, timezone.now()
    upload = PortfolioEvidenceFactory(
        apprenticeship=apprenticeship, kind=EvidenceKind.FILE, title="Supervision audit", body="",
        file=SimpleUploadedFile("audit.pdf", PDF), file_name="Supervision audit.pdf", status=EvidenceStatus.SUBMITTED,
        occurred_on=date(2026, 1, 5))
    gibbs = mapped(PortfolioEvidenceFactory(
        apprenticeship=apprenticeship, title="Leading a difficult handover", body="",
        reflection_model=ReflectionModel.GIBBS, reflection={"description": "The night team arrived late.",
                                                            "action_plan": "Agree a written handover sheet."},
        status=EvidenceStatus.ACCEPTED, assessed_by=coach, assessed_at=now, locked_at=now,
        occurred_on=date(2026, 1, 12)), ksbs[0], units[0])
    witness = PortfolioEvidenceFactory(
        apprenticeship=apprenticeship, kind=EvidenceKind.WITNESS_TESTIMONY, title="Testimony from the deputy",
        body="She led the team meeting calmly and fairly.", witness_name="Sam Deputy", witness_role="Deputy manager",
        witness_confirmed_at=now, status=EvidenceStatus.SUBMITTED, occurred_on=date(2026, 1, 19))
    observation = PortfolioEvidenceFactory(
        apprenticeship=apprenticeship, kind=EvidenceKind.OBSERVATION, title="Observed leading a huddle",
        body="Clear roles given to each carer.", created_by=coach, status=EvidenceStatus.NEEDS_MORE_WORK,
        feedback="Say how you checked understanding.", occurred_on=date(2026, 1, 26))
    practice = mapped(PortfolioEvidenceFactory(
        apprenticeship=apprenticeship, kind=EvidenceKind.PRACTICE_RECORD, title="Led a needs assessment", body="",
        source_key="assessments.needs_assessment", source_record_id=str(person.public_id) if person else "x1",
        source_snapshot={"source": "assessments.needs_assessment", "source_label": "Needs assessments",
                         "title": "Led a holistic needs assessment", "summary": SNAPSHOT_SUMMARY,
                         "themes": ["Health and wellbeing"], "occurred_on": "2026-02-02",
                         "record_id": str(person.public_id) if person else "x1", "taken_at": now.isoformat()},
        status=EvidenceStatus.SUBMITTED, occurred_on=date(2026, 2, 2)), ksbs[1])
    draft = PortfolioEvidenceFactory(apprenticeship=apprenticeship, title="Unfinished thoughts on rotas")
    return {"upload": upload, "gibbs": gibbs, "witness": witness, "observation": observation,
            "practice": practice, "draft": draft}


def make_pack(client, apprenticeship) -> Job:
    response = client.post(page_url(apprenticeship))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job-detail", args=[job.public_id])
    return job


def members(job: Job) -> dict[str, bytes]:
    with job.result.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


# --- who may: out of reach is a 404, and nothing is started ---


@pytest.mark.parametrize("who", ["other coach", "unrelated staff"])
def test_someone_out_of_reach_gets_404_and_no_pack_is_made(sign_in, reference_data, media, who):
    apprenticeship = ApprenticeshipFactory()
    portfolio(apprenticeship)
    outsider = coach_of(apprenticeship.provider) if who == "other coach" else staff_of()
    client = sign_in(outsider)
    assert client.get(page_url(apprenticeship)).status_code == 404
    assert client.post(page_url(apprenticeship)).status_code == 404
    assert not Job.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client, reference_data):
    apprenticeship = ApprenticeshipFactory()
    assert client.post(page_url(apprenticeship)).status_code == 302 and not Job.objects.exists()


@pytest.mark.parametrize("who", ["apprentice", "coach", "employer"])
def test_each_party_sees_the_page_and_can_make_a_pack(sign_in, reference_data, media, who):
    apprenticeship = ApprenticeshipFactory()
    portfolio(apprenticeship)
    user = {"apprentice": apprenticeship.apprentice, "coach": apprenticeship.coach,
            "employer": employer_contact_of(apprenticeship).user}[who]
    client = sign_in(user)
    html = client.get(page_url(apprenticeship)).content.decode()
    assert "Make the gateway evidence pack" in html and "gateway-summary.pdf" in html
    assert 'aria-current="page">Gateway' in html  # the pack belongs to the Gateway tab
    job = make_pack(client, apprenticeship)
    assert job.requested_by == user and job.status == JobStatus.DONE
    # only the requester may open the job: the apprentice's coach does not see the apprentice's job
    other = apprenticeship.coach if who != "coach" else apprenticeship.apprentice
    assert sign_in(other).get(reverse("jobs:job-detail", args=[job.public_id])).status_code == 404


def test_the_overview_links_to_the_pack(sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    html = sign_in(apprenticeship.coach).get(
        reverse("apprenticeships:apprenticeship-detail", args=[apprenticeship.public_id])).content.decode()
    assert f'href="{page_url(apprenticeship)}">Gateway evidence pack</a>' in html


# --- what the zip holds ---


def test_the_zip_holds_the_summary_pdf_and_each_item_sent_to_the_coach(sign_in, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    items = portfolio(apprenticeship)
    job = make_pack(sign_in(apprenticeship.apprentice), apprenticeship)
    job.refresh_from_db()
    assert job.result_name == pack_builder.pack_filename(apprenticeship)
    files = members(job)
    assert sorted(files) == [
        "gateway-summary.pdf",
        "portfolio/001-supervision-audit/Supervision audit.pdf",
        "portfolio/001-supervision-audit/item.html",
        "portfolio/002-leading-a-difficult-handover/item.html",
        "portfolio/003-testimony-from-the-deputy/item.html",
        "portfolio/004-observed-leading-a-huddle/item.html",
        "portfolio/005-led-a-needs-assessment/item.html",
    ]
    assert files["gateway-summary.pdf"].startswith(b"%PDF")
    assert files["portfolio/001-supervision-audit/Supervision audit.pdf"] == PDF  # as stored
    gibbs = files["portfolio/002-leading-a-difficult-handover/item.html"].decode()
    ksb, unit = (items["gibbs"].mappings.get(unit__isnull=kind).label for kind in (True, False))
    for text in ("Gibbs", "Description", "The night team arrived late.", "Feelings", "Not written",
                 "Agree a written handover sheet.", "Accepted", f"{ksb}, {unit}"):  # KSBs, then units
        assert text in gibbs, text
    witness = files["portfolio/003-testimony-from-the-deputy/item.html"].decode()
    assert "She led the team meeting calmly" in witness and "Sam Deputy, Deputy manager" in witness
    assert "Confirmed by the witness on" in witness
    observation = files["portfolio/004-observed-leading-a-huddle/item.html"].decode()
    assert "What the coach observed" in observation and "Say how you checked understanding." in observation
    assert not any(b"Unfinished thoughts" in content for content in files.values())  # the draft stays out


def test_a_practice_record_is_its_redacted_snapshot_and_no_care_record_data(sign_in, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    person = PersonFactory(given_name="Winifred", family_name="Oakenshaw")
    portfolio(apprenticeship, person=person)
    files = members(make_pack(sign_in(apprenticeship.coach), apprenticeship))
    practice = files["portfolio/005-led-a-needs-assessment/item.html"].decode()
    assert SNAPSHOT_SUMMARY in practice and "Needs assessments" in practice and "Health and wellbeing" in practice
    for content in files.values():
        for leak in (b"Winifred", b"Oakenshaw", person.nhs_number.encode(), str(person.public_id).encode(),
                     person.date_of_birth.strftime("%-d %b %Y").encode()):
            assert leak not in content


def test_the_summary_has_the_cover_coverage_otj_reviews_and_index(reference_data, media):
    apprenticeship = ApprenticeshipFactory(gateway_date=date(2026, 6, 1))
    items = portfolio(apprenticeship)
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, 7), minutes=150,
                          status=OtjStatus.APPROVED, what_learned="Care Act eligibility")
    OffTheJobEntryFactory(apprenticeship=apprenticeship, what_learned="Still waiting for the coach")
    signed_review(apprenticeship, held_on=date(2025, 11, 20))
    packed = [pack_builder.PackedItem(number=1, evidence=items["gibbs"], folder="portfolio/001-x", file_name="",
                                      mappings=("K1",))]
    html = pack_builder.summary_html(apprenticeship, packed, printed_by="Jo Coach")
    ksb = items["practice"].mappings.get().ksb
    for text in (apprenticeship.apprentice.full_name, apprenticeship.employer.name, apprenticeship.provider.name,
                 apprenticeship.coach.full_name, "version 1.1", apprenticeship.qualification.title,
                 "1 Sep 2025", "Confirmed on 1 Jun 2026", "checklist items met", "Gateway checklist", "Not met",
                 ksb.code, "Claimed", "Level 4 Diploma units",
                 "7 Oct 2025", "2 h 30 min", "Care Act eligibility", "2.5 hours", "Minimum required",
                 "20 Nov 2025", "signed online by", "Leading a difficult handover", "portfolio/001-x/", "K1",
                 "Jo Coach"):
        assert escape(text) in html, text
    assert "Still waiting for the coach" not in html  # only approved entries are listed


# --- the job: progress, audit, failure, queries ---


def test_progress_reaches_one_step_per_item_plus_the_pdf(sign_in, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    portfolio(apprenticeship)
    job = make_pack(sign_in(apprenticeship.apprentice), apprenticeship)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.DONE, 6, 6, 100)


def test_the_pack_and_its_download_are_audited_as_exports(sign_in, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    items = portfolio(apprenticeship)
    client = sign_in(apprenticeship.coach)
    job = make_pack(client, apprenticeship)
    made = AuditEvent.objects.get(action=Action.EXPORT, subject="apprenticeships.PortfolioEvidence")
    assert made.actor == apprenticeship.coach and made.via == "job"
    assert made.details["apprenticeship"] == str(apprenticeship.public_id)
    assert sorted(made.details["ids"]) == sorted(str(item.public_id) for key, item in items.items() if key != "draft")
    response = client.get(reverse("jobs:job-download", args=[job.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    downloaded = AuditEvent.objects.get(action=Action.EXPORT, subject=f"core.Job:{job.public_id}")
    assert downloaded.details["apprenticeship_id"] == str(apprenticeship.public_id)


def test_an_empty_portfolio_fails_with_a_plain_message(sign_in, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    PortfolioEvidenceFactory(apprenticeship=apprenticeship)  # a draft only
    client = sign_in(apprenticeship.apprentice)
    job = make_pack(client, apprenticeship)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == pack_builder.EMPTY_PORTFOLIO
    assert pack_builder.EMPTY_PORTFOLIO in client.get(reverse("jobs:job-detail", args=[job.public_id])).content.decode()


def test_the_job_checks_reach_again_when_it_runs(reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    portfolio(apprenticeship)
    stranger = staff_of().user
    job = Job.objects.create(kind=pack_builder.KIND, requested_by=stranger, label="Pack",
                             params={"apprenticeship_id": str(apprenticeship.public_id)})
    from carelead.core import jobs
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == jobs.NOT_ALLOWED_MESSAGE and not job.result


def test_building_costs_the_same_queries_for_few_or_many_items(reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    ksbs, units = ksbs_of(apprenticeship, 3), units_of(apprenticeship, 2)
    signed_review(apprenticeship, held_on=date(2025, 11, 20))
    actor = Actor(user=apprenticeship.coach)

    def add(count):
        for n in range(count):
            kind = [EvidenceKind.REFLECTIVE_ACCOUNT, EvidenceKind.WITNESS_TESTIMONY, EvidenceKind.FILE][n % 3]
            extra = {"file": SimpleUploadedFile(f"f{n}.pdf", PDF), "file_name": f"f{n}.pdf"} if kind == "file" else {}
            mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship, kind=kind, status=EvidenceStatus.SUBMITTED,
                                            **extra), *ksbs, *units)

    def build():
        from carelead.core import jobs
        with CaptureQueriesContext(connection) as queries:
            job = jobs.start(pack_builder.KIND, actor=actor, label="Pack",
                             apprenticeship_id=str(apprenticeship.public_id))
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error
        return len(queries.captured_queries)

    add(2)
    few = build()
    add(12)
    assert build() == few
    assert PortfolioEvidence.objects.count() == 14


def test_upload_names_stay_inside_their_folder_and_a_missing_file_is_noted(sign_in, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    for title, name in (("Climbing out", "../../secret.pdf"), ("Same name", "item.html"), ("Gone", "gone.pdf")):
        PortfolioEvidenceFactory(apprenticeship=apprenticeship, kind=EvidenceKind.FILE, title=title, body="",
                                 file=SimpleUploadedFile("x.pdf", PDF), file_name=name, status=EvidenceStatus.SUBMITTED)
    gone = PortfolioEvidence.objects.get(title="Gone")
    gone.file.storage.delete(gone.file.name)
    files = members(make_pack(sign_in(apprenticeship.apprentice), apprenticeship))
    assert all(name.startswith(("portfolio/", "gateway-summary.pdf")) and ".." not in name.split("/") for name in files)
    assert files["portfolio/001-climbing-out/_.._secret.pdf"] == PDF
    assert files["portfolio/002-same-name/uploaded-item.html"] == PDF and b"Same name" in files[
        "portfolio/002-same-name/item.html"]
    assert files["portfolio/003-gone/file-missing.txt"] == pack_builder.MISSING_FILE.encode()


def test_asking_again_while_a_pack_is_being_made_opens_that_one_instead_of_starting_another(sign_in, reference_data,
                                                                                            media):
    # Each pack is a thread reading every file of the portfolio: pressing the button again (or repeatedly) must
    # not start another while this person's pack for this apprenticeship is still being made.
    apprenticeship = ApprenticeshipFactory()
    portfolio(apprenticeship)
    user = apprenticeship.coach
    running = Job.objects.create(kind=pack_builder.KIND, requested_by=user, label="Pack", status=JobStatus.RUNNING,
                                 params={"apprenticeship_id": str(apprenticeship.public_id)})
    Job.objects.create(kind=pack_builder.KIND, requested_by=apprenticeship.apprentice, label="Pack",
                       status=JobStatus.RUNNING, params={"apprenticeship_id": str(apprenticeship.public_id)})
    client = sign_in(user)
    response = client.post(page_url(apprenticeship))
    assert response["Location"] == reverse("jobs:job-detail", args=[running.public_id])
    assert Job.objects.count() == 2
    Job.objects.filter(pk=running.pk).update(status=JobStatus.DONE)  # once it is made, a new one can be asked for
    response = client.post(page_url(apprenticeship))
    assert Job.objects.count() == 3 and response["Location"] != reverse("jobs:job-detail", args=[running.public_id])
