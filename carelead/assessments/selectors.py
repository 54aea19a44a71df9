"""Reads of the assessments app. The person comes from people.selectors.person_for, already scoped
to the user, so these only narrow to that person's records."""

from datetime import datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from carelead.assessments.models import CapacityAssessment, DolsApplication, NeedsAssessment, ToolScoreRecord
from carelead.assessments.tools import TOOLS
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for

NEWEST_FIRST = ("-scored_at", "-id")  # the id breaks ties between scores made in the same second


def scores_for(user, person, *, tool: str | None = None) -> QuerySet[ToolScoreRecord]:
    """The person's saved tool scores, newest first, optionally of one tool, with who scored each.

    `person` must come from `person_for(user, ...)`: that is where the user's scope is checked.
    """
    scores = ToolScoreRecord.objects.filter(person=person).select_related("scored_by")
    if tool:
        scores = scores.filter(tool=tool)
    return scores.order_by(*NEWEST_FIRST)


def latest_scores(person) -> list[ToolScoreRecord]:
    """The newest score of each tool the person has been scored with, in the order of TOOLS.

    One query: for each tool, a subquery picks its newest record's id through the index
    (person, tool, scored_at), so the cost does not grow with the person's history. Plain SQL
    that SQLite and PostgreSQL both run.
    """
    newest = [
        Q(pk=Subquery(
            ToolScoreRecord.objects.filter(person=person, tool=tool).order_by(*NEWEST_FIRST).values("pk")[:1]
        ))
        for tool in TOOLS
    ]
    records = ToolScoreRecord.objects.filter(reduce(or_, newest), person=person).select_related("scored_by")
    order = {tool: position for position, tool in enumerate(TOOLS)}
    return sorted(records, key=lambda record: order[record.tool])


def score_history(person, tool: str, *, limit: int = 50) -> list[tuple[datetime, Decimal]]:
    """The person's last `limit` totals for one tool as (scored_at, total), oldest first, for a chart."""
    newest = ToolScoreRecord.objects.filter(person=person, tool=tool).order_by(*NEWEST_FIRST)
    return list(reversed(newest.values_list("scored_at", "total")[:limit]))


def needs_assessments_of(person) -> QuerySet[NeedsAssessment]:
    """The person's needs assessments, newest first, with who led each and how many sections it has.

    `person` must come from `person_for(user, ...)`: that is where the user's scope is checked.
    """
    return (NeedsAssessment.objects.filter(person=person).select_related("led_by")
            .annotate(section_count=Count("sections")).order_by("-started_at", "-id"))


def needs_assessment_for(user, person_public_id, assessment_public_id, *, perm: Perm = Perm.PERSON_VIEW):
    """(person, assessment): a 404 if the person is not this user's to reach with `perm`, or the
    assessment is not theirs."""
    person = person_for(user, person_public_id, perm=perm)
    assessment = get_object_or_404(
        NeedsAssessment.objects.select_related("led_by"), person=person, public_id=assessment_public_id,
    )
    assessment.person = person
    return person, assessment


def capacity_assessments_of(person) -> QuerySet[CapacityAssessment]:
    """The person's capacity assessments, newest first, with the assessor and any best-interests
    decision. `person` must come from `person_for(user, ...)`."""
    return (CapacityAssessment.objects.filter(person=person)
            .select_related("assessor", "best_interests_decision", "best_interests_decision__decision_maker")
            .order_by("-assessed_at", "-id"))


def capacity_assessment_for(user, person_public_id, assessment_public_id, *, perm: Perm = Perm.PERSON_VIEW):
    """(person, assessment): a 404 if the person is not this user's to reach with `perm`, or the
    assessment is not theirs."""
    person = person_for(user, person_public_id, perm=perm)
    assessment = get_object_or_404(capacity_assessments_of(person), public_id=assessment_public_id)
    assessment.person = person
    return person, assessment


def dols_applications_of(person) -> QuerySet[DolsApplication]:
    """The person's Deprivation of Liberty Safeguards applications, newest request first, with who
    recorded each. `person` must come from `person_for(user, ...)`."""
    return (DolsApplication.objects.filter(person=person).select_related("recorded_by", "capacity_assessment")
            .order_by("-applied_on", "-id"))


def dols_application_for(user, person_public_id, application_public_id, *, perm: Perm = Perm.PERSON_VIEW):
    """(person, application): a 404 if the person is not this user's to reach with `perm`, or the
    application is not theirs."""
    person = person_for(user, person_public_id, perm=perm)
    application = get_object_or_404(dols_applications_of(person), public_id=application_public_id)
    application.person = person
    return person, application
