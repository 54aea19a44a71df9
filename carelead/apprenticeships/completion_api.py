"""The completion API (included by carelead/api/urls.py under /api/v1/), over the same selectors and
services as the page (issue 6 "Completion").

- GET apprenticeships/<id>/completion/: the status and, once recorded, the achievement date and where
  to download the certificate (every party).
- POST apprenticeships/<id>/completion/ (multipart): the coach records `achieved_on`, `certificate` and
  the apprenticeship `version` last read; 409 when someone changed it since. It completes the
  apprenticeship and locks its records.
- GET apprenticeships/<id>/completion/certificate/: the certificate file.
Out of reach: 404. The wrong party: 403. Bad input: 400 naming each field.
"""

from uuid import UUID

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from carelead.apprenticeships import completion_selectors, completion_services, selectors
from carelead.apprenticeships.completion_views import certificate_response
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["completion"]
NOT_FOUND = OpenApiResponse(description="No such apprenticeship, or not one you may see")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
STALE = OpenApiResponse(description="Someone changed the apprenticeship since the version you sent: nothing written")
COACH_ONLY = OpenApiResponse(description="Only the apprentice's coach records the outcome")


class CompletionSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField()
    status = serializers.CharField(help_text='"active", "break_in_learning", "withdrawn" or "completed"')
    version = serializers.IntegerField(help_text="The apprenticeship's version, to send back when recording")
    achieved_on = serializers.DateField(allow_null=True)
    certificate_url = serializers.CharField(allow_null=True)
    recorded_by = serializers.CharField(allow_null=True)


def _output(apprenticeship, completion) -> dict:
    return {"apprenticeship": apprenticeship.public_id, "status": apprenticeship.status,
            "version": apprenticeship.version, "achieved_on": completion.achieved_on if completion else None,
            "certificate_url": reverse("api:api-completion-certificate", args=[apprenticeship.public_id])
            if completion else None, "recorded_by": completion.recorded_by.full_name if completion else None}


class CompletionApi(GenericAPIView):
    """The apprenticeship's outcome; the coach records the achievement."""

    required_perm = Perm.OWN_ACCOUNT
    parser_classes = [MultiPartParser]
    OutputSerializer = CompletionSerializer

    class InputSerializer(serializers.Serializer):
        achieved_on = serializers.DateField(
            help_text="On or after the day the last end-point assessment was held, not in the future")
        certificate = serializers.FileField(help_text="PDF, DOCX, JPG or PNG, up to 10 MB")
        version = serializers.IntegerField(min_value=1, help_text="The apprenticeship version you last read")

    @extend_schema(tags=TAGS, summary="Read the outcome", responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        completion = completion_selectors.completion_of(apprenticeship)
        actor = Actor.from_request(request)
        audit.record(actor, Action.VIEW, apprenticeship, details={"page": "completion"})
        if completion is not None:
            audit.record(actor, Action.VIEW, completion, details={"apprenticeship": str(apprenticeship.public_id)})
        return Response(self.OutputSerializer(_output(apprenticeship, completion)).data)

    @extend_schema(tags=TAGS, summary="Record the achievement (the coach)", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            try:
                completion = completion_services.record_completion(
                    actor=Actor.from_request(request), apprenticeship=apprenticeship,
                    achieved_on=fields["achieved_on"], certificate=fields["certificate"],
                    seen_version=fields["version"])
            except NotAllowed as error:
                raise exceptions.PermissionDenied(COACH_ONLY.description) from error
        return Response(self.OutputSerializer(_output(apprenticeship, completion)).data,
                        status=status.HTTP_201_CREATED)


class CompletionCertificateApi(GenericAPIView):
    required_perm = Perm.OWN_ACCOUNT

    @extend_schema(tags=TAGS, summary="Download the achievement certificate",
                   responses={(200, "application/octet-stream"): bytes, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        return certificate_response(request, completion_selectors.completion_of(apprenticeship))


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/completion/", CompletionApi.as_view(), name="api-completion"),
    path("apprenticeships/<uuid:public_id>/completion/certificate/", CompletionCertificateApi.as_view(),
         name="api-completion-certificate"),
]
