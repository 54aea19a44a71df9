"""The end-point assessment API (included by carelead/api/urls.py under /api/v1/), over the same
selectors and services as the pages (issue 6, reference §2.2–2.4).

- GET/POST apprenticeships/<id>/epa-attempts/: every attempt at either method; planning one (the coach).
- POST epa-attempts/<id>/result/: the coach records the assessor's grade for an attempt.
- GET apprenticeships/<id>/epa-result/: the overall grade by the combination rule (null until both
  methods are graded), why, and the rule itself as data with what is inferred.
Out of reach: 404. The wrong party: 403. Bad input: 400 naming each field.
"""

from uuid import UUID

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import epa, epa_selectors, epa_services, selectors
from carelead.apprenticeships.models import EpaAttempt, EpaAttemptKind
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["end-point assessment"]
NOT_FOUND = OpenApiResponse(description="No such apprenticeship or attempt, or not one you may see")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
COACH_ONLY = OpenApiResponse(description="Only the apprentice's coach records the end-point assessment")


# Methods, kinds and grades are plain text in the schema, as otj_api's "decision" is: "kind" and "method" name
# other choice sets elsewhere in the API (a session's kind, a signature's method). The services refuse other words.
METHOD_HELP = '"observation" (of practice) or "discussion" (professional discussion)'
KIND_HELP = '"first", "resit" or "retake": a resit or retake only after a fail, within 3 months of its notice'
GRADE_HELP = '"fail", "pass" or "distinction" (the observation is "fail" or "pass" only)'


class EpaAttemptSerializer(serializers.ModelSerializer):
    apprenticeship = serializers.UUIDField(source="apprenticeship.public_id", read_only=True)
    method = serializers.CharField(read_only=True, help_text=METHOD_HELP)
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    grade = serializers.CharField(read_only=True, help_text=f"Blank until graded; then {GRADE_HELP}")
    result_url = serializers.SerializerMethodField(help_text="Where the coach records the grade")

    class Meta:
        model = EpaAttempt
        fields = ["public_id", "apprenticeship", "method", "kind", "planned_on", "held_on", "grade",
                  "fail_notified_on", "assessor_name", "result_url", "created_at", "updated_at"]

    def get_result_url(self, attempt) -> str:
        return reverse("api:api-epa-attempt-result", args=[attempt.public_id])


def _coach_only(call, **kwargs):
    with service_errors():
        try:
            return call(**kwargs)
        except NotAllowed as error:
            raise exceptions.PermissionDenied(COACH_ONLY.description) from error


class EpaAttemptListApi(GenericAPIView):
    """An apprenticeship's end-point assessment attempts; the coach plans one."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = EpaAttemptSerializer

    class InputSerializer(serializers.Serializer):
        method = serializers.CharField(help_text=METHOD_HELP)
        kind = serializers.CharField(required=False, default=EpaAttemptKind.FIRST, help_text=KIND_HELP)
        planned_on = serializers.DateField(help_text="The observation at least 4 weeks after gateway")
        assessor_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    @extend_schema(tags=TAGS, summary="List an apprenticeship's end-point assessment attempts",
                   responses={200: OutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        attempts = epa_selectors.attempts_of(apprenticeship)
        page = self.paginate_queryset(attempts)
        if page:
            audit.record_list(Actor.from_request(request), page, what="apprenticeships.EpaAttempt",
                              details={"apprenticeship": str(apprenticeship.public_id)})
        for attempt in page:
            attempt.apprenticeship = apprenticeship  # already loaded: no query per attempt
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Plan an end-point assessment attempt (the coach)", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        attempt = _coach_only(epa_services.plan_epa_attempt, actor=Actor.from_request(request),
                              apprenticeship=apprenticeship, **fields)
        return Response(self.OutputSerializer(attempt).data, status=status.HTTP_201_CREATED)


class EpaAttemptResultApi(GenericAPIView):
    """The coach records the assessor's grade for one attempt; final once recorded."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = EpaAttemptSerializer

    class InputSerializer(serializers.Serializer):
        held_on = serializers.DateField()
        grade = serializers.CharField(help_text=GRADE_HELP)
        fail_notified_on = serializers.DateField(required=False, allow_null=True, default=None,
                                                 help_text="Required for a fail: the 3-month limit counts from it")
        assessor_name = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @extend_schema(tags=TAGS, summary="Record an attempt's grade (the coach)", request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND})
    def post(self, request, attempt_id: UUID):
        attempt = epa_selectors.attempt_for(request.user, attempt_id)
        fields = valid_body(self.InputSerializer, request.data)
        attempt = _coach_only(epa_services.record_epa_result, actor=Actor.from_request(request), attempt=attempt,
                              **fields)
        return Response(self.OutputSerializer(attempt).data)


class EpaRuleRowSerializer(serializers.Serializer):
    observation = serializers.CharField(help_text='A grade, or "any"')
    discussion = serializers.CharField(help_text='A grade, or "any"')
    overall = serializers.CharField()
    inferred = serializers.BooleanField()
    note = serializers.CharField()


class EpaMethodResultSerializer(serializers.Serializer):
    method = serializers.CharField(help_text=METHOD_HELP)
    grades = serializers.ListField(child=serializers.CharField(), help_text="The grades this method can give")
    inferred = serializers.BooleanField()
    note = serializers.CharField()
    latest_grade = serializers.CharField(allow_blank=True, allow_null=True,
                                         help_text="The latest attempt's grade; blank until graded, null if none")
    resit_deadline = serializers.DateField(allow_null=True, help_text="After a notified fail: the last day to resit")


class EpaResultSerializer(serializers.Serializer):
    overall = serializers.CharField(allow_null=True, help_text=f"null until both methods are graded; then {GRADE_HELP}")
    status = serializers.CharField()
    after_resit_or_retake = serializers.BooleanField()
    rule_inferred = serializers.BooleanField()
    inferred_note = serializers.CharField()
    methods = EpaMethodResultSerializer(many=True)
    rule = EpaRuleRowSerializer(many=True)


class EpaResultApi(GenericAPIView):
    """The overall grade by the combination rule, why, and the rule itself (parts inferred)."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = EpaResultSerializer

    @extend_schema(tags=TAGS, summary="Read the overall end-point assessment result",
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        attempts = epa_selectors.attempts_of(apprenticeship)
        result = epa_selectors.epa_result(attempts)
        actor = Actor.from_request(request)
        audit.record(actor, Action.VIEW, apprenticeship, details={"tab": "epa", "result": True})
        if attempts:  # the grades shown are the attempts' own
            audit.record_list(actor, attempts, what="apprenticeships.EpaAttempt",
                              details={"apprenticeship": str(apprenticeship.public_id), "result": True})
        grades = {each.method: each for each in epa.METHOD_GRADES}
        methods = [{"method": row.method, "grades": list(grades[row.method].grades),
                    "inferred": grades[row.method].inferred, "note": grades[row.method].note,
                    "latest_grade": row.latest.grade if row.latest else None, "resit_deadline": row.resit_deadline}
                   for row in result.methods]
        return Response(self.OutputSerializer({
            "overall": result.overall, "status": result.status, "after_resit_or_retake": result.after_resit_or_retake,
            "rule_inferred": epa.rule_is_inferred(), "inferred_note": epa.INFERRED_NOTE, "methods": methods,
            "rule": [{"observation": row.observation, "discussion": row.discussion, "overall": row.overall,
                      "inferred": row.inferred, "note": row.note} for row in epa.COMBINATION_RULE],
        }).data)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/epa-attempts/", EpaAttemptListApi.as_view(), name="api-epa-attempts"),
    path("apprenticeships/<uuid:public_id>/epa-result/", EpaResultApi.as_view(), name="api-epa-result"),
    path("epa-attempts/<uuid:attempt_id>/result/", EpaAttemptResultApi.as_view(), name="api-epa-attempt-result"),
]
