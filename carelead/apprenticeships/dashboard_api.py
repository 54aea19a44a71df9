"""The apprenticeship programme API: dashboards (included by carelead/api/urls.py).

GET /api/v1/caseload/ is the caseload page's rows with the same filters (rag, employer, status,
overdue, sort) and pages of 25; GET /api/v1/apprenticeships/<uuid>/progress/ the apprentice
dashboard's figures for one apprenticeship in the caller's reach (404 otherwise). Scoped by
selectors.apprenticeships_for like the pages, audited, aggregated in the database.
"""

from uuid import UUID

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import rules, selectors
from carelead.apprenticeships.caseload import CaseloadRow
from carelead.apprenticeships.dashboard_filters import CaseloadFilterForm, caseload_page, employers_of
from carelead.apprenticeships.dashboard_progress import progress_of
from carelead.apprenticeships.dashboard_views import caseload_apprenticeships
from carelead.apprenticeships.models import ActionOwner, ApprenticeshipStatus
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["apprenticeship dashboards"]
RAG_CHOICES = list(rules.RAG_LABELS)
REVIEW_STATES = list(rules.REVIEW_STATE_LABELS)
EPAO_FLAGS = [rules.DUE, rules.OVERDUE]  # rules.epao_missing_flag: never "in date"
NOT_FOUND = OpenApiResponse(description="No such apprenticeship, or not one you may see")


class CaseloadRowSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField(help_text="The apprenticeship's public_id")
    apprentice_name = serializers.CharField()
    employer = serializers.UUIDField(help_text="The employer organisation's public_id")
    employer_name = serializers.CharField()
    status = serializers.ChoiceField(choices=ApprenticeshipStatus.choices)
    start_date = serializers.DateField()
    practical_period_end = serializers.DateField()
    time_percent = serializers.IntegerField(help_text="Share of the practical period gone, 0-100")
    otj_hours = serializers.DecimalField(max_digits=8, decimal_places=1, help_text="Approved off-the-job hours")
    otj_required_hours = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                                  help_text="Minimum off-the-job hours (§4); null when not known")
    otj_required_reason = serializers.CharField(allow_blank=True, help_text="Why the minimum is not known")
    otj_percent = serializers.IntegerField(allow_null=True, help_text="Approved hours against the minimum, 0-100")
    ksbs_evidenced = serializers.IntegerField(help_text="Distinct current KSBs named on approved off-the-job entries")
    ksbs_total = serializers.IntegerField()
    ksb_percent = serializers.IntegerField(allow_null=True)
    rag = serializers.ChoiceField(choices=RAG_CHOICES, allow_null=True, help_text=rules.CASELOAD_RULE)
    rag_label = serializers.CharField()
    last_review_on = serializers.DateField(allow_null=True, help_text="When the last signed review was held")
    next_review_due = serializers.DateField(allow_null=True)
    next_review_state = serializers.ChoiceField(choices=REVIEW_STATES, allow_null=True,
                                                help_text="in_date; due within 14 days; overdue")
    reviews_awaiting_signature = serializers.IntegerField()
    next_session_at = serializers.DateTimeField(allow_null=True)
    epao_name = serializers.CharField(allow_blank=True)
    epao_flag = serializers.ChoiceField(choices=EPAO_FLAGS, allow_null=True,
                                        help_text="due or overdue while no end-point assessment organisation is named")


def row_data(row: CaseloadRow) -> dict:
    a = row.apprenticeship
    return {
        "apprenticeship": a.public_id, "apprentice_name": a.apprentice.full_name, "employer": a.employer.public_id,
        "employer_name": a.employer.name, "status": a.status, "start_date": a.start_date,
        "practical_period_end": a.practical_period_end, "time_percent": row.time_pct,
        "otj_hours": row.otj_hours_shown, "otj_required_hours": row.required.hours,
        "otj_required_reason": row.required.reason, "otj_percent": row.otj_pct, "ksbs_evidenced": row.ksbs_evidenced,
        "ksbs_total": row.ksbs_total, "ksb_percent": row.ksb_pct, "rag": row.rag, "rag_label": row.rag_label,
        "last_review_on": row.last_review_on, "next_review_due": row.next_review_due,
        "next_review_state": row.review_state, "reviews_awaiting_signature": row.reviews_to_sign,
        "next_session_at": row.next_session_at, "epao_name": a.epao_name, "epao_flag": row.epao_flag,
    }


class CaseloadPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    computed_all = serializers.BooleanField(
        help_text="False when the list is too long to filter or sort by status, review or share (see notice)")
    notice = serializers.CharField(allow_blank=True)
    results = CaseloadRowSerializer(many=True)


FILTERS = [
    OpenApiParameter("rag", str, enum=RAG_CHOICES, description="Only this status"),
    OpenApiParameter("employer", UUID, description="Only this employer's apprentices (public_id)"),
    OpenApiParameter("status", str, enum=ApprenticeshipStatus.values),
    OpenApiParameter("overdue", bool, description="Only those with a progress review overdue"),
    OpenApiParameter("sort", str, enum=["name", "rag", "time", "otj", "review"]),
    OpenApiParameter("page", int),
]


class CaseloadApi(GenericAPIView):
    """Your caseload: the apprentices you coach, or your organisation's, with their status."""

    required_perm = Perm.OWN_ACCOUNT  # the selector decides what is in reach
    pagination_class = None

    @extend_schema(tags=TAGS, summary="List your caseload with each apprentice's status", parameters=FILTERS,
                   responses={200: CaseloadPageSerializer})
    def get(self, request):
        apprenticeships = caseload_apprenticeships(request.user)
        form = CaseloadFilterForm(request.query_params or None, employers=employers_of(apprenticeships))
        filters = form.values() if form.is_bound else {}
        result = caseload_page(apprenticeships, filters, request.query_params.get("page"), timezone.localdate(),
                               timezone.now())
        if result.rows:
            audit.record_list(Actor.from_request(request), [row.apprenticeship for row in result.rows],
                              what="apprenticeships.Apprenticeship", details={"view": "api-caseload"})
        return Response(CaseloadPageSerializer({
            "count": result.total, "page": result.page.number, "pages": result.page.paginator.num_pages,
            "computed_all": result.computed_all, "notice": result.notice,
            "results": [row_data(row) for row in result.rows],
        }).data)


class NextSessionSerializer(serializers.Serializer):
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    join_url = serializers.URLField(allow_blank=True, help_text="Microsoft Teams or Zoom link")
    venue = serializers.CharField(allow_blank=True)


class ActionDueSerializer(serializers.Serializer):
    description = serializers.CharField()
    owner = serializers.ChoiceField(choices=ActionOwner.choices)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


class ProgressSerializer(CaseloadRowSerializer):
    next_session = NextSessionSerializer(allow_null=True)
    actions_due = ActionDueSerializer(many=True, help_text="Open actions of the latest signed review, soonest first")
    reviews_awaiting_apprentice = serializers.IntegerField()


class ProgressApi(GenericAPIView):
    """One apprenticeship's progress: the apprentice dashboard's figures."""

    required_perm = Perm.OWN_ACCOUNT

    @extend_schema(tags=TAGS, summary="Read one apprenticeship's progress",
                   responses={200: ProgressSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        scope = selectors.apprenticeships_for(request.user).filter(public_id=public_id)
        progress = progress_of(scope, timezone.localdate(), timezone.now())
        if progress is None:
            selectors.apprenticeship_for(request.user, public_id)  # the same 404 as every other read
        audit.record(Actor.from_request(request), Action.VIEW, progress.apprenticeship, person=None,
                     details={"view": "api-progress"})
        session = progress.next_session
        return Response(ProgressSerializer({
            **row_data(progress.row),
            "next_session": session and {"title": session.title, "starts_at": session.starts_at,
                                         "ends_at": session.ends_at, "join_url": session.join_url,
                                         "venue": session.venue},
            "actions_due": [{"description": item.action.description, "owner": item.action.owner,
                             "due_on": item.action.due_on, "overdue": item.overdue} for item in progress.actions],
            "reviews_awaiting_apprentice": progress.reviews_for_apprentice,
        }).data)


urlpatterns = [
    path("caseload/", CaseloadApi.as_view(), name="api-caseload"),
    path("apprenticeships/<uuid:public_id>/progress/", ProgressApi.as_view(), name="api-apprenticeship-progress"),
]
