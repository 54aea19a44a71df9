"""The programme's dashboards (issue 5, "Dashboards"): the coach's caseload, the apprentice's own
progress, and the employer's apprentices with what waits for the employer's signature.

Who sees what comes from `selectors.apprenticeships_for` (deny by default): a skills coach their
own apprentices, a registered manager or employer contact their organisation's, an apprentice their
own. Every page is one list audit row (ids shown), no person: programme records, not care records.
Figures are aggregated by the database (caseload.with_figures); the pages' query counts do not grow
with the number of apprentices or entries.
"""

from django.db.models import Case, Exists, OuterRef, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from carelead.apprenticeships import rules, selectors
from carelead.apprenticeships.caseload import CaseloadRow
from carelead.apprenticeships.dashboard_charts import rag_bar_chart, time_otj_chart
from carelead.apprenticeships.dashboard_filters import CaseloadFilterForm, caseload_page, employers_of
from carelead.apprenticeships.dashboard_progress import PROGRAMME_PAGES, page_url, programme_links, progress_of
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, Party, ProgressReview, ReviewStatus, Signature, TrainingPlanVersion,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.models import Action
from carelead.core.pagination import query_without_page
from carelead.core.permissions import Perm
from carelead.organisations.models import OrganisationKind
from carelead.organisations.selectors import memberships_granting

KSB_NOTE = ("KSBs evidenced: the knowledge, skills and behaviours named on approved off-the-job entries. "
            "When portfolio evidence arrives, accepted evidence will count instead.")
MINIMUM_NOTE = ("Where the minimum off-the-job hours are not known (for starts from 1 Aug 2025 the standard "
                "version's published minimum, not yet published for this standard), the off-the-job share shows "
                "\u201cnot known\u201d and the status is decided by the KSBs alone.")
RAG_KEYS = (rules.RED, rules.AMBER, rules.GREEN)


def caseload_apprenticeships(user):
    """The apprenticeships on the user's caseload: those they coach or their organisation's; never
    their own as an apprentice."""
    return selectors.apprenticeships_for(user).exclude(apprentice=user)


def employer_apprenticeships(user):
    """Apprenticeships of the organisations where the user holds APPRENTICESHIP_VIEW as employer
    (registered manager or employer contact); not those they coach or their own."""
    employers = memberships_granting(user, Perm.APPRENTICESHIP_VIEW).exclude(
        organisation__kind=OrganisationKind.TRAINING_PROVIDER).values("organisation")
    return selectors.apprenticeships_for(user).filter(employer__in=employers).exclude(apprentice=user)


def _charts(result) -> dict:
    bars = [(key, rules.RAG_LABELS[key], result.counts.get(key, 0)) for key in RAG_KEYS]
    if result.counts.get(None):
        bars.append((None, "Not known", result.counts[None]))
    points = [(float(row.time_percent), float(row.otj_percent), row.rag) for row in result.rows
              if row.otj_percent is not None]
    return {
        "rag_bars": bars,
        "rag_chart": mark_safe(rag_bar_chart(bars)),  # every text escaped by the chart
        "time_chart": mark_safe(time_otj_chart(points)),
        "unplotted": sum(1 for row in result.rows if row.otj_percent is None),
    }


def _rows_with_links(rows: list[CaseloadRow]) -> list[dict]:
    reviews = next(name for key, _, name in PROGRAMME_PAGES if key == "reviews")
    return [{"row": row, "reviews_url": page_url(reviews, row.apprenticeship)} for row in rows]


def _caseload_context(request: HttpRequest, apprenticeships) -> dict:
    today, now = timezone.localdate(), timezone.now()
    form = CaseloadFilterForm(request.GET or None, employers=employers_of(apprenticeships))
    filters = form.values() if form.is_bound else {}
    result = caseload_page(apprenticeships, filters, request.GET.get("page"), today, now)
    if result.rows:
        audit.record_list(Actor.from_request(request), [row.apprenticeship for row in result.rows],
                          what="apprenticeships.Apprenticeship", details={"view": request.resolver_match.url_name})
    return {"form": form, "result": result, "page": result.page, "rows": _rows_with_links(result.rows),
            "query": query_without_page(request), "rule": rules.CASELOAD_RULE, "ksb_note": KSB_NOTE,
            "minimum_note": MINIMUM_NOTE, **_charts(result)}


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the selector decides: a coach's own apprentices, an employer's its own
def caseload(request: HttpRequest) -> HttpResponse:
    return render(request, "apprenticeships/dashboards/caseload.html",
                  _caseload_context(request, caseload_apprenticeships(request.user)))


@require_GET
@requires(Perm.OWN_ACCOUNT)
def employer_dashboard(request: HttpRequest) -> HttpResponse:
    apprenticeships = employer_apprenticeships(request.user)
    context = _caseload_context(request, apprenticeships)
    reviews = list(ProgressReview.objects.filter(apprenticeship__in=apprenticeships,
                                                 status=ReviewStatus.AWAITING_EMPLOYER)
                   .select_related("apprenticeship__apprentice").order_by("due_on", "pk"))
    signed = Signature.objects.filter(plan_version=OuterRef("pk"))
    plans = list(TrainingPlanVersion.objects.filter(apprenticeship__in=apprenticeships).filter(
        Exists(signed.filter(party=Party.PROVIDER)), Exists(signed.filter(party=Party.APPRENTICE)),
        ~Exists(signed.filter(party=Party.EMPLOYER)),
        # Only the latest version can be signed: an older part-signed one waits for nobody.
        ~Exists(TrainingPlanVersion.objects.filter(apprenticeship=OuterRef("apprenticeship"),
                                                   number__gt=OuterRef("number")))).select_related("apprenticeship__apprentice")
        .order_by("apprenticeship__apprentice__full_name", "number"))
    context |= {
        "reviews_to_sign": [{"review": review, "url": page_url("apprenticeships:review-list", review.apprenticeship)}
                            for review in reviews],
        "plans_to_sign": [{"plan": plan, "url": page_url("apprenticeships:training-plan", plan.apprenticeship)}
                          for plan in plans],
    }
    return render(request, "apprenticeships/dashboards/employer.html", context)


@require_GET
@requires(Perm.OWN_ACCOUNT)  # an apprentice needs no role for their own apprenticeship
def my_apprenticeship(request: HttpRequest) -> HttpResponse:
    """The apprentice's own dashboard: their active apprenticeship (else their latest)."""
    today, now = timezone.localdate(), timezone.now()
    own = selectors.apprenticeships_for(request.user).filter(apprentice=request.user)
    active_first = Case(When(status=ApprenticeshipStatus.ACTIVE, then=Value(0)), default=Value(1))
    ordered = own.order_by(active_first, "-start_date", "-pk")
    progress = progress_of(ordered, today, now)
    others: list[Apprenticeship] = []
    if progress:
        audit.record(Actor.from_request(request), Action.VIEW, progress.apprenticeship, person=None,
                     details={"view": "my-apprenticeship"})
        others = list(own.exclude(pk=progress.apprenticeship.pk).order_by("-start_date"))
    return render(request, "apprenticeships/dashboards/mine.html", {
        "progress": progress, "others": others, "ksb_note": KSB_NOTE,
        "links": programme_links(progress.apprenticeship) if progress else {},
    })
