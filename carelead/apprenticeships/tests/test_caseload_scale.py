"""seed_scale's apprenticeship programme (scale_apprenticeships): what it makes, the bench coach's
caseload, and --reset removing it all."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from carelead.accounts.models import User
from carelead.apprenticeships.models import (
    Apprenticeship, EvidenceMapping, EvidenceStatus, OffTheJobEntry, OtjStatus, PortfolioEvidence, ProgressReview,
    ReviewStatus, SessionAttendee, Signature, TrainingSession,
)
from carelead.core.management.scale_apprenticeships import (
    ApprenticeshipScale, academy_name, bench_coach_email,
)
from carelead.organisations.models import Organisation

pytestmark = pytest.mark.django_db
PREFIX = "Tiny Programme Group"
TINY = ["--people", "30", "--locations", "3", "--staff", "40", "--audit-events", "10", "--prefix", PREFIX,
        "--apprenticeships", "6", "--coaches", "2", "--otj-entries", "120", "--evidence", "60"]


def seed_scale(*extra: str) -> str:
    out = StringIO()
    call_command("seed_scale", *TINY, *extra, stdout=out, verbosity=0)
    return out.getvalue()


def test_the_default_is_in_proportion_to_the_people():
    full = ApprenticeshipScale.for_people(10_000, "P", 1)
    assert (full.apprenticeships, full.coaches, full.otj_entries, full.evidence) == (2_000, 100, 400_000, 200_000)
    small = ApprenticeshipScale.for_people(100, "P", 1)
    assert (small.apprenticeships, small.coaches, small.otj_entries, small.evidence) == (20, 1, 4_000, 2_000)


def test_it_makes_apprenticeships_entries_ksb_links_sessions_and_signed_reviews(client, sign_in):
    output = seed_scale()
    assert "6 apprenticeships" in output and bench_coach_email(PREFIX) in output
    academy = Organisation.objects.get(name=academy_name(PREFIX))
    apprenticeships = Apprenticeship.objects.filter(provider=academy)
    assert apprenticeships.count() == 6 and apprenticeships.values("coach").distinct().count() == 2
    coach = User.objects.get(email=bench_coach_email(PREFIX))
    assert apprenticeships.filter(coach=coach).count() == 3
    assert OffTheJobEntry.objects.filter(apprenticeship__in=apprenticeships).count() == 120
    assert OffTheJobEntry.objects.filter(status=OtjStatus.APPROVED).exists()
    assert OffTheJobEntry.ksbs.through.objects.exists()
    assert ProgressReview.objects.filter(status=ReviewStatus.SIGNED).exists()
    assert Signature.objects.filter(review__isnull=False).exists()
    assert TrainingSession.objects.filter(provider=academy).count() == 12 and SessionAttendee.objects.exists()
    evidence = PortfolioEvidence.objects.filter(apprenticeship__in=apprenticeships)
    assert evidence.count() == 60 and evidence.filter(status=EvidenceStatus.ACCEPTED, locked_at__isnull=False).exists()
    assert not evidence.filter(status=EvidenceStatus.ACCEPTED, locked_at__isnull=True).exists()
    assert not evidence.filter(kind="witness_testimony", witness_confirmed_at__isnull=True).exclude(
        status=EvidenceStatus.DRAFT).exists()  # a testimony goes to the coach only once confirmed
    assert EvidenceMapping.objects.filter(evidence__in=evidence, ksb__isnull=False).count() >= 60
    assert not apprenticeships.filter(qualification__isnull=True).exists()
    for entry in OffTheJobEntry.objects.select_related("apprenticeship"):
        assert entry.apprenticeship.start_date <= entry.entry_date
    sign_in(coach)
    html = client.get(reverse("apprenticeships:caseload")).content.decode()
    assert "3 apprentices" in html


def test_reset_removes_the_programme_and_seeds_it_again():
    seed_scale()
    output = seed_scale("--reset")
    assert "off-the-job entries" in output
    assert "portfolio evidence" in output
    assert Apprenticeship.objects.count() == 6 and OffTheJobEntry.objects.count() == 120
    assert PortfolioEvidence.objects.count() == 60
    assert Organisation.objects.filter(name=academy_name(PREFIX)).count() == 1
