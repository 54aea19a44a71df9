"""Gateway tests' helpers (issue 6): an apprenticeship with every checklist item met but the signatures."""

from datetime import date
from decimal import Decimal

from carelead.apprenticeships import gateway_services
from carelead.apprenticeships.models import EvidenceStatus, OtjStatus, StandardVersion
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, OffTheJobEntryFactory
from carelead.apprenticeships.tests.factories_otj import upload
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory
from carelead.core.actor import Actor

MINIMUM = Decimal(187)  # §4: the floor for starts from 1 Aug 2025; the factory's start is 1 Sep 2025


def with_minimum(hours=MINIMUM) -> None:
    """ST0007 v1.1's published minimum (not in the reference snapshot), so the OTJ item can be met."""
    StandardVersion.objects.filter(standard__reference="ST0007", version="1.1").update(minimum_otj_hours=hours)


def approved_hours(apprenticeship, days=8) -> None:
    """`days` approved entries of 24 hours each (8 days: 192 hours, over the 187 minimum)."""
    for day in range(days):
        OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, 1 + day), minutes=1440,
                              status=OtjStatus.APPROVED)


def accepted_evidence(apprenticeship, count=1) -> list:
    return [PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.ACCEPTED,
                                     assessed_by=apprenticeship.coach) for _ in range(count)]


def ready_but_unsigned(**factory_fields):
    """An apprenticeship whose every gateway item is met except the readiness signatures."""
    with_minimum()
    apprenticeship = ApprenticeshipFactory(epao_name="Example EPA Ltd", **factory_fields)
    approved_hours(apprenticeship)
    accepted_evidence(apprenticeship)
    coach, apprentice = Actor(apprenticeship.coach), Actor(apprenticeship.apprentice)
    gateway_services.record_diploma(actor=coach, apprenticeship=apprenticeship, achieved_on=date(2026, 11, 2),
                                    certificate=upload("diploma.pdf"))
    gateway_services.record_observation_scope(actor=coach, apprenticeship=apprenticeship,
                                              scope="Leads the team meeting on the new medicines procedure",
                                              agreed_on=date(2026, 11, 3))
    gateway_services.declare_portfolio_submitted(actor=apprentice, apprenticeship=apprenticeship)
    return apprenticeship
