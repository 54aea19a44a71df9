"""The care plan as a printed document: an A4 PDF rendered by WeasyPrint from an HTML template.

Nothing is fetched while rendering: the stylesheet is read from our own static files and passed in,
fonts come from the system (fontconfig), and every URL the document might name is refused, so a
plan can never make the server reach the network or read a file it chose.
"""

from datetime import date
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.text import slugify

from carelead.careplans import rules
from carelead.careplans.models import CarePlan, CarePlanSection, PlanStatus, RiskAssessment
from carelead.core import pdf as core_pdf

STYLESHEET = "careplans/print.css"


Printing = core_pdf.Printing  # who printed the plan and when, in every page's footer


def current_plan_for_print(person) -> CarePlan | None:
    """The person's active plan with everything the printed page shows, in a fixed number of queries."""
    sections = CarePlanSection.objects.prefetch_related("actions", "risks")
    return (CarePlan.objects.filter(person=person, status=PlanStatus.ACTIVE)
            .select_related("approved_by", "created_by")
            .prefetch_related(Prefetch("sections", queryset=sections))
            .first())


def highest_risk_first(risks) -> list[RiskAssessment]:
    """Risks as a reader should meet them: the highest rating with the controls in place first, then
    the highest before them (NPSA 2008 scores), then by title."""
    return sorted(risks, key=lambda risk: (-risk.residual_score, -risk.score, risk.title))


def review_words(review_on: date, today: date) -> str:
    """A review date's state in words, never colour alone: "In date", "Due" or "Overdue"."""
    return rules.review_tag(review_on, today)[0]


def approval_words(plan: CarePlan) -> str:
    """"approved" when the current version is the one approved, else "awaiting approval"."""
    return "approved" if plan.is_approved else "awaiting approval"


def pdf_filename(person, printed_on: date) -> str:
    """care-plan-<surname>-<yyyy-mm-dd>.pdf, safe in a Content-Disposition header."""
    return f"care-plan-{slugify(person.family_name) or 'person'}-{printed_on:%Y-%m-%d}.pdf"


def plan_html(*, person, plan: CarePlan, printing: Printing) -> str:
    """The plan as the HTML WeasyPrint lays out (also what tests read, without a PDF)."""
    sections = [
        {"section": section, "review": review_words(section.review_on, printing.on),
         "risks": highest_risk_first(section.risks.all())}
        for section in plan.sections.all()
    ]
    return render_to_string("careplans/print_plan.html", {
        "person": person, "plan": plan, "sections": sections, "printing": printing,
        "plan_review": review_words(plan.review_on, printing.on), "approval": approval_words(plan),
    })


def _stylesheet() -> str:
    return Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")


def html_to_pdf(html: str) -> bytes:
    """Lay out `html` on A4 with our print stylesheet; any URL in the document is refused, not fetched."""
    return core_pdf.html_to_pdf(html, stylesheet=_stylesheet(), what="care plan")
