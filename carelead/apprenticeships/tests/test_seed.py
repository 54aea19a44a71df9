import json
from io import StringIO

import pytest
from django.core.management import call_command

from carelead.apprenticeships.importer import STANDARD_SNAPSHOTS, import_standards, load_snapshots
from carelead.apprenticeships.models import Ksb, Qualification, StandardVersion

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_reference_data_once():
    call_command("seed_demo", stdout=StringIO())
    assert StandardVersion.objects.filter(standard__reference="ST0007").count() == 2
    assert Ksb.objects.count() == 90 and Qualification.objects.count() == 2
    stamps = list(StandardVersion.objects.values_list("imported_at", flat=True))
    call_command("seed_demo", stdout=StringIO())
    assert Ksb.objects.count() == 90 and Qualification.objects.count() == 2
    assert list(StandardVersion.objects.values_list("imported_at", flat=True)) == stamps  # not even re-stamped


def test_the_snapshot_never_overwrites_official_codes_imported_since():
    load_snapshots()
    version = json.loads(STANDARD_SNAPSHOTS[0].read_text())[1]
    official = {**version, "carelead": {}, "knowledges": [item["detail"] for item in version["knowledges"]],
                "skills": [item["detail"] for item in version["skills"]],
                "behaviours": [{"code": f"B{n}", "detail": item["detail"]} for n, item in
                               enumerate(version["behaviours"], 1)]}
    import_standards(official)
    assert load_snapshots() == ([], [])
    assert not StandardVersion.objects.get(version="1.1").ksbs.filter(carelead_code=True).exists()


def test_seed_demo_enrols_five_meadowbank_apprentices_with_the_academys_coaches_once():
    from carelead.apprenticeships.models import Apprenticeship
    from carelead.apprenticeships.selectors import apprenticeships_for
    from carelead.core.management.demo_apprenticeships import ACADEMY

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "coach@demo.carelead.test" in out.getvalue() and "coach2@demo.carelead.test" in out.getvalue()
    assert f"Skills coach ({ACADEMY})" in out.getvalue()
    apprenticeships = list(Apprenticeship.objects.select_related("coach", "apprentice", "employer"))
    assert {(a.apprentice.email, a.coach.email) for a in apprenticeships} == {
        ("carer@demo.carelead.test", "coach@demo.carelead.test"),
        ("homecare@demo.carelead.test", "coach2@demo.carelead.test"),
        ("lead@demo.carelead.test", "coach2@demo.carelead.test"),
        ("support@demo.carelead.test", "coach@demo.carelead.test"),
        ("senior@demo.carelead.test", "coach@demo.carelead.test")}
    coach = next(a.coach for a in apprenticeships if a.coach.email == "coach@demo.carelead.test")
    assert {a.apprentice.email for a in apprenticeships_for(coach)} == {
        "carer@demo.carelead.test", "support@demo.carelead.test", "senior@demo.carelead.test"}
    call_command("seed_demo", stdout=StringIO())
    assert Apprenticeship.objects.count() == 5


def test_the_demo_apprentices_are_at_five_stages_with_sessions_entries_plans_and_reviews():
    from django.utils import timezone

    from carelead.apprenticeships import rules
    from carelead.apprenticeships.caseload import caseload_rows
    from carelead.apprenticeships.models import (
        Apprenticeship, ApprenticeshipStatus, OffTheJobEntry, OffTheJobRevision, OtjStatus, Party, ProgrammeChange,
        ProgressReview, ReviewAction, ReviewStatus, SessionAttendee, TrainingPlanVersion, TrainingSession,
    )

    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    rows = {row.apprenticeship.apprentice.email.split("@")[0]: row
            for row in caseload_rows(Apprenticeship.objects.select_related("apprentice", "standard_version"), today)}
    assert rows["carer"].time_pct < 10 and rows["carer"].rag == rules.GREEN
    assert rows["homecare"].rag == rules.GREEN and rows["homecare"].otj_percent is None  # minimum not published
    assert rows["lead"].rag in (rules.AMBER, rules.RED) and rows["lead"].otj_percent is not None
    assert rows["lead"].otj_percent < rows["lead"].time_percent - 10 and rows["lead"].review_state == rules.OVERDUE
    assert rows["support"].apprenticeship.status == ApprenticeshipStatus.BREAK_IN_LEARNING
    assert ProgrammeChange.objects.get(apprenticeship=rows["support"].apprenticeship).decided_by.email.startswith(
        "manager@")
    assert rows["senior"].time_pct >= 90 and rows["senior"].apprenticeship.epao_name
    assert rows["senior"].otj_percent is not None and rows["senior"].rag == rules.GREEN

    assert TrainingSession.objects.filter(join_url__startswith="https://teams.microsoft.com/").exists()
    assert TrainingSession.objects.filter(join_url__contains="zoom.us/j/").exists()
    assert all(row.next_session_at for name, row in rows.items() if name != "support")  # booked; not on a break
    assert SessionAttendee.objects.filter(attended_minutes__isnull=False).exists()
    statuses = set(OffTheJobEntry.objects.values_list("status", flat=True))
    assert statuses == {OtjStatus.APPROVED, OtjStatus.SUBMITTED, OtjStatus.RETURNED}
    assert OffTheJobEntry.ksbs.through.objects.count() > 100
    assert OffTheJobRevision.objects.count() > OffTheJobEntry.objects.count()
    for name, row in rows.items():
        plan = TrainingPlanVersion.objects.get(apprenticeship=row.apprenticeship)
        parties = set(plan.signatures.values_list("party", flat=True))
        assert plan.activities.count() >= 6
        assert parties == ({Party.PROVIDER, Party.APPRENTICE} if name == "carer" else set(Party.values)), name
    assert ProgressReview.objects.filter(status=ReviewStatus.SIGNED).count() >= 8
    awaiting = ProgressReview.objects.get(status=ReviewStatus.AWAITING_EMPLOYER)
    assert awaiting.apprenticeship == rows["homecare"].apprenticeship
    assert ReviewAction.objects.filter(completed_on__isnull=True).exists()
    assert ReviewAction.objects.filter(completed_on__isnull=False).exists()

    before = (OffTheJobEntry.objects.count(), TrainingSession.objects.count(), ProgressReview.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (OffTheJobEntry.objects.count(), TrainingSession.objects.count(), ProgressReview.objects.count()) == before


def test_the_demo_dashboards_show_each_role_its_apprentices(client, sign_in):
    from django.urls import reverse

    from carelead.accounts.models import User

    call_command("seed_demo", stdout=StringIO())
    sign_in(User.objects.get(email="coach@demo.carelead.test"))
    html = client.get(reverse("apprenticeships:caseload")).content.decode()
    assert "3 apprentices" in html and "Grace Okafor" in html and "Priya Sharma" not in html
    sign_in(User.objects.get(email="manager@demo.carelead.test"))
    html = client.get(reverse("apprenticeships:employer-dashboard")).content.decode()
    assert "5 apprentices" in html and "Progress review" in html and "Training plan version 1 for Tom Baxter" in html
    sign_in(User.objects.get(email="lead@demo.carelead.test"))
    html = client.get(reverse("apprenticeships:my-apprenticeship")).content.decode()
    assert "Your apprenticeship" in html and html.count("<progress") == 3 and "Overdue" in html
    assert "zoom.us/j/" in html or "teams.microsoft.com" in html


def test_the_demo_portfolios_hold_each_kind_and_stage_with_events_and_redacted_practice_records():
    from carelead.apprenticeships.models import (
        Apprenticeship, EvidenceEvent, EvidenceKind, EvidenceMapping, EvidenceStatus, PortfolioEvidence,
    )
    from carelead.people.models import Person

    call_command("seed_demo", stdout=StringIO())
    assert not Apprenticeship.objects.filter(qualification__isnull=True).exists()
    evidence = PortfolioEvidence.objects.all()
    assert {e.status for e in evidence} == set(EvidenceStatus.values)
    assert {EvidenceKind.REFLECTIVE_ACCOUNT, EvidenceKind.OBSERVATION, EvidenceKind.WITNESS_TESTIMONY,
            EvidenceKind.PRACTICE_RECORD} <= {e.kind for e in evidence}
    assert not evidence.filter(status=EvidenceStatus.ACCEPTED, locked_at__isnull=True).exists()
    assert all(EvidenceEvent.objects.filter(evidence=e).exists() for e in evidence)
    assert EvidenceMapping.objects.filter(unit__isnull=False).exists()
    names = [name for person in Person.objects.all() for name in (person.given_name, person.family_name)]
    for item in evidence.filter(kind=EvidenceKind.PRACTICE_RECORD):
        text = json.dumps(item.source_snapshot)
        assert item.source_snapshot["summary"] and not [name for name in names if name in text]
    count = evidence.count()
    call_command("seed_demo", stdout=StringIO())
    assert PortfolioEvidence.objects.count() == count


def test_the_demo_academy_has_an_internal_quality_assurer_with_a_sampling_policy_once():
    from carelead.apprenticeships.models import SamplingPolicy
    from carelead.core.management.demo_apprenticeships import ACADEMY
    from carelead.organisations.models import Membership

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "iqa@demo.carelead.test" in out.getvalue()
    assert Membership.objects.filter(user__email="iqa@demo.carelead.test", organisation__name=ACADEMY,
                                     role="iqa").count() == 1
    assert SamplingPolicy.objects.get(provider__name=ACADEMY).default_percent == 25
    call_command("seed_demo", stdout=StringIO())
    assert SamplingPolicy.objects.count() == 1
