"""The apprenticeship pages: the list in the user's reach, one apprenticeship, and enrolment.

Programme records, never care records: who reaches one is decided by relationship in
`selectors.apprenticeships_for` (the apprentice, their coach, their employer's contacts and
managers); anything else is a 404. Reads are audited with no person, as they are not a person's
care record.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.apprenticeships import parties, plan_selectors, review_selectors, rules, selectors, services, tabs
from carelead.apprenticeships.forms import EnrolForm
from carelead.apprenticeships.models import Apprenticeship, Party
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm, Role

PER_PAGE = 25
EPAO_FLAG_TEXT = {
    rules.DUE: "Name the end-point assessment organisation by {deadline}: 6 months before the planned end.",
    rules.OVERDUE: "No end-point assessment organisation is named, and the deadline ({deadline}, 6 months before "
                   "the planned end) has passed.",
}
def epao_flag(apprenticeship: Apprenticeship, today: date) -> dict | None:
    flag = rules.epao_missing_flag(apprenticeship.practical_period_end, bool(apprenticeship.epao_name), today)
    if flag is None:
        return None
    deadline = rules.epao_deadline(apprenticeship.practical_period_end)
    return {"state": flag, "label": rules.REVIEW_STATE_LABELS[flag], "colour": rules.REVIEW_STATE_COLOURS[flag],
            "text": EPAO_FLAG_TEXT[flag].format(deadline=f"{deadline.day} {deadline:%b %Y}")}


@require_GET
@requires(Perm.OWN_ACCOUNT)  # an apprentice holds no role permission for their own: the selector decides
def apprenticeship_list(request: HttpRequest) -> HttpResponse:
    apprenticeships = selectors.apprenticeships_for(request.user).order_by("apprentice__full_name", "start_date", "pk")
    page = Paginator(apprenticeships, PER_PAGE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record_list(Actor.from_request(request), page.object_list, what="apprenticeships.Apprenticeship")
    return render(request, "apprenticeships/apprenticeship_list.html", {
        "page": page, "apprenticeships": page.object_list, "shortcuts": shortcuts_for(request.user),
        "can_enrol": selectors.providers_enrolling_for(request.user).exists(),
    })


def shortcuts_for(user) -> list[dict]:
    """The programme pages this user has a use for, by how they take part (three queries)."""
    own = selectors.apprenticeships_for(user).filter(apprentice=user).exists()
    coach = selectors.providers_enrolling_for(user).exists()
    employer = selectors.employers_viewed_by(user).exists()
    links = [
        (own, "Your apprenticeship", "apprenticeships:my-apprenticeship"),
        (coach or employer, "Caseload and status", "apprenticeships:caseload"),
        (employer, "Your apprentices and what waits for your signature", "apprenticeships:employer-dashboard"),
        (coach, "Off-the-job hours waiting for your approval", "apprenticeships:otj-queue"),
        (coach, "Evidence waiting for your assessment", "apprenticeships:evidence-queue"),
        (coach or own, "Sessions", "apprenticeships:session-list"),
        (coach or own, "Your calendar feed", "apprenticeships:calendar-feed"),
    ]
    return [{"label": label, "url": reverse(name)} for shown, label, name in links if shown]


@require_GET
@requires(Perm.OWN_ACCOUNT)
def apprenticeship_detail(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    today = timezone.localdate()
    history = selectors.weekly_hours_history(apprenticeship)
    current = selectors.current_weekly_hours(history, today)
    audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, person=None)
    held = parties.parties_of(request.user, apprenticeship)
    is_open = not parties.is_locked(apprenticeship)
    return render(request, "apprenticeships/apprenticeship_detail.html", {
        "tabs": tabs.programme_tabs(apprenticeship, "overview"),
        "changes": plan_selectors.programme_changes(apprenticeship),
        "can_edit": is_open and Party.PROVIDER in held,
        "can_change": is_open and bool(held & {Party.PROVIDER, Party.EMPLOYER}),
        "apprenticeship": apprenticeship, "version": apprenticeship.standard_version,
        "contacts": list(apprenticeship.employer_contacts.order_by("full_name")),
        "history": history, "current_hours": current, "minimum": selectors.minimum_otj(apprenticeship, current),
        "epao_flag": epao_flag(apprenticeship, today),
        "epao_deadline": rules.epao_deadline(apprenticeship.practical_period_end),
        # From the last review signed by all three, or the start before the first (§5.1).
        "next_review": review_selectors.next_reviews([apprenticeship], today=today)[apprenticeship.pk],
    })


def _coaches_for(user):
    """Skills coaches of the training providers where the user enrols apprentices."""
    return get_user_model().objects.filter(
        memberships__organisation__in=selectors.providers_enrolling_for(user), memberships__role=Role.SKILLS_COACH,
        memberships__ended_at__isnull=True).distinct().order_by("full_name")


@require_http_methods(["GET", "POST"])
@requires(Perm.APPRENTICESHIP_MANAGE)
def apprenticeship_new(request: HttpRequest) -> HttpResponse:
    coaches = _coaches_for(request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None,
                     employers=selectors.employers_for_enrolment(), coaches=coaches,
                     initial={"coach": request.user.pk if coaches.filter(pk=request.user.pk).exists() else None})
    # A refusal by the service (NotAllowed) is a PermissionDenied: Django answers it with the 403 page.
    if request.method == "POST" and form.is_valid() and (apprenticeship := save_through(
            form, services.enrol, actor=Actor.from_request(request), **form.service_kwargs())):
        messages.success(request, f"{apprenticeship.apprentice.full_name} is enrolled")
        return redirect("apprenticeships:apprenticeship-detail", apprenticeship.public_id)
    return render(request, "apprenticeships/apprenticeship_new.html", {"form": form})
