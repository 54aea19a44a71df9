"""Helpers for the off-the-job tests: a signed training plan, evidence files, and the tabs while
some programme pages are still being built."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from carelead.apprenticeships import tabs
from carelead.apprenticeships.models import Ksb, Party, Signature
from carelead.apprenticeships.tests.factories import TrainingPlanActivityFactory, TrainingPlanVersionFactory

PDF = b"%PDF-1.7\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(autouse=True)
def tabs_that_exist(monkeypatch):
    """Only the tabs whose pages exist in this checkout (a no-op once every part has its URL)."""

    def exists(name):
        try:
            reverse(name, args=["00000000-0000-0000-0000-000000000007"])
        except NoReverseMatch:
            return False
        return True

    monkeypatch.setattr(tabs, "TABS", [tab for tab in tabs.TABS if exists(tab[2])])


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


def hours(value) -> Decimal:
    return Decimal(str(value))


def a_ksb(apprenticeship, kind="knowledge") -> Ksb:
    return Ksb.objects.filter(version=apprenticeship.standard_version, retired=False, kind=kind).order_by("position")[0]


def upload(name="notes.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
