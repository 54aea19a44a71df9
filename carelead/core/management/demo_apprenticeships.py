"""The demo training provider (issue 5): Northern Care Academy, with two skills coaches, and five of
Meadowbank's staff on the Lead Practitioner in Adult Care apprenticeship (ST0007) at different
stages, each with sessions on Teams and Zoom, off-the-job entries, a signed training plan and
progress reviews (demo_programme), and a portfolio of evidence (demo_portfolio):

- Tom Baxter: just started; his training plan waits for the employer's signature.
- Leah Brown: six months in and on track; her latest review waits for the employer's signature.
- Priya Sharma: more than a year in and behind on off-the-job hours, her review overdue.
- Daniel Price: on a break in learning (approved by the registered manager, processed by the coach).
- Grace Okafor: near the gateway, her end-point assessment organisation named.

Dates are relative to today, so the picture is the same whenever the demo is loaded. ST0007's
published minimum off-the-job hours is not known, so for starts from 1 Aug 2025 the minimum shows as
"not known" (never invented) and the caseload's status follows the KSBs; Priya's and Grace's starts
are kept before 1 Aug 2025, where the 6-hours-a-week formula gives the minimum, so the off-the-job
share shows too.

Idempotent: the academy is built when missing, and each apprentice's programme when that apprentice
has no apprenticeship yet. Saved directly, without audit rows, like the rest of the demo.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from carelead.accounts.models import User
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, ChangeKind, ChangeStatus, EnglishMaths, ProgrammeChange, SamplingPolicy,
    Standard, WeeklyHours,
)
from carelead.apprenticeships.otj import PUBLISHED_MINIMUM_FROM
from carelead.apprenticeships.rules import add_months
from carelead.apprenticeships.selectors import version_for_start
from carelead.core.management import demo_content as content
from carelead.core.management.demo_content import StaffSpec
from carelead.core.management.demo_portfolio import seed_demo_portfolios
from carelead.core.management.demo_programme import Party3, ProgrammeBuilder, Stage
from carelead.core.permissions import Role
from carelead.organisations.models import Membership, Organisation, OrganisationKind

ACADEMY = "Northern Care Academy"
EPAO = "Highfield Assessment"
COACHES = (
    StaffSpec("coach", "Aisha Rahman", Role.SKILLS_COACH, "Skills coach", all_locations=True),
    StaffSpec("coach2", "Owen Lloyd", Role.SKILLS_COACH, "Skills coach", all_locations=True),
)
# The academy's internal quality assurer (issue 6), with a sampling policy of 25% of each coach's
# assessed evidence, interim and summative alike.
QUALITY_ASSURER = StaffSpec("iqa", "Helen Marsh", Role.IQA, "Internal quality assurer", all_locations=True)
PROVIDER_STAFF = (*COACHES, QUALITY_ASSURER)
SAMPLING_PERCENT = 25
# The last start under the 6-hours-a-week rule (§4), a Monday: a start on or before it has a known minimum.
LAST_FORMULA_START = PUBLISHED_MINIMUM_FROM - timedelta(days=4)
DECISION = ("Discussed at sign-up: holds GCSE English and maths at grade 5; the employer and apprentice agreed that "
            "English and maths are not part of this apprenticeship (aged 19 or over).")


@dataclass(frozen=True)
class DemoApprentice:
    mailbox: str
    coach: str
    months_in: int
    months_long: int
    hours: Decimal
    stage: Stage
    english_maths: str = EnglishMaths.HELD
    rpl: Decimal = Decimal(0)
    formula_start: bool = False  # keep the start on or before 31 Jul 2025 (a known minimum)
    on_break_days: int = 0
    epao: bool = False


APPRENTICES = (
    DemoApprentice("carer", "coach", 0, 18, Decimal("37.5"), Stage(employer_signed_plan=False)),
    DemoApprentice("homecare", "coach2", 6, 18, Decimal(30), Stage(last_review_awaits_employer=True),
                   english_maths=EnglishMaths.NOT_REQUIRED_19_PLUS),
    DemoApprentice("lead", "coach2", 12, 24, Decimal(30), Stage(otj=0.7, ksbs=0.9, reviews_stop_days_ago=100),
                   formula_start=True),
    DemoApprentice("support", "coach", 9, 18, Decimal(30), Stage(), on_break_days=21,
                   english_maths=EnglishMaths.IN_PROGRESS),
    DemoApprentice("senior", "coach", 17, 18, Decimal("37.5"), Stage(otj=1.05), rpl=Decimal(15), formula_start=True,
                   epao=True),
)


def dates_for(spec: DemoApprentice, today: date) -> tuple[date, date]:
    """Start and planned end: `months_in` months ago (3 weeks for "just started"), the programme
    `months_long`; a formula start is held at 28 Jul 2025 at the latest, its end then kept ahead."""
    start = add_months(today, -spec.months_in) - timedelta(days=21 if spec.months_in == 0 else 0)
    if spec.formula_start and start > LAST_FORMULA_START:
        start = LAST_FORMULA_START
        end = max(add_months(start, spec.months_long),
                  add_months(today, spec.months_long - spec.months_in) if spec.months_long > spec.months_in
                  else today + timedelta(days=30))
        return start, end
    return start, add_months(start, spec.months_long)


def seed_demo_apprenticeships() -> bool:
    """Build the academy and whichever demo apprenticeships are missing; True when anything was built."""
    employer = Organisation.objects.filter(name=content.DEMO_ORGANISATION).first()
    standard = Standard.objects.filter(reference="ST0007").first()
    if employer is None or standard is None:
        return False
    return _build(employer, standard)


@transaction.atomic
def _build(employer: Organisation, standard: Standard) -> bool:
    from carelead.core.management.demo import _save, _staff_member

    built = False
    academy = Organisation.objects.filter(name=ACADEMY).first()
    if academy is None:
        academy = _save(Organisation(name=ACADEMY, kind=OrganisationKind.TRAINING_PROVIDER))
        for spec in COACHES:
            _staff_member(spec, academy, {})
        built = True
    coaches = {spec.mailbox: User.objects.get(email=spec.email) for spec in COACHES}
    built = _quality_assurance(academy) or built
    manager = User.objects.filter(email=f"manager@{content.DEMO_DOMAIN}").first()
    today = timezone.localdate()
    builder = ProgrammeBuilder(academy, today)
    for spec in APPRENTICES:
        apprentice = User.objects.filter(email=f"{spec.mailbox}@{content.DEMO_DOMAIN}").first()
        if apprentice is None or manager is None or Apprenticeship.objects.filter(apprentice=apprentice).exists():
            continue
        coach = coaches[spec.coach]
        start, end = dates_for(spec, today)
        break_from = today - timedelta(days=spec.on_break_days) if spec.on_break_days else None
        apprenticeship = _save(Apprenticeship(
            apprentice=apprentice, employer=employer, provider=academy, coach=coach,
            standard_version=version_for_start(standard, start), start_date=start, practical_period_end=end,
            english_maths=spec.english_maths,
            english_maths_decision=DECISION if spec.english_maths == EnglishMaths.NOT_REQUIRED_19_PLUS else "",
            created_by=coach, rpl_hours=spec.rpl, epao_name=EPAO if spec.epao else "",
            epao_named_on=add_months(start, 9) if spec.epao else None,
            status=ApprenticeshipStatus.BREAK_IN_LEARNING if break_from else ApprenticeshipStatus.ACTIVE,
        ))
        _save(WeeklyHours(apprenticeship=apprenticeship, hours=spec.hours, from_date=start))
        if spec.epao:  # a change of contract, kept as history
            _save(WeeklyHours(apprenticeship=apprenticeship, hours=Decimal(32), from_date=add_months(start, 10)))
        apprenticeship.employer_contacts.set([manager])
        if break_from:
            _break_in_learning(apprenticeship, coach, manager, break_from)
        stage = replace(spec.stage, until=break_from - timedelta(days=1) if break_from else None)
        builder.build(apprenticeship, Party3(coach=coach, apprentice=apprentice, employer=manager), stage)
        built = True
    mine = Apprenticeship.objects.filter(provider=academy).select_related("apprentice", "coach")
    return seed_demo_portfolios(mine) or built


def _quality_assurance(academy: Organisation) -> bool:
    """The internal quality assurer and their sampling policy, when missing (an academy seeded before
    issue 6 gets them too)."""
    from carelead.core.management.demo import _staff_member

    if Membership.objects.filter(organisation=academy, user__email=QUALITY_ASSURER.email).exists():
        return False
    membership = _staff_member(QUALITY_ASSURER, academy, {})
    SamplingPolicy.objects.create(provider=academy, name="Standard sampling", default_percent=SAMPLING_PERCENT,
                                  created_by=membership.user)
    return True


def _break_in_learning(apprenticeship: Apprenticeship, coach, manager, effective: date) -> None:
    """Requested by the coach, approved by the registered manager (someone else), processed."""
    from carelead.core.management.demo import _save

    requested = timezone.now() - timedelta(days=(timezone.localdate() - effective).days + 7)
    _save(ProgrammeChange(
        apprenticeship=apprenticeship, kind=ChangeKind.BREAK_IN_LEARNING, status=ChangeStatus.PROCESSED,
        effective_date=effective, expected_return=effective + timedelta(days=90),
        reason="Caring for a family member after an operation; plans to return in about three months.",
        requested_by=coach, requested_at=requested, decided_by=manager, decided_at=requested + timedelta(days=2),
        decision_comment="Agreed. We will keep in touch monthly.", processed_by=coach,
        processed_at=requested + timedelta(days=3)))
