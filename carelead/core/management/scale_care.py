"""The care records of each scale person (issue 4), written in bulk: a completed needs assessment
with its sections, one care plan built from it (3-6 sections of 1-3 support actions, version 1
with its snapshot), risks linked to plan sections, Waterlow / MUST / NEWS2 scores, capacity
assessments and, in care homes, DoLS authorisations.

Dates are spread as in a working service, so the status page has something to count: about 10% of
plan reviews overdue and 10% due, some risks, sections, reassessments and capacity reviews overdue,
some DoLS renewals due or expired. People who have moved on or died keep an archived plan.
bulk_create skips the models' save(), so each row is given its person's location here.
Tool scores are scored by `assessments.tools.score`, so every stored total is the tool's own.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from carelead.assessments.models import (
    CapacityAssessment, DolsApplication, NeedsArea, NeedsAssessment, NeedsAssessmentSection, SupportLevel,
    ToolScoreRecord,
)
from carelead.assessments.services import TOOL_VERSIONS
from carelead.assessments.tools import score
from carelead.careplans.models import (
    CarePlan, CarePlanSection, CarePlanVersion, PersonAgreement, PlanStatus, RiskActivity, RiskAssessment,
    SupportAction,
)
from carelead.careplans.plan_services import snapshot
from carelead.careplans.rules import DEFAULT_REVIEW_INTERVAL_DAYS, DUE_SOON_DAYS
from carelead.core.management.synthetic import uuid_from
from carelead.people.models import PersonStatus

ASSESSED_SHARE = 0.9  # people with a completed needs assessment (the rest: a plan written before carelead)
OVERDUE_SHARE = 0.1
DUE_SHARE = 0.1
RISK_SHARE = 0.4
CAPACITY_SHARE = 0.2
LACKS_CAPACITY_SHARE = 0.5
DOLS_EXPIRED_SHARE = 0.1
DOLS_RENEWAL_SHARE = 0.15
TOOL_SCORES = ("waterlow", "must", "news2")

AREA_TEXT = {
    NeedsArea.MOBILITY_AND_FALLS: ("Walks with a frame; unsteady when tired", "Walk safely to the garden",
                                   "Walking frame within reach; walk beside her", "Staff on shift"),
    NeedsArea.NUTRITION_AND_HYDRATION: ("Poor appetite since a chest infection", "Enjoy my meals and keep my weight",
                                        "Offer small meals and snacks; record fluids", "Kitchen and care staff"),
    NeedsArea.SKIN: ("At risk of pressure damage to heels", "Not get sore again",
                     "Help to change position every 4 hours at night", "Night staff"),
    NeedsArea.CONTINENCE: ("Needs prompting to use the toilet", "Stay dry and comfortable",
                           "Prompt every 2 hours in the day", "Care workers"),
    NeedsArea.MEDICATION_SUPPORT: ("Needs medicines given", "Take my tablets on time",
                                   "Give medicines from the MAR chart", "Senior carer"),
    NeedsArea.COGNITION_AND_MEMORY: ("Forgets recent events", "Know what is happening today",
                                     "Talk through the day at breakfast", "Care workers"),
    NeedsArea.SOCIAL_AND_SPIRITUAL: ("Misses church", "Go to church on Sundays",
                                     "Arrange transport to church", "Activities coordinator"),
    NeedsArea.COMMUNICATION_AND_SENSORY: ("Hard of hearing", "Hear what people say to me",
                                          "Check hearing aids each morning", "Care workers"),
}
AREAS = tuple(AREA_TEXT)
RISKS = (
    (RiskActivity.FALLS, "Falls when walking at night", 4, 3, 2, 3),
    (RiskActivity.CHOKING, "Choking on food", 3, 5, 1, 5),
    (RiskActivity.PRESSURE_DAMAGE, "Pressure damage to heels", 3, 3, 2, 3),
    (RiskActivity.MOVING_AND_HANDLING, "Moving and handling with a hoist", 2, 4, 1, 4),
)
DECISIONS = ("Whether to move to a ground-floor room", "Whether to have the flu vaccination",
             "Managing her own medicines", "Where to live after leaving hospital")
SUPERVISORY_BODIES = ("Leeds City Council", "Bradford Council", "Kirklees Council", "Calderdale Council")


@dataclass
class PersonCare:
    """One person's records before they are written (their ids filled in as each batch is saved)."""

    person_id: int
    location_id: int
    status: str
    staff_id: int
    assessment: NeedsAssessment | None = None
    assessment_sections: list[NeedsAssessmentSection] = field(default_factory=list)
    plan: CarePlan | None = None
    sections: list[CarePlanSection] = field(default_factory=list)
    actions: dict[int, list[SupportAction]] = field(default_factory=dict)  # by position of the section
    risks: list[RiskAssessment] = field(default_factory=list)
    linked: dict[int, list[RiskAssessment]] = field(default_factory=dict)  # section position -> its risks


class CareRecordMaker:
    def __init__(self, rng: random.Random, id_rng: random.Random, today: date, now: datetime):
        self.rng, self.id_rng, self.today, self.now = rng, id_rng, today, now

    # --- dates ------------------------------------------------------------------------------------
    def review_date(self, *, due_share: float = DUE_SHARE, far: int = DEFAULT_REVIEW_INTERVAL_DAYS) -> date:
        """Overdue (yesterday to 30 days ago), due (today to DUE_SOON_DAYS ahead) or in date."""
        roll = self.rng.random()
        if roll < OVERDUE_SHARE:
            return self.today - timedelta(days=self.rng.randint(1, 30))
        if roll < OVERDUE_SHARE + due_share:
            return self.today + timedelta(days=self.rng.randint(0, DUE_SOON_DAYS))
        return self.today + timedelta(days=self.rng.randint(DUE_SOON_DAYS + 1, max(far, DUE_SOON_DAYS + 2)))

    # --- one batch of people ----------------------------------------------------------------------
    def write(self, people: list[tuple[int, int, str, int]], care_homes: set[int]) -> dict[str, int]:
        """Write every record for (person id, location id, status, staff id) rows; one transaction."""
        cares = [PersonCare(person_id, location_id, status, staff_id)
                 for person_id, location_id, status, staff_id in people]
        with transaction.atomic():
            counts = self._assessments(cares)
            counts |= self._plans(cares)
            counts |= self._risks(cares)
            counts["versions"] = len(CarePlanVersion.objects.bulk_create([self.version(care) for care in cares]))
            counts["tool scores"] = len(ToolScoreRecord.objects.bulk_create(
                [row for care in cares for row in self.tool_scores(care)]))
            counts |= self._capacity(cares, care_homes)
        return counts

    def _assessments(self, cares: list[PersonCare]) -> dict[str, int]:
        for care in cares:
            if self.rng.random() < ASSESSED_SHARE:
                care.assessment = self.assessment(care)
        assessed = [care for care in cares if care.assessment]
        NeedsAssessment.objects.bulk_create([care.assessment for care in assessed])
        for care in assessed:
            care.assessment_sections = [self.assessment_section(care, area)
                                        for area in self.rng.sample(AREAS, self.rng.randint(3, 6))]
        sections = [section for care in assessed for section in care.assessment_sections]
        NeedsAssessmentSection.objects.bulk_create(sections)
        return {"needs assessments": len(assessed), "needs sections": len(sections)}

    def _plans(self, cares: list[PersonCare]) -> dict[str, int]:
        for care in cares:
            care.plan = self.plan(care)
        CarePlan.objects.bulk_create([care.plan for care in cares])
        for care in cares:
            sources = care.assessment_sections or [None] * self.rng.randint(3, 6)
            areas = [s.area for s in care.assessment_sections] or self.rng.sample(AREAS, len(sources))
            care.sections = [self.plan_section(care, area, source, position)
                             for position, (area, source) in enumerate(zip(areas, sources))]
        sections = [section for care in cares for section in care.sections]
        CarePlanSection.objects.bulk_create(sections)
        for care in cares:
            care.actions = {section.position: self.actions(section) for section in care.sections}
        actions = [action for care in cares for rows in care.actions.values() for action in rows]
        SupportAction.objects.bulk_create(actions)
        return {"care plans": len(cares), "plan sections": len(sections), "support actions": len(actions)}

    def _risks(self, cares: list[PersonCare]) -> dict[str, int]:
        for care in cares:
            if self.rng.random() < RISK_SHARE:
                care.risks = [self.risk(care, row) for row in self.rng.sample(RISKS, self.rng.randint(1, 2))]
        risks = [risk for care in cares for risk in care.risks]
        RiskAssessment.objects.bulk_create(risks)
        through = CarePlanSection.risks.through
        links = []
        for care in cares:
            for risk in care.risks:
                section = self.rng.choice(care.sections)
                care.linked.setdefault(section.position, []).append(risk)
                links.append(through(careplansection_id=section.pk, riskassessment_id=risk.pk))
        through.objects.bulk_create(links)
        return {"risks": len(risks), "risk links": len(links)}

    def _capacity(self, cares: list[PersonCare], care_homes: set[int]) -> dict[str, int]:
        assessments = [(care, self.capacity(care)) for care in cares if self.rng.random() < CAPACITY_SHARE]
        CapacityAssessment.objects.bulk_create([assessment for _, assessment in assessments])
        dols = [self.dols(care, assessment) for care, assessment in assessments
                if assessment.lacks_capacity and care.location_id in care_homes]
        DolsApplication.objects.bulk_create(dols)
        return {"capacity assessments": len(assessments), "DoLS authorisations": len(dols)}

    # --- rows -------------------------------------------------------------------------------------
    def assessment(self, care: PersonCare) -> NeedsAssessment:
        review_on = self.review_date(due_share=0.05, far=180)
        completed = min(review_on - timedelta(days=DEFAULT_REVIEW_INTERVAL_DAYS), self.today - timedelta(days=1))
        completed -= timedelta(days=self.rng.randint(0, 150))
        return NeedsAssessment(
            person_id=care.person_id, location_id=care.location_id, led_by_id=care.staff_id,
            status=NeedsAssessment.Status.COMPLETED,
            started_at=self.now - timedelta(days=(self.today - completed).days + 7), completed_on=completed,
            review_on=review_on, public_id=uuid_from(self.id_rng),
        )

    def assessment_section(self, care: PersonCare, area: str) -> NeedsAssessmentSection:
        need, outcome, _, _ = AREA_TEXT[area]
        return NeedsAssessmentSection(
            assessment=care.assessment, area=area, persons_view=outcome, strengths="Knows what helps",
            needs=need, support_level=self.rng.choice(SupportLevel.values), contributed_by_id=care.staff_id,
        )

    def plan(self, care: PersonCare) -> CarePlan:
        active = care.status in (PersonStatus.ACTIVE, PersonStatus.IN_HOSPITAL)
        review_on = self.review_date()
        return CarePlan(
            person_id=care.person_id, location_id=care.location_id, needs_assessment=care.assessment,
            status=PlanStatus.ACTIVE if active else PlanStatus.ARCHIVED,
            summary="Staying close to family and keeping as independent as possible",
            person_involvement="Talked it through with the person and their family",
            agreement=self.rng.choice((PersonAgreement.AGREED, PersonAgreement.AGREED_WITH_SUPPORT,
                                       PersonAgreement.REPRESENTATIVE_AGREED)),
            review_interval_days=DEFAULT_REVIEW_INTERVAL_DAYS, review_on=review_on,
            last_reviewed_on=review_on - timedelta(days=DEFAULT_REVIEW_INTERVAL_DAYS), created_by_id=care.staff_id,
            approved_version=1, approved_by_id=care.staff_id, approved_at=self.now - timedelta(days=30),
            public_id=uuid_from(self.id_rng),
        )

    def plan_section(self, care: PersonCare, area: str, source, position: int) -> CarePlanSection:
        need, outcome, _, _ = AREA_TEXT[area]
        overdue = self.rng.random() < OVERDUE_SHARE / 2
        review_on = self.today - timedelta(days=self.rng.randint(1, 20)) if overdue else care.plan.review_on
        return CarePlanSection(
            plan=care.plan, location_id=care.location_id, area=area, title=NeedsArea(area).label, assessed_need=need,
            strengths="Knows what helps",
            outcome=outcome, source_section=source, review_on=review_on, position=position,
            public_id=uuid_from(self.id_rng),
        )

    def actions(self, section: CarePlanSection) -> list[SupportAction]:
        _, _, what, who = AREA_TEXT[section.area]
        return [SupportAction(section=section, what=what if n == 0 else f"{what} (step {n + 1})", who=who,
                              when=self.rng.choice(("Every morning", "At each meal", "Every 4 hours", "Weekly")),
                              how="Ask first and go at the person's pace", position=n, public_id=uuid_from(self.id_rng))
                for n in range(self.rng.randint(1, 3))]

    def risk(self, care: PersonCare, row) -> RiskAssessment:
        activity, title, likelihood, severity, residual_likelihood, residual_severity = row
        return RiskAssessment(
            person_id=care.person_id, location_id=care.location_id, activity=activity, title=title, hazard=title,
            who_is_at_risk="The person",
            likelihood=likelihood, severity=severity, controls="Controls agreed in the care plan",
            residual_likelihood=residual_likelihood, residual_severity=residual_severity, agreed_with_person=True,
            review_on=self.review_date(due_share=0.05, far=90), assessed_by_id=care.staff_id,
            public_id=uuid_from(self.id_rng),
        )

    def version(self, care: PersonCare) -> CarePlanVersion:
        """Version 1 of the plan, its snapshot made by the same function the plan services use."""
        for section in care.sections:
            section._prefetched_objects_cache = {"actions": care.actions[section.position],
                                                 "risks": care.linked.get(section.position, [])}
        return CarePlanVersion(plan=care.plan, version=care.plan.version, saved_by_id=care.staff_id,
                               saved_at=care.plan.approved_at, change="Built the plan from the needs assessment",
                               snapshot=snapshot(care.plan, care.sections))

    def tool_scores(self, care: PersonCare) -> list[ToolScoreRecord]:
        rows = []
        for tool in TOOL_SCORES:
            for n in range(self.rng.randint(1, 2)):
                inputs = self.tool_inputs(tool)
                result = score(tool, inputs)
                rows.append(ToolScoreRecord(
                    person_id=care.person_id, tool=tool, inputs=inputs, total=Decimal(result.total),
                    category=result.category, tool_version=TOOL_VERSIONS.get(tool, ""), scored_by_id=care.staff_id,
                    scored_at=self.now - timedelta(days=self.rng.randint(1, 60) + 60 * n),
                    public_id=uuid_from(self.id_rng),
                ))
        return rows

    def tool_inputs(self, tool: str) -> dict:
        rng = self.rng
        if tool == "waterlow":
            return {
                "build": rng.choice(("average", "above_average", "obese", "below_average")),
                "skin_type": [rng.choice(("healthy", "tissue_paper", "dry", "oedematous"))],
                "sex": rng.choice(("male", "female")), "age": rng.randint(50, 98),
                "continence": rng.choice(("complete_or_catheterised", "urinary")),
                "mobility": rng.choice(("fully", "restless_fidgety", "apathetic", "restricted")),
                "weight_lost_recently": "no", "weight_loss_band": None, "eating_poorly": rng.random() < 0.3,
                "tissue_malnutrition": [], "neurological_deficit_points": 0, "orthopaedic_spinal_surgery": False,
                "theatre_time": "none", "high_risk_medication": False,
            }
        if tool == "must":
            return {"bmi": round(rng.uniform(16.5, 32.0), 1), "weight_loss_percent": round(rng.uniform(0, 8), 1),
                    "acute_disease_no_intake_over_5_days": False}
        return {
            "respiration_rate": rng.randint(12, 24), "spo2": rng.randint(92, 99), "spo2_scale": 1, "on_oxygen": False,
            "systolic_bp": rng.randint(100, 160), "pulse": rng.randint(55, 105), "consciousness": "A",
            "temperature": round(rng.uniform(36.0, 38.2), 1),
        }

    def capacity(self, care: PersonCare) -> CapacityAssessment:
        lacks = self.rng.random() < LACKS_CAPACITY_SHARE
        evidence = "Could not say what the choice involved after three explanations" if lacks else ""
        return CapacityAssessment(
            person_id=care.person_id, location_id=care.location_id, decision=self.rng.choice(DECISIONS),
            assessor_id=care.staff_id,
            assessed_at=self.now - timedelta(days=self.rng.randint(30, 300)),
            practicable_steps="Explained with pictures at a time of day she is most alert",
            can_understand=not lacks, understand_evidence=evidence, can_retain=True, can_use_or_weigh=not lacks,
            use_or_weigh_evidence=evidence, can_communicate=True,
            impairment_present=True if lacks else None, impairment_evidence="Diagnosed dementia" if lacks else "",
            causal_link=True if lacks else None, causal_link_evidence="Memory loss stops her weighing it" if lacks else "",
            outcome=CapacityAssessment.Outcome.LACKS_CAPACITY if lacks else CapacityAssessment.Outcome.HAS_CAPACITY,
            review_on=self.review_date(due_share=0.05, far=180) if self.rng.random() < 0.6 else None,
            public_id=uuid_from(self.id_rng),
        )

    def dols(self, care: PersonCare, assessment: CapacityAssessment) -> DolsApplication:
        roll = self.rng.random()
        if roll < DOLS_EXPIRED_SHARE:
            until = self.today - timedelta(days=self.rng.randint(1, 20))
        elif roll < DOLS_EXPIRED_SHARE + DOLS_RENEWAL_SHARE:
            until = self.today + timedelta(days=self.rng.randint(0, 28))
        else:
            until = self.today + timedelta(days=self.rng.randint(29, 330))
        authorised_from = until - timedelta(days=self.rng.choice((180, 270, 364)))
        return DolsApplication(
            person_id=care.person_id, location_id=care.location_id, capacity_assessment=assessment,
            kind=DolsApplication.Kind.STANDARD,
            supervisory_body=self.rng.choice(SUPERVISORY_BODIES), reference=f"DOLS-{self.rng.randint(10000, 99999)}",
            reason="Needs continuous supervision and would not be free to leave", status=DolsApplication.Status.GRANTED,
            applied_on=authorised_from - timedelta(days=30), decided_on=authorised_from, authorised_from=authorised_from,
            authorised_until=until, cqc_notified_on=authorised_from + timedelta(days=1), recorded_by_id=care.staff_id,
            public_id=uuid_from(self.id_rng),
        )
