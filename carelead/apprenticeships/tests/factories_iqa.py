"""Internal quality assurance for tests (issue 6): a provider with an IQA and coaches, assessed evidence,
and policies."""

from datetime import UTC, date, datetime, time

from carelead.apprenticeships import iqa_services
from carelead.apprenticeships.models import EvidenceKind, EvidenceStatus, SamplingPolicy, SamplingRate
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, provider_org
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory
from carelead.core.actor import Actor
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory


def iqa_of(provider=None):
    """An internal quality assurer's membership of a training provider (a new one unless given)."""
    return MembershipFactory(role=Role.IQA, organisation=provider or provider_org(), all_locations=True)


def assessed(apprenticeship, *, on=date(2026, 3, 10), kind=EvidenceKind.REFLECTIVE_ACCOUNT,
             status=EvidenceStatus.ACCEPTED, by=None):
    """An item the apprenticeship's coach (or `by`) assessed on `on` at noon UTC."""
    at = datetime.combine(on, time(12), tzinfo=UTC)
    return PortfolioEvidenceFactory(apprenticeship=apprenticeship, kind=kind, status=status,
                                    assessed_by=by or apprenticeship.coach, assessed_at=at, submitted_at=at,
                                    locked_at=at if status == EvidenceStatus.ACCEPTED else None)


def policy_of(provider, *, created_by, default_percent=0, rates=(), name="Standard sampling", active=True):
    """A policy with `rates` as (kind, stage, percent) triples."""
    policy = SamplingPolicy.objects.create(provider=provider, name=name, default_percent=default_percent,
                                           active=active, created_by=created_by)
    SamplingRate.objects.bulk_create([SamplingRate(policy=policy, kind=kind, stage=stage, percent=percent)
                                      for kind, stage, percent in rates])
    return policy


def provider_with_coach(provider=None, **kwargs):
    """An apprenticeship at a provider (a new one unless given), its coach a member there."""
    return ApprenticeshipFactory(provider=provider or provider_org(), **kwargs)


def sampled_world():
    """The provider's IQA with a plan for March 2026 sampling one item assessed on 3 March (everything
    at 100%): {provider, iqa (membership), apprenticeship, item, policy, plan}."""
    provider = provider_org()
    iqa = iqa_of(provider)
    apprenticeship = provider_with_coach(provider)
    item = assessed(apprenticeship, on=date(2026, 3, 3))
    policy = policy_of(provider, created_by=iqa.user, default_percent=100)
    plan = iqa_services.generate_plan(actor=Actor(iqa.user), policy=policy, period_from=date(2026, 3, 1),
                                      period_to=date(2026, 3, 31))
    return {"provider": provider, "iqa": iqa, "apprenticeship": apprenticeship, "item": item, "policy": policy,
            "plan": plan}
