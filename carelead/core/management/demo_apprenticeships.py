"""The demo training provider (issue 5): Northern Care Academy, with two skills coaches, and two of
Meadowbank's staff enrolled as Lead Practitioner apprentices (ST0007), one with each coach.

Built once, when the academy is missing (idempotent); saved directly, without audit rows, like
the rest of the demo. One apprentice started before 1 Aug 2025, so their minimum off-the-job hours
follow the 6-hours-a-week formula; the other after it, where the standard's published minimum is
needed and not yet known, which the page says rather than inventing a figure.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from carelead.accounts.models import User
from carelead.apprenticeships.models import Apprenticeship, EnglishMaths, Standard, WeeklyHours
from carelead.apprenticeships.selectors import version_for_start
from carelead.core.management import demo_content as content
from carelead.core.management.demo_content import StaffSpec
from carelead.core.permissions import Role
from carelead.organisations.models import Organisation, OrganisationKind

ACADEMY = "Northern Care Academy"
COACHES = (
    StaffSpec("coach", "Aisha Rahman", Role.SKILLS_COACH, "Skills coach", all_locations=True),
    StaffSpec("coach2", "Owen Lloyd", Role.SKILLS_COACH, "Skills coach", all_locations=True),
)
# (apprentice's mailbox, coach's mailbox, start, planned end, weekly hours, RPL hours, English and maths, decision)
APPRENTICES = (
    ("senior", "coach", date(2025, 3, 3), date(2026, 12, 18), Decimal("37.5"), Decimal(15), EnglishMaths.HELD, ""),
    ("homecare", "coach2", date(2025, 10, 6), date(2027, 4, 30), Decimal(30), Decimal(0),
     EnglishMaths.NOT_REQUIRED_19_PLUS,
     "Discussed at sign-up on 22 Sep 2025: holds GCSE English and maths at grade 5; the employer agreed that "
     "English and maths are not part of this apprenticeship."),
)


def seed_demo_apprenticeships() -> bool:
    """Build the academy and its apprenticeships when missing; True when anything was built."""
    if Organisation.objects.filter(name=ACADEMY).exists():
        return False
    employer = Organisation.objects.filter(name=content.DEMO_ORGANISATION).first()
    standard = Standard.objects.filter(reference="ST0007").first()
    if employer is None or standard is None:
        return False
    _build(employer, standard)
    return True


@transaction.atomic
def _build(employer: Organisation, standard: Standard) -> None:
    from carelead.core.management.demo import _save, _staff_member

    academy = _save(Organisation(name=ACADEMY, kind=OrganisationKind.TRAINING_PROVIDER))
    coaches = {spec.mailbox: _staff_member(spec, academy, {}).user for spec in COACHES}
    manager = User.objects.filter(email=f"manager@{content.DEMO_DOMAIN}").first()
    for mailbox, coach, start, end, hours, rpl, english_maths, decision in APPRENTICES:
        apprentice = User.objects.filter(email=f"{mailbox}@{content.DEMO_DOMAIN}").first()
        if apprentice is None:
            continue
        apprenticeship = _save(Apprenticeship(
            apprentice=apprentice, employer=employer, provider=academy, coach=coaches[coach],
            standard_version=version_for_start(standard, start), start_date=start, practical_period_end=end,
            english_maths=english_maths, english_maths_decision=decision, created_by=coaches[coach], rpl_hours=rpl,
        ))
        _save(WeeklyHours(apprenticeship=apprenticeship, hours=hours, from_date=start))
        if mailbox == "senior":  # a change of contract, kept as history
            _save(WeeklyHours(apprenticeship=apprenticeship, hours=Decimal(32), from_date=date(2026, 1, 5)))
        if manager:
            apprenticeship.employer_contacts.set([manager])
