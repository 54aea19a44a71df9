"""Attendance import pages (issue 5, "Import attendance"): upload a Teams or Zoom report for a
session, read the per-row report and the proposed off-the-job entries, then confirm (everything
is saved, or nothing) or discard. Only the session's organiser, while a coach of its training
provider, reaches them; anyone else gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from carelead.apprenticeships import attendance_services, session_selectors
from carelead.apprenticeships.attendance_services import OUTCOME_COLOURS, OUTCOME_LABELS, ImportConflict
from carelead.apprenticeships.models import ImportStatus, OtjStatus
from carelead.apprenticeships.session_forms import AttendanceUploadForm
from carelead.apprenticeships.session_views import managed_session
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm


@require_http_methods(["GET", "POST"])
@requires(Perm.APPRENTICESHIP_MANAGE)
def attendance_upload(request: HttpRequest, public_id) -> HttpResponse:
    session = managed_session(request, public_id)
    form = AttendanceUploadForm(request.POST if request.method == "POST" else None,
                                request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        attendance = save_through(form, attendance_services.propose_import, actor=Actor.from_request(request),
                                  session=session, source=form.cleaned_data["source"], filename=upload.name,
                                  data=upload.read())
        if attendance:
            return redirect("apprenticeships:attendance-import", session.public_id, attendance.public_id)
    return render(request, "apprenticeships/sessions/attendance_upload.html", {"session": session, "form": form})


def _report_context(session, attendance, user) -> dict:
    rows = [{**row, "label": OUTCOME_LABELS.get(row["outcome"], row["outcome"]),
             "colour": OUTCOME_COLOURS.get(row["outcome"], "red")} for row in attendance.report]
    proposed = attendance_services.proposals(attendance.report)
    attendees = session_selectors.attendees_visible_to(user, session)
    names = {str(a.apprenticeship.public_id): a.apprenticeship.apprentice.full_name for a in attendees}
    coached = {str(a.apprenticeship.public_id) for a in attendees if a.apprenticeship.coach_id == user.pk}
    reported = {row["apprenticeship"] for row in attendance.report if row["apprenticeship"]}
    return {"session": session, "attendance": attendance, "rows": rows,
            "proposed": [{**row, "apprentice": names.get(row["apprenticeship"], row["name"]),
                          "approved": row["apprenticeship"] in coached} for row in proposed],
            "absent": sorted(name for key, name in names.items() if key not in reported),
            "not_saved": sum(1 for row in attendance.report if row["outcome"] in attendance_services.NOT_SAVED),
            "is_proposed": attendance.status == ImportStatus.PROPOSED}


@require_http_methods(["GET"])
@requires(Perm.APPRENTICESHIP_MANAGE)
def attendance_import(request: HttpRequest, public_id, import_id) -> HttpResponse:
    session = managed_session(request, public_id)
    attendance = session_selectors.import_for(session, import_id)
    audit.record(Actor.from_request(request), Action.VIEW, attendance)
    return render(request, "apprenticeships/sessions/attendance_import.html", _report_context(session, attendance, request.user))


@require_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def attendance_confirm(request: HttpRequest, public_id, import_id) -> HttpResponse:
    session = managed_session(request, public_id)
    attendance = session_selectors.import_for(session, import_id)
    try:
        entries = attendance_services.confirm_import(actor=Actor.from_request(request), attendance=attendance)
    except (ImportConflict, ValidationError) as error:
        text = error.message if isinstance(error, ImportConflict) else " ".join(error.messages)
        context = {**_report_context(session, attendance, request.user), "problem": text}
        return render(request, "apprenticeships/sessions/attendance_import.html", context, status=409
                      if isinstance(error, ImportConflict) else 200)
    approved = sum(1 for entry in entries if entry.status == OtjStatus.APPROVED)
    waiting = len(entries) - approved
    text = f"Attendance saved, with {approved} approved off-the-job entr{'y' if approved == 1 else 'ies'}"
    if waiting:
        text += f" and {waiting} sent to the apprentice's own coach to approve"
    messages.success(request, text)
    return redirect("apprenticeships:session-detail", session.public_id)


@require_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def attendance_discard(request: HttpRequest, public_id, import_id) -> HttpResponse:
    session = managed_session(request, public_id)
    attendance = session_selectors.import_for(session, import_id)
    try:
        attendance_services.discard_import(actor=Actor.from_request(request), attendance=attendance)
    except ImportConflict as error:
        messages.info(request, error.message)
        return redirect("apprenticeships:attendance-import", session.public_id, attendance.public_id)
    messages.success(request, "The report is discarded: nothing from it was saved")
    return redirect("apprenticeships:session-detail", session.public_id)
