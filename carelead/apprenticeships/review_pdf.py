"""A progress review as a printed document: an A4 PDF rendered by WeasyPrint from an HTML template
(the approach of careplans/pdf.py).

Nothing is fetched while rendering: the stylesheet is a template of our own passed in as a string,
fonts come from the system, and every URL the document might name is refused, so a review can never
make the server reach the network or read a file it chose. Anyone who may see the apprenticeship
may print its reviews; each print is audited as an export.
"""

from datetime import date

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from carelead.apprenticeships.models import ActionOwner, ReviewStatus
from carelead.apprenticeships.review_selectors import signature_rows
from carelead.core import audit
from carelead.core import pdf as core_pdf
from carelead.core.actor import Actor
from carelead.core.models import Action

STYLESHEET = "apprenticeships/reviews/print.css"


Printing = core_pdf.Printing  # who printed the review and when, in every page's footer


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def prefill_display(prefill: dict) -> dict:
    """The stored pre-fill (JSON: ISO dates, hours as strings) with dates as dates for templates."""
    window = prefill.get("window") or {}
    last = prefill.get("last_review")
    owners = dict(ActionOwner.choices)
    return {
        "window_from": _day(window.get("from")), "window_to": _day(window.get("to")),
        "last_review": {**last, "held_on": _day(last.get("held_on"))} if last else None,
        "otj": prefill.get("otj") or {},
        "sessions": [{**row, "date": _day(row.get("date"))} for row in prefill.get("sessions", [])],
        "ksbs": prefill.get("ksbs", []),
        "last_actions": [{**row, "due_on": _day(row.get("due_on")),
                          "owner_label": row.get("owner_label") or owners.get(row.get("owner"), ""),
                          "due_on_display": _shown(_day(row.get("due_on")))}
                         for row in prefill.get("last_actions", [])],
    }


def _shown(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def pdf_filename(apprenticeship, review) -> str:
    """progress-review-<n>-<surname-ish>.pdf, safe in a Content-Disposition header."""
    return f"progress-review-{review.number}-{slugify(apprenticeship.apprentice.full_name) or 'apprentice'}.pdf"


def review_html(*, apprenticeship, review, printing: Printing) -> str:
    """The review as the HTML WeasyPrint lays out (also what tests read, without a PDF)."""
    return render_to_string("apprenticeships/reviews/print_review.html", {
        "apprenticeship": apprenticeship, "review": review, "printing": printing,
        "prefill": prefill_display(review.prefill), "actions": list(review.actions.all()),
        "signatures": signature_rows(review), "locked": review.status == ReviewStatus.SIGNED,
    })


def html_to_pdf(html: str) -> bytes:
    """Lay out `html` on A4 with the review stylesheet; any URL in the document is refused, not fetched."""
    return core_pdf.html_to_pdf(html, stylesheet=render_to_string(STYLESHEET), what="progress review")


def pdf_response(request, apprenticeship, review) -> HttpResponse:
    """The PDF as a response, audited as an export by the person who printed it."""
    printing = Printing(by=request.user.full_name, on=timezone.localdate())
    document = html_to_pdf(review_html(apprenticeship=apprenticeship, review=review, printing=printing))
    audit.record(Actor.from_request(request), Action.EXPORT, review, details={
        "format": "pdf", "number": review.number, "status": review.status})
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(apprenticeship, review)}"'
    response["Cache-Control"] = "no-store"
    return response
