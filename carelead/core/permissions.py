"""Roles and permissions: the vocabulary and the role table. No database access here.

Roles are held through a Membership (organisation, role, locations). Whether a user may do
something for a person is always "does the user hold a current role granting the permission at
that person's location" (`organisations.selectors.locations_granting`).
"""

from collections.abc import Mapping
from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    CARE_WORKER = "care_worker", "Care worker"
    SENIOR_CARER = "senior_carer", "Senior carer"
    LEAD_PRACTITIONER = "lead_practitioner", "Lead practitioner"
    REGISTERED_MANAGER = "registered_manager", "Registered manager"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    SKILLS_COACH = "skills_coach", "Skills coach"
    EMPLOYER_CONTACT = "employer_contact", "Employer contact"
    EPA_ASSESSOR = "epa_assessor", "End-point assessor"
    IQA = "iqa", "Internal quality assurer"
    ORG_ADMIN = "org_admin", "Organisation admin"


class Perm(StrEnum):
    # People supported and their records
    PERSON_VIEW = "person.view"
    PERSON_CREATE = "person.create"
    PERSON_EDIT = "person.edit"
    ABOUT_ME_EDIT = "about_me.edit"
    # Scoring a standard tool (NEWS2, Waterlow...) in a person's record: every care role observes
    SCORE_RECORD = "score.record"
    # The audit trail of people's records
    AUDIT_VIEW = "audit.view"
    # The organisation itself
    LOCATION_VIEW = "location.view"
    LOCATION_MANAGE = "location.manage"
    STAFF_VIEW = "staff.view"
    STAFF_MANAGE = "staff.manage"
    # Apprenticeship programme records (issue 5): never care records. Judged per organisation: the
    # coach's provider, the employer contact's or manager's care organisation. An apprentice reads
    # their own by relationship, with no role permission (like OWN_ACCOUNT).
    APPRENTICESHIP_VIEW = "apprenticeship.view"
    APPRENTICESHIP_MANAGE = "apprenticeship.manage"
    # Internal quality assurance at a training provider (issue 6): sampling policies and plans, and
    # reading and signing decisions on the sampled evidence of the provider's coaches. Judged per
    # organisation (the provider); it opens no apprenticeship beyond the items sampled.
    IQA_MANAGE = "iqa.manage"
    # A signed-in, MFA-verified user's own account (tokens, password); every staff member has it.
    OWN_ACCOUNT = "own_account"


_CARE_WORKER = frozenset({Perm.PERSON_VIEW, Perm.ABOUT_ME_EDIT, Perm.SCORE_RECORD, Perm.LOCATION_VIEW})
_SENIOR = _CARE_WORKER | {Perm.PERSON_EDIT}
_LEAD = _SENIOR | {Perm.PERSON_CREATE, Perm.STAFF_VIEW}

ROLE_PERMS: Mapping[str, frozenset[Perm]] = {
    Role.CARE_WORKER: _CARE_WORKER,
    Role.SENIOR_CARER: _SENIOR,
    Role.LEAD_PRACTITIONER: _LEAD,
    Role.REGISTERED_MANAGER: _LEAD | {Perm.AUDIT_VIEW, Perm.APPRENTICESHIP_VIEW},
    Role.SAFEGUARDING_LEAD: _CARE_WORKER,
    # Training-provider and assessment roles see no care records: a coach enrols apprentices and
    # sees their own apprentices' programme records; an employer contact their organisation's.
    Role.SKILLS_COACH: frozenset({Perm.APPRENTICESHIP_VIEW, Perm.APPRENTICESHIP_MANAGE}),
    Role.EMPLOYER_CONTACT: frozenset({Perm.STAFF_VIEW, Perm.APPRENTICESHIP_VIEW}),
    Role.EPA_ASSESSOR: frozenset(),
    # The internal quality assurer sees only the sampled evidence of their provider's coaches and
    # the policy, plan and compliance pages (iqa_selectors), never a whole apprenticeship.
    Role.IQA: frozenset({Perm.IQA_MANAGE}),
    # Users, roles, locations and settings; no care records by default. Apprenticeships too: the
    # person who employs a Lead PA is their organisation's admin, and signs for the employer.
    Role.ORG_ADMIN: frozenset({Perm.LOCATION_VIEW, Perm.LOCATION_MANAGE, Perm.STAFF_VIEW, Perm.STAFF_MANAGE,
                               Perm.APPRENTICESHIP_VIEW}),
}

# Permissions a membership can be granted on top of its role, named by the Membership field that
# holds the grant. An org admin sees the audit trail only when given this grant.
GRANTABLE: Mapping[Perm, str] = {Perm.AUDIT_VIEW: "audit_access"}

# Permissions judged per organisation (the admin's own organisation) rather than per location.
ORGANISATION_PERMS = frozenset({Perm.LOCATION_MANAGE, Perm.STAFF_VIEW, Perm.STAFF_MANAGE,
                                Perm.APPRENTICESHIP_VIEW, Perm.APPRENTICESHIP_MANAGE, Perm.IQA_MANAGE})


def roles_granting(perm: Perm) -> list[str]:
    """The roles whose table entry includes `perm`."""
    return [str(role) for role, perms in ROLE_PERMS.items() if perm in perms]


def perms_of(role: str, *, grants: frozenset[str] = frozenset()) -> frozenset[Perm]:
    """What a membership with this role and these grant fields allows."""
    extra = {perm for perm, field in GRANTABLE.items() if field in grants}
    return ROLE_PERMS.get(role, frozenset()) | extra
