"""A coached cohort for the session tests: a training provider, its coach Sam, and two apprentices
(Amara and Ben, at different employers) invited to a one-hour Teams coaching session on 7 Oct 2025,
11:00 to 12:00 UK time: the session the sample reports in tests/data/ describe."""

from dataclasses import dataclass
from datetime import UTC, datetime

from carelead.accounts.tests.factories import UserFactory
from carelead.apprenticeships.models import Apprenticeship, SessionAttendee, TrainingSession
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, TrainingSessionFactory, provider_org
from carelead.core.permissions import Role
from carelead.organisations.models import Membership
from carelead.organisations.tests.factories import MembershipFactory

COACH_EMAIL = "sam.coach@provider.example"


@dataclass
class Cohort:
    coach: Membership
    amara: Apprenticeship
    ben: Apprenticeship
    session: TrainingSession

    @property
    def provider(self):
        return self.coach.organisation


def apprenticeship_of(coach: Membership, email: str, full_name: str, **kwargs) -> Apprenticeship:
    """An apprenticeship coached by `coach` at their provider, for a new apprentice with this email."""
    apprenticeship = ApprenticeshipFactory(provider=coach.organisation, coach=coach.user, memberships=False,
                                           apprentice=UserFactory(email=email, full_name=full_name), **kwargs)
    MembershipFactory(user=apprenticeship.apprentice, organisation=apprenticeship.employer, role=Role.CARE_WORKER)
    return apprenticeship


def coach_at(provider=None, email: str | None = None) -> Membership:
    user = UserFactory(email=email, full_name="Sam Coach") if email else UserFactory()
    return MembershipFactory(user=user, role=Role.SKILLS_COACH, organisation=provider or provider_org(),
                             all_locations=True)


def session_at(coach: Membership, *attending: Apprenticeship, **kwargs) -> TrainingSession:
    session = TrainingSessionFactory(provider=coach.organisation, organiser=coach.user, **kwargs)
    SessionAttendee.objects.bulk_create([SessionAttendee(session=session, apprenticeship=a) for a in attending])
    return session


def cohort(**session_kwargs) -> Cohort:
    coach = coach_at(email=COACH_EMAIL)
    amara = apprenticeship_of(coach, "amara.okafor@example.org", "Amara Okafor")
    ben = apprenticeship_of(coach, "ben.hughes@example.org", "Ben Hughes")
    session_kwargs.setdefault("starts_at", datetime(2025, 10, 7, 10, 0, tzinfo=UTC))  # 11:00 in London (BST)
    return Cohort(coach, amara, ben, session_at(coach, amara, ben, **session_kwargs))
