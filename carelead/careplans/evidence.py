"""Practice records of the careplans app that can become apprenticeship evidence (DESIGN.md
"Practice becomes evidence", registry `core.evidence`): risk assessments a user made and care plan
reviews they held.

Summaries come from structure only (the activity, the matrix ratings, the reviewed area, yes/no),
never from a risk's title, hazard or controls or a review's findings: those are free text and may
name the person. Each `items_led_by` is one query, newest first; `item` is None for a record the
user did not lead or an unknown id.
"""

from __future__ import annotations


from django.utils import timezone

from carelead.assessments.models import NeedsArea
from carelead.careplans.models import CarePlanReview, RiskAssessment
from carelead.core.evidence import EvidenceItem, date_bounds, declare, yes_no

RISK, PLAN_REVIEW = "careplans.risk_assessment", "careplans.plan_review"


def _risk_items(user, *, since=None, until=None, public_id=None) -> list[EvidenceItem]:
    """Risk assessments the user made (current or archived), dated when recorded: one query."""
    risks = RiskAssessment.objects.filter(assessed_by=user, **date_bounds("created_at__date", since, until),
                                          **({"public_id": public_id} if public_id else {}))
    return [_risk_item(user, risk) for risk in risks.order_by("-created_at", "-id")]


def _risk_item(user, risk: RiskAssessment) -> EvidenceItem:
    summary = (f"Risk assessment on the 5 x 5 likelihood and severity matrix. Activity: "
               f"{risk.get_activity_display()}. Risk before controls: {risk.rating_label} ({risk.score}); with the "
               f"controls in place: {risk.residual_rating_label} ({risk.residual_score}). Agreed with the person: "
               f"{yes_no(risk.agreed_with_person)}.")
    return EvidenceItem(source=RISK, record_id=str(risk.public_id), led_by_id=user.pk,
                        occurred_on=timezone.localdate(risk.created_at), title="Assessed a risk",
                        summary=summary, themes=("Tasks and responsibilities", "Health and wellbeing"))


def _review_items(user, *, since=None, until=None, public_id=None) -> list[EvidenceItem]:
    """Care plan reviews the user held, with the section reviewed: one query."""
    reviews = (CarePlanReview.objects.filter(reviewed_by=user, **date_bounds("reviewed_on", since, until),
                                             **({"public_id": public_id} if public_id else {}))
               .select_related("section").only("public_id", "reviewed_on", "person_involved", "changes_made",
                                               "section_title", "section__area")
               .order_by("-reviewed_on", "-id"))
    return [_review_item(user, review) for review in reviews]


def _review_item(user, review: CarePlanReview) -> EvidenceItem:
    if review.section is not None:
        what = f"the {NeedsArea(review.section.area).label.lower()} section of a care and support plan"
    elif review.section_title:
        what = "a section of a care and support plan (since removed)"  # its title may name the person
    else:
        what = "a whole care and support plan"
    summary = (f"Reviewed {what}. The person took part: {yes_no(review.person_involved)}. "
               f"Changes made to the plan: {yes_no(review.changes_made.strip())}.")
    return EvidenceItem(source=PLAN_REVIEW, record_id=str(review.public_id), led_by_id=user.pk,
                        occurred_on=review.reviewed_on, title="Reviewed a care and support plan", summary=summary,
                        themes=("Tasks and responsibilities", "Dignity and human rights"))


risk_source = declare(RISK, "Risk assessments", "Risk assessments you made", _risk_items)
review_source = declare(PLAN_REVIEW, "Care plan reviews", "Care and support plan reviews you held", _review_items)
