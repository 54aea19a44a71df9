"""Apprenticeships for tests: a provider with a coach, an employer with its apprentice, on ST0007
(the `reference_data` fixture must be loaded first)."""

from datetime import date
from decimal import Decimal

import factory

from carelead.accounts.tests.factories import UserFactory
from carelead.apprenticeships.models import Apprenticeship, EnglishMaths, StandardVersion, WeeklyHours
from carelead.core.permissions import Role
from carelead.organisations.models import OrganisationKind
from carelead.organisations.tests.factories import MembershipFactory, OrganisationFactory


def provider_org(**kwargs):
    return OrganisationFactory(kind=OrganisationKind.TRAINING_PROVIDER, **kwargs)


def coach_of(provider=None):
    """A skills coach's membership of a training provider (a new one unless given)."""
    return MembershipFactory(role=Role.SKILLS_COACH, organisation=provider or provider_org(), all_locations=True)


def staff_of(employer=None, role=Role.CARE_WORKER):
    return MembershipFactory(role=role, organisation=employer or OrganisationFactory())


class ApprenticeshipFactory(factory.django.DjangoModelFactory):
    """An active apprenticeship on ST0007 v1.1 starting 1 Sep 2025; apprentice and coach memberships
    are made to match unless given."""

    class Meta:
        model = Apprenticeship
        skip_postgeneration_save = True

    apprentice = factory.SubFactory(UserFactory)
    employer = factory.SubFactory(OrganisationFactory)
    provider = factory.LazyFunction(provider_org)
    coach = factory.SubFactory(UserFactory)
    standard_version = factory.LazyFunction(
        lambda: StandardVersion.objects.get(standard__reference="ST0007", version="1.1"))
    start_date = date(2025, 9, 1)
    practical_period_end = date(2027, 3, 1)
    english_maths = EnglishMaths.HELD
    created_by = factory.SelfAttribute("coach")

    @factory.post_generation
    def memberships(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        MembershipFactory(user=obj.apprentice, organisation=obj.employer, role=Role.CARE_WORKER)
        MembershipFactory(user=obj.coach, organisation=obj.provider, role=Role.SKILLS_COACH, all_locations=True)

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        if create:
            WeeklyHours.objects.create(apprenticeship=obj, hours=Decimal(extracted or 37.5), from_date=obj.start_date)
