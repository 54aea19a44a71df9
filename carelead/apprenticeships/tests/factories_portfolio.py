"""Portfolio evidence for tests (issue 6): an item of any kind, mapped to KSBs or Diploma units."""

from datetime import date

import factory

from carelead.apprenticeships.models import (
    EvidenceKind, EvidenceMapping, EvidenceStatus, Ksb, MappingStage, PortfolioEvidence, QualificationUnit,
)
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory


class PortfolioEvidenceFactory(factory.django.DjangoModelFactory):
    """A reflective account the apprentice wrote, still a draft, unless told otherwise."""

    class Meta:
        model = PortfolioEvidence

    apprenticeship = factory.SubFactory(ApprenticeshipFactory)
    kind = EvidenceKind.REFLECTIVE_ACCOUNT
    title = factory.Sequence(lambda n: f"Reflection {n} on leading a handover")
    occurred_on = date(2026, 3, 2)
    body = "What happened, what I learned and what I will do differently."
    status = EvidenceStatus.DRAFT
    created_by = factory.SelfAttribute("apprenticeship.apprentice")


def mapped(evidence: PortfolioEvidence, *targets, stage=MappingStage.CLAIMED, by=None) -> PortfolioEvidence:
    """Map the item to each KSB or QualificationUnit in `targets`."""
    for target in targets:
        field = "ksb" if isinstance(target, Ksb) else "unit"
        assert isinstance(target, (Ksb, QualificationUnit))
        EvidenceMapping.objects.create(evidence=evidence, stage=stage, added_by=by or evidence.created_by,
                                       **{field: target})
    return evidence


def ksbs_of(apprenticeship, count=3) -> list[Ksb]:
    return list(Ksb.objects.filter(version=apprenticeship.standard_version, retired=False).order_by("position")[:count])


def units_of(apprenticeship, count=2) -> list[QualificationUnit]:
    return list(QualificationUnit.objects.filter(qualification=apprenticeship.qualification).order_by("position")[:count])
