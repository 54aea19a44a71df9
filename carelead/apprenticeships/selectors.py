"""Reads of the reference data. Public reference data: any signed-in, verified staff member may read
it (Perm.OWN_ACCOUNT); an unknown id is a 404."""

from uuid import UUID

from django.db.models import Case, Count, Exists, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from carelead.apprenticeships import rules
from carelead.apprenticeships.models import (
    Apprenticeship, Ksb, KsbKind, Qualification, Standard, StandardVersion, WeeklyHours,
)
from carelead.core.permissions import Perm
from carelead.organisations.models import Organisation, OrganisationKind
from carelead.organisations.selectors import memberships_granting, organisations_granting

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


# --- Apprenticeships: programme records, reached by relationship (issue 5, "Parties and access") ---


def apprenticeships_for(user) -> QuerySet[Apprenticeship]:
    """The apprenticeships this user may see; deny by default, one query.

    Their own, as the apprentice (no role needed); those they coach, while they hold
    APPRENTICESHIP_VIEW anywhere (a coach sees only their own apprentices, never a colleague's); and
    those of an organisation where they hold APPRENTICESHIP_VIEW as employer contact or registered
    manager. A training provider's membership opens nothing by itself: its coach is named on each.
    Programme records only: this never reaches a person's care record.
    """
    if not getattr(user, "is_authenticated", False):
        return Apprenticeship.objects.none()
    view_memberships = memberships_granting(user, Perm.APPRENTICESHIP_VIEW)
    employer_orgs = view_memberships.exclude(organisation__kind=OrganisationKind.TRAINING_PROVIDER).values(
        "organisation")
    reach = Q(apprentice=user) | Q(employer__in=employer_orgs) | (Q(coach=user) & Q(Exists(view_memberships)))
    return Apprenticeship.objects.filter(reach).select_related(
        "apprentice", "employer", "provider", "coach", "standard_version__standard", "qualification")


def employers_viewed_by(user) -> QuerySet[Organisation]:
    """The employers (not training providers) whose apprentices this user sees as an employer party."""
    return organisations_granting(user, Perm.APPRENTICESHIP_VIEW).exclude(kind=OrganisationKind.TRAINING_PROVIDER)


def apprenticeship_for(user, public_id: UUID) -> Apprenticeship:
    """One apprenticeship in the user's reach; 404 whether it does not exist or is out of reach."""
    return get_object_or_404(apprenticeships_for(user), public_id=public_id)


MINIMUM_UNKNOWN = ("Not known: the published minimum for {version} has not been imported. For starts from "
                   "1 Aug 2025 the minimum is the standard version's published figure, so carelead does not "
                   "estimate it.")


def minimum_otj(apprenticeship: Apprenticeship, weekly_hours) -> dict:
    """The §4 minimum for this apprentice, or why it cannot be given (never an invented figure)."""
    version = apprenticeship.standard_version
    published = version.minimum_otj_hours if apprenticeship.start_date >= rules.PUBLISHED_MINIMUM_FROM else None
    if apprenticeship.start_date >= rules.PUBLISHED_MINIMUM_FROM and published is None:
        return {"hours": None, "reason": MINIMUM_UNKNOWN.format(version=version)}
    if weekly_hours is None:
        return {"hours": None, "reason": "Not known: no contracted weekly hours are recorded."}
    try:
        hours = rules.minimum_otj_hours(
            start=apprenticeship.start_date, practical_period_end=apprenticeship.practical_period_end,
            weekly_hours=weekly_hours.hours, published_minimum=published, rpl_reduction=apprenticeship.rpl_hours)
    except ValueError as error:
        return {"hours": None, "reason": f"Not known: {error}."}
    return {"hours": hours, "reason": ""}


def weekly_hours_history(apprenticeship: Apprenticeship) -> list[WeeklyHours]:
    """The contracted hours, latest first."""
    return list(apprenticeship.weekly_hours.order_by("-from_date"))


def current_weekly_hours(history: list[WeeklyHours], today) -> WeeklyHours | None:
    """The latest entry from on or before today (history latest first); else the earliest planned."""
    return next((entry for entry in history if entry.from_date <= today), history[-1] if history else None)


def enrollable_staff(employer: Organisation) -> QuerySet:
    """The employer's current staff, whom a coach may enrol as apprentices."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        memberships__organisation=employer, memberships__ended_at__isnull=True).distinct().order_by("full_name")


def staff_with_emails(employer: Organisation, emails) -> list | None:
    """The employer's current staff with these email addresses (one query; emails are stored lower
    case), or None when any of them is not one of its current staff."""
    wanted = {email.strip().lower() for email in emails if email.strip()}
    if not wanted:
        return []
    found = list(enrollable_staff(employer).filter(email__in=wanted))
    return found if len(found) == len(wanted) else None


def providers_enrolling_for(user) -> QuerySet[Organisation]:
    """The training providers where this user enrols apprentices (APPRENTICESHIP_MANAGE there)."""
    return organisations_granting(user, Perm.APPRENTICESHIP_MANAGE).filter(kind=OrganisationKind.TRAINING_PROVIDER)


def employers_for_enrolment() -> QuerySet[Organisation]:
    """The organisations that employ apprentices: care providers and individual employers."""
    return Organisation.objects.exclude(kind=OrganisationKind.TRAINING_PROVIDER).order_by("name")
