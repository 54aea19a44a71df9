"""The care plan printed (an A4 PDF) and as a one-screen summary for a care worker starting a shift.

Both only read: anyone who may see the person may print or read their current plan. A person
elsewhere, or a person with no active plan, is a 404. The PDF is audited as an export, the summary
as a view of the plan tab.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from carelead.careplans import pdf, rules
from carelead.careplans.selectors import risk_assessments_of
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.models import CommunicationNeed
from carelead.people.selectors import about_me_of, person_for, records_of

NO_PLAN = "This person has no current care plan"


def _current_plan(request: HttpRequest, public_id):
    person = person_for(request.user, public_id)
    plan = pdf.current_plan_for_print(person)
    if plan is None:
        raise Http404(NO_PLAN)
    return person, plan


@require_GET
@requires(Perm.PERSON_VIEW)
@never_cache
def plan_pdf(request: HttpRequest, public_id) -> HttpResponse:
    person, plan = _current_plan(request, public_id)
    printing = pdf.Printing(by=request.user.full_name, on=timezone.localdate())
    document = pdf.html_to_pdf(pdf.plan_html(person=person, plan=plan, printing=printing))
    audit.record(Actor.from_request(request), Action.EXPORT, plan, person=person,
                 details={"format": "pdf", "version": plan.version})
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.pdf_filename(person, printing.on)}"'
    response["Cache-Control"] = "no-store"  # a health record: never kept by a browser or proxy
    return response


@require_GET
@requires(Perm.PERSON_VIEW)
def plan_summary(request: HttpRequest, public_id) -> HttpResponse:
    person, plan = _current_plan(request, public_id)
    review_label, review_colour = rules.review_tag(plan.review_on, timezone.localdate())
    risks = pdf.highest_risk_first(risk_assessments_of(person))
    audit.record(Actor.from_request(request), Action.VIEW, plan, person=person,
                 details={"tab": "plan", "view": "summary"})
    return render(request, "careplans/summary.html", {
        "person": person, "plan": plan, "risks": risks,
        "communication_needs": records_of(person, CommunicationNeed), "about_me": about_me_of(person),
        "sections": plan.sections.all(),
        "review_label": review_label, "review_colour": review_colour,
    })
