"""Reads of the reference data. Public reference data: any signed-in, verified staff member may read
it (Perm.OWN_ACCOUNT); an unknown id is a 404."""

from uuid import UUID

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from carelead.apprenticeships import rules
from carelead.apprenticeships.models import Ksb, KsbKind, Qualification, Standard, StandardVersion

KIND_ORDER = Case(*(When(kind=kind, then=Value(n)) for n, kind in enumerate(KsbKind.values)),
                  output_field=IntegerField())


def standards() -> QuerySet[Standard]:
    """Every standard with its versions (two queries whatever the number of standards)."""
    versions = StandardVersion.objects.order_by("version").annotate(
        ksb_count=Count("ksbs", filter=Q(ksbs__retired=False)),
        carelead_codes=Count("ksbs", filter=Q(ksbs__retired=False, ksbs__carelead_code=True)),
    )
    return Standard.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by("reference")


def qualifications() -> QuerySet[Qualification]:
    return Qualification.objects.order_by("title", "awarding_organisation")


def standard_version(version_id: UUID) -> StandardVersion:
    return get_object_or_404(StandardVersion.objects.select_related("standard"), public_id=version_id)


def ksbs_of(version: StandardVersion) -> QuerySet[Ksb]:
    """The version's KSBs, current ones first; knowledge, skills, behaviours, each in its listed order."""
    return version.ksbs.order_by("retired", KIND_ORDER, "position", "pk")


def qualification(qualification_id: UUID) -> Qualification:
    return get_object_or_404(Qualification.objects.prefetch_related("units"), public_id=qualification_id)


def version_for_start(standard: Standard, start) -> StandardVersion:
    """The version an apprentice starting on `start` is on (rules.standard_version_for, §1.4).
    ValueError when no version takes that start date."""
    held = list(standard.versions.select_related("standard"))
    chosen = rules.standard_version_for(start, [version.as_rule() for version in held])
    return next(version for version in held if version.version == chosen.version)
