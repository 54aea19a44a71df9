"""Helpers for the off-the-job tests: a signed training plan, KSBs, evidence files in a temporary MEDIA_ROOT."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carelead.apprenticeships.models import Ksb, Party, Signature
from carelead.apprenticeships.tests.factories import TrainingPlanActivityFactory, TrainingPlanVersionFactory

PDF = b"%PDF-1.7\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def plan_with(apprenticeship, *activities, signed=True):
    """A training plan version with these activities ({field: value}), signed by all three parties
    unless `signed` is False."""
    version = TrainingPlanVersionFactory(apprenticeship=apprenticeship)
    for fields in activities:
        TrainingPlanActivityFactory(plan=version, **fields)
    if signed:
        for party in Party.values:
            Signature.objects.create(plan_version=version, party=party, signed_by=apprenticeship.coach)
    return version


def a_ksb(apprenticeship, kind="knowledge") -> Ksb:
    return Ksb.objects.filter(version=apprenticeship.standard_version, retired=False, kind=kind).order_by("position")[0]


def upload(name="notes.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
