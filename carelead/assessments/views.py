"""The scores tab of a person's record: the newest score of each standard tool, one tool's history
(a chart and a table of the same data), and scoring a tool with its form.

Each view reads top to bottom: who may (`@requires`), fetch the person through the scoped selector
(a person elsewhere is a 404, as is an unknown tool), audit the read, score through the service,
render.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.assessments import charts, selectors, services
from carelead.assessments.forms import NeedsSectionForm, ScoreForm
from carelead.assessments.models import NeedsArea, SupportLevel
from carelead.assessments.tools import TOOLS
from carelead.assessments.tools.guidance import TOOL_INFO, guidance
from carelead.careplans import rules as review_rules
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.errors import StaleEdit
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for
from carelead.people.views import record_context

TAB = "scores"
HISTORY_PAGE_SIZE = 50
CHART_POINTS = 50  # the chart shows the newest 50 totals; the table pages through them all
# Narrower than the chart's default, so that on a phone (about 360 pixels) its words shrink by a
# quarter, not by half; on a wide screen it fills two thirds of the page.
CHART_WIDTH, CHART_HEIGHT = 480, 240
SCORED_MESSAGE = "{tool} scored {total}: {label}"


def _read(request: HttpRequest, person, **details) -> None:
    """Audit a read of the scores tab (STYLE.md §5: reads are recorded by views)."""
    audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"tab": TAB, **details})


def _tool(tool: str) -> str:
    """A tool the registry knows, or a 404: the URL names it."""
    if tool not in TOOLS:
        raise Http404
    return tool


@require_GET
@requires(Perm.PERSON_VIEW)
def scores(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id)
    latest = selectors.latest_scores(person)
    _read(request, person)
    context = record_context(request, person, "scores")
    tools = [{"tool": tool, "info": TOOL_INFO[tool]} for tool in TOOLS]
    return render(request, "assessments/scores.html", {
        **context, "latest": latest, "tools": tools, "may_score": Perm.SCORE_RECORD in context["perms"],
    })


@require_GET
@requires(Perm.PERSON_VIEW)
def tool_history(request: HttpRequest, public_id, tool: str) -> HttpResponse:
    person = person_for(request.user, public_id)
    tool = _tool(tool)
    page = Paginator(selectors.scores_for(request.user, person, tool=tool), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _read(request, person, tool=tool)
    info = TOOL_INFO[tool]
    history = selectors.score_history(person, tool, limit=CHART_POINTS)
    points = [(timezone.localtime(at), total) for at, total in history]
    bands = charts.category_bands(tool, guidance)
    chart = charts.line_chart(
        points, bands=bands, title=f"{info.short_name} totals for {person.full_name}", chart_id=f"{tool}-chart",
        label_bands=False, width=CHART_WIDTH, height=CHART_HEIGHT,
    )
    context = record_context(request, person, "scores")
    return render(request, "assessments/tool_history.html", {
        **context, "tool": tool, "info": info, "page": page, "query": "",
        "chart": chart, "chart_points": len(points), "bands": _key(tool, charts.category_ranges(tool)),
        "unshaded": _key(tool, charts.UNSHADED.get(tool, ())),
        "latest": page.object_list[0] if page.number == 1 and page.object_list else None,
        "may_score": Perm.SCORE_RECORD in context["perms"],
    })


def _key(tool: str, ranges) -> list[dict]:
    """The chart's key: each category as a tag, with its range of totals (or its rule) in words."""
    return [{"guidance": guidance(tool, category), "range": words} for category, words in ranges]


@require_http_methods(["GET", "POST"])
@requires(Perm.SCORE_RECORD)
def score_new(request: HttpRequest, public_id, tool: str) -> HttpResponse:
    person = person_for(request.user, public_id, perm=Perm.SCORE_RECORD)
    tool = _tool(tool)
    initial = {"age": person.age} if person.age is not None else {}  # Waterlow asks their age
    form = ScoreForm(tool, request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "GET":
        _read(request, person, tool=tool, form="new")
    elif form.is_valid() and (record := _record(request, form, person)):
        messages.success(request, SCORED_MESSAGE.format(
            tool=record.info.short_name, total=record.total_display, label=record.guidance.label.lower(),
        ))
        return redirect("assessments:tool-history", person.public_id, tool)
    return render(request, "assessments/score_form.html", {
        "form": form, "person": person, "tool": tool, "info": TOOL_INFO[tool],
        "cancel_url": reverse("assessments:scores", args=[person.public_id]),
    })


def _record(request: HttpRequest, form: ScoreForm, person):
    """Score and save through the service; the tool's refusals become errors beside each field
    (an input the form does not show, or the tool itself, at the top of the page), and None."""
    return save_through(form, services.record_tool_score, actor=Actor.from_request(request), person=person,
                        tool=form.tool, inputs=form.encoded(), notes=form.cleaned_data["notes"])


# --- Holistic needs assessment (issue 4) ------------------------------------------------------

NEEDS_TAB = "assessments"
STARTED_MESSAGE = "Needs assessment started"
SECTION_SAVED_MESSAGE = "{area} saved"
NEEDS_COMPLETED_MESSAGE = "Needs assessment completed"


def _read_needs(request: HttpRequest, person, obj=None, **details) -> None:
    """Audit a read of the assessments tab."""
    audit.record(Actor.from_request(request), Action.VIEW, obj or person, person=person,
                 details={"tab": NEEDS_TAB, **details})


def _with_reassess_state(assessments, today):
    """Each assessment with `reassess`: the label and tag colour of its reassess-by date (in date, due
    in the week before it, overdue after it: careplans.rules.review_tag), or None if it has none."""
    assessments = list(assessments)
    for assessment in assessments:
        tag = review_rules.review_tag(assessment.review_on, today) if assessment.review_on else None
        assessment.reassess = tag and dict(zip(("label", "colour"), tag))
    return assessments


def _area(area: str) -> str:
    """An area of the assessment, or a 404: the URL names it."""
    if area not in NeedsArea.values:
        raise Http404
    return area


@require_GET
@requires(Perm.PERSON_VIEW)
def needs_list(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id)
    page = Paginator(selectors.needs_assessments_of(person), 25).get_page(request.GET.get("page"))
    _read_needs(request, person)
    context = record_context(request, person, "needs-list")
    return render(request, "assessments/needs_list.html", {
        **context, "assessments": _with_reassess_state(page.object_list, timezone.localdate()), "page": page,
        "area_count": len(NeedsArea.choices), "may_lead": Perm.PERSON_CREATE in context["perms"],
    })


@require_http_methods(["POST"])
@requires(Perm.PERSON_CREATE)
def needs_new(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    assessment = services.start_needs_assessment(actor=Actor.from_request(request), person=person)
    messages.success(request, STARTED_MESSAGE)
    return redirect("assessments:needs-detail", person.public_id, assessment.public_id)


@require_GET
@requires(Perm.PERSON_VIEW)
def needs_detail(request: HttpRequest, public_id, assessment_id) -> HttpResponse:
    person, assessment = selectors.needs_assessment_for(request.user, public_id, assessment_id)
    _with_reassess_state([assessment], timezone.localdate())
    written = {section.area: section for section in assessment.sections.select_related("contributed_by")}
    sections = [{"area": area, "label": label, "section": written.get(area)} for area, label in NeedsArea.choices]
    versions = list(assessment.versions.select_related("saved_by").only(
        "version", "saved_at", "saved_by__full_name", "assessment_id"))
    _read_needs(request, person, assessment)
    context = record_context(request, person, "needs-list")
    perms = context["perms"]
    return render(request, "assessments/needs_detail.html", {
        **context, "assessment": assessment, "sections": sections,
        "versions": versions, "may_edit": Perm.PERSON_EDIT in perms and not assessment.is_completed,
        "may_complete": Perm.PERSON_CREATE in perms and not assessment.is_completed and bool(written),
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.PERSON_EDIT)
def needs_section_edit(request: HttpRequest, public_id, assessment_id, area: str) -> HttpResponse:
    person, assessment = selectors.needs_assessment_for(request.user, public_id, assessment_id,
                                                        perm=Perm.PERSON_EDIT)
    area = _area(area)
    detail_url = reverse("assessments:needs-detail", args=[person.public_id, assessment.public_id])
    if assessment.is_completed:
        messages.error(request, services.COMPLETED_MESSAGE)
        return redirect(detail_url)
    section = assessment.sections.filter(area=area).first()
    form = NeedsSectionForm(request.POST if request.method == "POST" else None, instance=section,
                            initial={"version": assessment.version})
    if request.method == "GET":
        _read_needs(request, person, assessment, area=area, form="edit")
    elif form.is_valid() and _saved_section(request, form, assessment, area):
        messages.success(request, SECTION_SAVED_MESSAGE.format(area=NeedsArea(area).label))
        return redirect(detail_url)
    return render(request, "assessments/needs_section_form.html", {
        "form": form, "person": person, "assessment": assessment, "area_label": NeedsArea(area).label,
        "cancel_url": detail_url,
    })


def _saved_section(request: HttpRequest, form: NeedsSectionForm, assessment, area: str):
    """Save through the service; a stale version or a refusal becomes an error on the form, and None."""
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    return save_through(form, services.save_section, actor=Actor.from_request(request), assessment=assessment,
                        area=area, seen_version=form.cleaned_data["version"], **fields)


@require_http_methods(["GET", "POST"])
@requires(Perm.PERSON_CREATE)
def needs_complete(request: HttpRequest, public_id, assessment_id) -> HttpResponse:
    person, assessment = selectors.needs_assessment_for(request.user, public_id, assessment_id,
                                                        perm=Perm.PERSON_CREATE)
    detail_url = reverse("assessments:needs-detail", args=[person.public_id, assessment.public_id])
    error = None
    if request.method == "POST":
        try:
            services.complete_needs_assessment(actor=Actor.from_request(request), assessment=assessment,
                                               seen_version=_int(request.POST.get("version")))
        except StaleEdit as stale:
            error = stale.message
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, NEEDS_COMPLETED_MESSAGE)
            return redirect(detail_url)
    else:
        _read_needs(request, person, assessment, form="complete")
    return render(request, "assessments/needs_complete.html", {
        "person": person, "assessment": assessment, "cancel_url": detail_url, "error": error,
    })


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_GET
@requires(Perm.PERSON_VIEW)
def needs_version(request: HttpRequest, public_id, assessment_id, version: int) -> HttpResponse:
    """What every section said at one earlier version of the assessment."""
    person, assessment = selectors.needs_assessment_for(request.user, public_id, assessment_id)
    saved = get_object_or_404(assessment.versions.select_related("saved_by"), version=version)
    labels = dict(NeedsArea.choices)
    support = dict(SupportLevel.choices)
    sections = [
        {"label": labels[area], "section": saved.sections[area],
         "support_level": support.get(saved.sections[area].get("support_level"), "")}
        for area in NeedsArea.values if area in saved.sections
    ]
    _read_needs(request, person, assessment, version=version)
    return render(request, "assessments/needs_version.html", {
        **record_context(request, person, "needs-list"), "assessment": assessment, "saved": saved,
        "sections": sections,
    })
