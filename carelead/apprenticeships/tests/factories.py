"""Apprenticeships for tests: a provider with a coach, an employer with its apprentice, on ST0007
(the `reference_data` fixture must be loaded first)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import factory

from carelead.accounts.tests.factories import UserFactory
from carelead.apprenticeships.models import (
    Apprenticeship, EnglishMaths, OffTheJobEntry, OtjStatus, ProgressReview, Qualification, ResponsibleParty, SessionKind,
    StandardVersion, TrainingPlanActivity, TrainingPlanVersion, TrainingSession, WeeklyHours,
)
from carelead.apprenticeships.rules import ActivityType, counts_as_otj
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
    # City & Guilds' Level 4 Diploma (§3.1), whose mandatory units the reference lists (NCFE's are not
    # loaded), from the `reference_data` fixture.
    qualification = factory.LazyFunction(lambda: Qualification.objects.filter(specification_number="4222-34").first())
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


def employer_contact_of(apprenticeship, *, named=True):
    """An employer contact of the apprenticeship's employer (named on it unless `named` is False)."""
    membership = MembershipFactory(role=Role.EMPLOYER_CONTACT, organisation=apprenticeship.employer)
    if named:
        apprenticeship.employer_contacts.add(membership.user)
    return membership


# --- The programme's records (issue 5) ---


class TrainingPlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPlanVersion

    apprenticeship = factory.SubFactory(ApprenticeshipFactory)
    number = factory.Sequence(lambda n: n + 1)
    created_by = factory.SelfAttribute("apprenticeship.coach")


class TrainingPlanActivityFactory(factory.django.DjangoModelFactory):
    """Monthly Teams coaching across the first year: 18 hours that count as OTJ."""

    class Meta:
        model = TrainingPlanActivity

    plan = factory.SubFactory(TrainingPlanVersionFactory)
    activity_type = ActivityType.TEAMS_COACHING.value
    title = "Monthly coaching on Microsoft Teams"
    planned_hours = Decimal(18)
    planned_from = factory.SelfAttribute("plan.apprenticeship.start_date")
    planned_to = factory.LazyAttribute(lambda o: o.planned_from + timedelta(days=364))
    counts_as_otj = factory.LazyAttribute(lambda o: counts_as_otj(o.activity_type))
    responsible = ResponsibleParty.PROVIDER


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A one-hour coaching session on Teams, organised by a coach of a new provider unless given."""

    class Meta:
        model = TrainingSession

    provider = factory.LazyFunction(provider_org)
    kind = SessionKind.COACHING
    activity_type = ActivityType.TEAMS_COACHING.value
    title = "Coaching: person-centred planning"
    starts_at = factory.LazyFunction(lambda: datetime(2025, 10, 7, 10, 0, tzinfo=UTC))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    join_url = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_example%40thread.v2/0"
    organiser = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("organiser")


class OffTheJobEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OffTheJobEntry

    apprenticeship = factory.SubFactory(ApprenticeshipFactory)
    entry_date = factory.LazyAttribute(lambda o: o.apprenticeship.start_date + timedelta(days=7))
    minutes = 90
    activity_type = ActivityType.SELF_STUDY.value
    what_learned = "Read the Care Act statutory guidance on assessment and wrote notes on eligibility."
    status = OtjStatus.SUBMITTED
    created_by = factory.SelfAttribute("apprenticeship.apprentice")


class ProgressReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReview

    apprenticeship = factory.SubFactory(ApprenticeshipFactory)
    number = factory.Sequence(lambda n: n + 1)
    due_on = factory.LazyAttribute(lambda o: o.apprenticeship.start_date + timedelta(days=84))
    created_by = factory.SelfAttribute("apprenticeship.coach")
