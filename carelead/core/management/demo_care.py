"""The demo's care records (issue 4), for the first person at Meadowbank House: a completed needs
assessment, a Waterlow score, a care plan built from the assessment by `plan_services.build_plan`
with a falls risk linked to its mobility section, and a DoLS authorisation nearing renewal.

The plan and its section go through the plan services, as a lead practitioner would build them, so
the plan's versions and audit trail are real; the rest is saved directly, as the demo's other records
are. Built only when the person has no care plan, so running seed_demo again changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from carelead.accounts.models import User
from carelead.assessments.models import (
    CapacityAssessment, DolsApplication, NeedsArea, NeedsAssessment, NeedsAssessmentSection, SupportLevel,
    ToolScoreRecord,
)
from carelead.assessments.services import TOOL_VERSIONS
from carelead.assessments.tools import score
from carelead.careplans import plan_services
from carelead.careplans.models import CarePlan, RiskActivity, RiskAssessment
from carelead.core.actor import Actor
from carelead.core.management import demo_content as content
from carelead.people.models import Person

DEMO_LOCATION = "Meadowbank House"
# The card of a frail resident: average build, tissue-paper skin, female, 84, restricted mobility.
WATERLOW_INPUTS = {
    "build": "average", "skin_type": ["tissue_paper"], "sex": "female", "age": 84,
    "continence": "urinary", "mobility": "restricted", "weight_lost_recently": "no", "weight_loss_band": None,
    "eating_poorly": True, "tissue_malnutrition": [], "neurological_deficit_points": 0,
    "orthopaedic_spinal_surgery": False, "theatre_time": "none", "high_risk_medication": False,
}
ASSESSED = (
    (NeedsArea.MOBILITY_AND_FALLS, "I want to walk to the garden room on my own", "Walks with a frame; two falls this year",
     SupportLevel.SOME_HELP),
    (NeedsArea.SKIN, "I don't want to get sore again", "Waterlow 19: high risk of pressure damage to heels",
     SupportLevel.FULL_HELP),
    (NeedsArea.NUTRITION_AND_HYDRATION, "I like tea and something sweet in the afternoon",
     "Poor appetite since a chest infection", SupportLevel.SOME_HELP),
)


def demo_person() -> Person | None:
    return Person.objects.filter(location__name=DEMO_LOCATION,
                                 location__organisation__name=content.DEMO_ORGANISATION).order_by("pk").first()


def seed_demo_care() -> bool:
    """Build the demo person's care records unless they have a care plan already; True when built."""
    person = demo_person()
    if person is None or CarePlan.objects.filter(person=person).exists():
        return False
    _build(person)
    return True


@transaction.atomic
def _build(person: Person) -> None:
    today, now = timezone.localdate(), timezone.now()
    lead = User.objects.get(email=f"lead@{content.DEMO_DOMAIN}")
    actor = Actor(user=lead, via="command")
    assessment = NeedsAssessment.objects.create(
        person=person, led_by=lead, status=NeedsAssessment.Status.COMPLETED, started_at=now - timedelta(days=10),
        completed_on=today - timedelta(days=7),
        review_on=today - timedelta(days=7) + timedelta(days=person.location.organisation.plan_review_interval_days),
    )
    for area, view, needs, level in ASSESSED:
        NeedsAssessmentSection.objects.create(assessment=assessment, area=area, persons_view=view, needs=needs,
                                              strengths="Knows what helps her", support_level=level,
                                              contributed_by=lead)
    result = score("waterlow", WATERLOW_INPUTS)
    ToolScoreRecord.objects.create(person=person, tool="waterlow", inputs=WATERLOW_INPUTS, total=Decimal(result.total),
                                   category=result.category, tool_version=TOOL_VERSIONS["waterlow"], scored_by=lead,
                                   scored_at=now - timedelta(days=8))
    plan = plan_services.build_plan(actor=actor, person=person, assessment=assessment)
    risk = RiskAssessment.objects.create(
        person=person, activity=RiskActivity.FALLS, title="Falls when walking to the garden room",
        hazard="Unsteady when tired; uneven threshold at the garden door", who_is_at_risk="The person",
        likelihood=4, severity=3, controls="Frame within reach; threshold ramp; walk beside her after lunch",
        residual_likelihood=2, residual_severity=3, agreed_with_person=True,
        person_views="Wants to keep walking there herself", review_on=today + timedelta(days=60), assessed_by=lead,
    )
    mobility = plan.sections.get(area=NeedsArea.MOBILITY_AND_FALLS)
    plan_services.save_section(
        actor=actor, plan=plan, seen_version=plan.version, section=mobility, risk_ids=[risk.public_id],
        actions=[{"what": "Walk beside her to the garden room after lunch", "who": "Care workers on the day shift",
                  "when": "Every afternoon", "how": "Let her set the pace; frame on her right"}],
    )
    _dols(person, lead, today, now)


def _dols(person: Person, lead, today, now) -> None:
    capacity = CapacityAssessment.objects.create(
        person=person, decision="Whether to live at Meadowbank House with its locked front door",
        assessor=lead, assessed_at=now - timedelta(days=330),
        practicable_steps="Talked it through with her daughter present, at her best time of day",
        can_understand=False, understand_evidence="Could not say why she lives here after three explanations",
        can_retain=False, retain_evidence="Had forgotten the conversation within minutes",
        can_use_or_weigh=False, use_or_weigh_evidence="Could not weigh going out alone against the risks",
        can_communicate=True, impairment_present=True, impairment_evidence="Alzheimer's disease (GP diagnosis)",
        causal_link=True, causal_link_evidence="Her memory loss is why she cannot retain or weigh the information",
        outcome=CapacityAssessment.Outcome.LACKS_CAPACITY, review_on=today + timedelta(days=20),
    )
    authorised_from = today - timedelta(days=345)
    DolsApplication.objects.create(
        person=person, capacity_assessment=capacity, kind=DolsApplication.Kind.STANDARD,
        supervisory_body="Leeds City Council", reference="DOLS-24117", applied_on=authorised_from - timedelta(days=40),
        reason="Under continuous supervision and would be stopped from leaving alone",
        status=DolsApplication.Status.GRANTED, decided_on=authorised_from, authorised_from=authorised_from,
        authorised_until=today + timedelta(days=19), conditions="Weekly walks out with staff or family",
        cqc_notified_on=authorised_from + timedelta(days=1), recorded_by=lead,
    )
