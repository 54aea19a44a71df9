"""Finding and removing one scale data set (its organisations, their people and staff)."""

import re

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from carelead.accounts.models import User
from carelead.core.management.scale_apprenticeships import delete_scale_apprenticeships
from carelead.core.management.scale_plan import scale_domain
from carelead.core.models import AuditEvent
from carelead.organisations.models import Invitation, Location, Membership, Organisation
from carelead.people.models import Person


def scale_organisations(prefix: str) -> QuerySet[Organisation]:
    """The organisations a scale run with this prefix makes: "<prefix>" or "<prefix> <n>"."""
    return Organisation.objects.filter(Q(name=prefix) | Q(name__regex=rf"^{re.escape(prefix)} [0-9]+$"))


def scale_accounts(prefix: str) -> QuerySet:
    return User.objects.filter(email__endswith=f"@{scale_domain(prefix)}")


def scale_exists(prefix: str) -> bool:
    return scale_organisations(prefix).exists() or scale_accounts(prefix).exists()


@transaction.atomic
def delete_scale_data(prefix: str) -> dict[str, int]:
    """Remove the data set made with this prefix, and nothing else; returns rows removed per kind."""
    organisations = scale_organisations(prefix)
    locations = Location.objects.filter(organisation__in=organisations)
    people = Person.objects.filter(location__in=locations)
    accounts = scale_accounts(prefix)
    removed = delete_scale_apprenticeships(prefix)  # first: apprenticeships protect their staff
    removed |= {
        "audit events": _delete_audit_events(
            AuditEvent.objects.filter(Q(location__in=locations) | Q(person__in=people) | Q(actor__in=accounts))
        ),
    }
    removed |= _delete_care_records(people)
    removed["people"] = people.count()
    people.delete()
    Invitation.objects.filter(organisation__in=organisations).delete()
    _, by_model = Membership.objects.filter(Q(organisation__in=organisations) | Q(user__in=accounts)).delete()
    removed["memberships"] = by_model.get(Membership._meta.label, 0)
    removed["staff"] = accounts.count()
    accounts.delete()
    removed["locations"] = locations.delete()[0]
    removed["organisations"] = organisations.delete()[0]
    return removed


def _delete_care_records(people: QuerySet) -> dict[str, int]:
    """What seed_scale wrote for each person (scale_care), children before the records they name.
    Plans take their sections, actions, versions and links to risks with them (CASCADE)."""
    from carelead.assessments.models import (
        BestInterestsDecision, CapacityAssessment, DolsApplication, NeedsAssessment, ToolScoreRecord,
    )
    from carelead.careplans.models import CarePlan, CarePlanReview, RiskAssessment

    removed = {"DoLS applications": DolsApplication.objects.filter(person__in=people).delete()[0]}
    BestInterestsDecision.objects.filter(capacity_assessment__person__in=people).delete()
    removed["capacity assessments"] = CapacityAssessment.objects.filter(person__in=people).delete()[0]
    CarePlanReview.objects.filter(plan__person__in=people).delete()
    removed["care plan rows"] = CarePlan.objects.filter(person__in=people).delete()[0]
    removed["risks"] = RiskAssessment.objects.filter(person__in=people).delete()[0]
    removed["needs assessment rows"] = NeedsAssessment.objects.filter(person__in=people).delete()[0]
    removed["tool scores"] = ToolScoreRecord.objects.filter(person__in=people).delete()[0]
    return removed


def _delete_audit_events(events: QuerySet) -> int:
    """The trail refuses deletes through the ORM, on purpose. Synthetic scale history is the one
    exception, removed here by SQL naming exactly the rows that belong to the scale data set."""
    table = AuditEvent._meta.db_table
    select, params = events.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)} WHERE id IN ({select})", params)
        return cursor.rowcount
