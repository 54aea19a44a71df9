"""The reference-data pages: standards and their versions' KSBs, qualifications and their units.

Public reference data, nobody's record: any signed-in, MFA-verified member of staff may read it
(Perm.OWN_ACCOUNT), and nothing is audited. Written only by the import commands.
"""

from itertools import groupby

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carelead.apprenticeships import selectors
from carelead.apprenticeships.models import FundingStatus, KsbKind, Theme
from carelead.core.decorators import requires
from carelead.core.permissions import Perm

PER_PAGE = 25
IMPORT_COMMAND = "python manage.py import_standard <file.json>"
FUNDING_COLOURS = {FundingStatus.FUNDED: "green", FundingStatus.CLOSED_TO_NEW_FUNDED_STARTS: "orange",
                   FundingStatus.WITHDRAWN: "red"}
KIND_HEADINGS = {KsbKind.KNOWLEDGE: "Knowledge", KsbKind.SKILL: "Skills", KsbKind.BEHAVIOUR: "Behaviours"}


def _funding(version) -> dict:
    return {"label": version.get_funding_status_display(), "colour": FUNDING_COLOURS[version.funding_status]}


@require_GET
@requires(Perm.OWN_ACCOUNT)
def standard_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.standards(), PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"standard": standard,
             "versions": [{"version": version, "funding": _funding(version)} for version in standard.versions.all()]}
            for standard in page.object_list]
    # One warning per standard, from its latest version: versions share the standard's funding.
    latest = [list(row["standard"].versions.all())[-1] for row in rows if row["standard"].versions.all()]
    warnings = [version for version in latest if not version.open_to_new_funded_starts]
    return render(request, "apprenticeships/standard_list.html", {
        "page": page, "rows": rows, "funding_warnings": warnings, "qualifications": selectors.qualifications(),
    })


def ksb_groups(ksbs) -> list[dict]:
    """Current KSBs grouped by kind, then theme, in listed order; retired ones in a group of their own."""
    current = [ksb for ksb in ksbs if not ksb.retired]
    theme_labels = dict(Theme.choices)
    groups = []
    for kind, of_kind in groupby(current, key=lambda ksb: ksb.kind):
        of_kind = list(of_kind)
        order = list(dict.fromkeys(ksb.theme for ksb in of_kind))  # themes in the order first listed
        themes = [{"label": theme_labels.get(theme, "No theme given"),
                   "ksbs": [ksb for ksb in of_kind if ksb.theme == theme]} for theme in order]
        groups.append({"kind": kind, "heading": KIND_HEADINGS[kind], "count": len(of_kind),
                       "themes": themes, "single_theme": kind == KsbKind.BEHAVIOUR or order == [""]})
    return groups


@require_GET
@requires(Perm.OWN_ACCOUNT)
def standard_version(request: HttpRequest, version_id) -> HttpResponse:
    version = selectors.standard_version(version_id)
    ksbs = list(selectors.ksbs_of(version))
    return render(request, "apprenticeships/standard_version.html", {
        "version": version, "standard": version.standard, "funding": _funding(version),
        "groups": ksb_groups(ksbs), "retired": [ksb for ksb in ksbs if ksb.retired],
        "carelead_codes": sum(1 for ksb in ksbs if ksb.carelead_code and not ksb.retired),
        "import_command": IMPORT_COMMAND,
    })


@require_GET
@requires(Perm.OWN_ACCOUNT)
def qualification(request: HttpRequest, qualification_id) -> HttpResponse:
    qualification = selectors.qualification(qualification_id)
    units = [unit for unit in qualification.units.all() if not unit.retired]
    return render(request, "apprenticeships/qualification.html", {
        "qualification": qualification,
        "mandatory": [unit for unit in units if unit.mandatory],
        "optional": [unit for unit in units if not unit.mandatory],
        "not_loaded": sum(1 for unit in units if not unit.loaded),
    })
