"""The gateway API (issue 6 "Gateway"; included by carelead/api/urls.py under /api/v1/), over the same
selectors and services as the pages.

- GET apprenticeships/<id>/gateway/: each item met or not with its reason, the evidence, the signatures.
- POST apprenticeships/<id>/gateway/items/<item>/: record an item: `diploma`, `english-maths`,
  `observation-scope` (the coach; JSON, or multipart with certificate files) or `portfolio` (the apprentice
  declares it complete).
- POST apprenticeships/<id>/gateway/signatures/: sign the readiness decision online as oneself, or (the
  coach) record one obtained offline with `signatory_name`, `obtained_on` and `obtained_how`.
- POST apprenticeships/<id>/gateway/confirm/: the coach confirms the gateway date, naming the
  apprenticeship's version (409 when someone changed it since).
- GET apprenticeships/<id>/gateway/certificates/<diploma|english|maths>/: a certificate file.
Out of reach: 404. The wrong party: 403. Bad input: 400 naming each field.
"""

from uuid import UUID

from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from carelead.apprenticeships import gateway_selectors, gateway_services, selectors
from carelead.apprenticeships.gateway_views import CERTIFICATES, certificate_response
from carelead.apprenticeships.models import Party
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["gateway"]
NOT_FOUND = OpenApiResponse(description="No such apprenticeship, or not one you may see")
INVALID = OpenApiResponse(description="Bad input or a rule refused: a body naming each bad field")
STALE = OpenApiResponse(description="Someone changed the record since the version you sent: nothing was written")
WRONG_PARTY = OpenApiResponse(description="Not the party who may do this on this apprenticeship")
UNKNOWN_ITEM = "No such gateway item: choose diploma, english-maths, observation-scope or portfolio"


class GatewaySerializer(serializers.Serializer):
    """What the gateway tab shows, as data (built from gateway_selectors.GatewayStatus: no query)."""

    def to_representation(self, status) -> dict:
        apprenticeship, readiness = status.apprenticeship, status.readiness
        return {
            "apprenticeship": str(apprenticeship.public_id), "version": readiness.version if readiness else None,
            "apprenticeship_version": apprenticeship.version, "ready": status.checklist.ready,
            "gateway_date": apprenticeship.gateway_date and apprenticeship.gateway_date.isoformat(),
            "items": [{"key": item.key, "label": item.label, "met": item.met, "reason": item.reason}
                      for item in status.checklist.items],
            "evidence": _evidence(status),
            "signatures": [_signature(status.signed.get(party), party) for party in gateway_selectors.PARTY_NAMES],
            "waiting_for": status.waiting,
        }


def _day(value):
    return value.isoformat() if value else None


def _certificate_url(status, which: str) -> str | None:
    readiness = status.readiness
    if readiness is None or not getattr(readiness, CERTIFICATES[which]):
        return None
    return reverse("api:api-gateway-certificate", args=[status.apprenticeship.public_id, which])


def _evidence(status) -> dict:
    apprenticeship, readiness = status.apprenticeship, status.readiness
    return {
        "diploma": {"achieved_on": _day(readiness and readiness.diploma_achieved_on),
                    "certificate_url": _certificate_url(status, "diploma")},
        "english_maths": {"enrolled_as": apprenticeship.english_maths,
                          "decision": apprenticeship.english_maths_decision,
                          "date_of_birth_recorded": bool(readiness and readiness.apprentice_date_of_birth),
                          "english_achieved_on": _day(readiness and readiness.english_achieved_on),
                          "english_certificate_url": _certificate_url(status, "english"),
                          "maths_achieved_on": _day(readiness and readiness.maths_achieved_on),
                          "maths_certificate_url": _certificate_url(status, "maths")},
        "otj": {"actual_hours": str(status.otj["actual"]),
                "minimum_hours": None if status.otj["minimum"] is None else str(status.otj["minimum"]),
                "minimum_reason": status.otj["minimum_reason"]},
        "portfolio": {**status.portfolio, "declared_at": readiness and readiness.portfolio_declared_at
                      and readiness.portfolio_declared_at.isoformat()},
        "observation_scope": {"scope": readiness.observation_scope if readiness else "",
                              "agreed_on": _day(readiness and readiness.observation_scope_agreed_on)},
        "epao": {"name": apprenticeship.epao_name, "named_on": _day(apprenticeship.epao_named_on)},
    }


def _signature(signature, party) -> dict:
    if signature is None:
        return {"party": party, "signed": False}
    return {"party": party, "signed": True, "method": signature.method, "signed_by": signature.signed_by.email,
            "signed_at": signature.signed_at.isoformat(), "signatory_name": signature.signatory_name,
            "obtained_on": _day(signature.obtained_on), "obtained_how": signature.obtained_how}


def _status(apprenticeship):
    return gateway_selectors.gateway_status(apprenticeship, timezone.localdate())


def _respond(apprenticeship, code=status.HTTP_200_OK) -> Response:
    return Response(GatewaySerializer(_status(apprenticeship)).data, status=code)


def _run(service, wrong_party: str, **kwargs):
    with service_errors():
        try:
            return service(**kwargs)
        except NotAllowed as error:
            raise exceptions.PermissionDenied(wrong_party) from error


class GatewayApi(GenericAPIView):
    """An apprenticeship's gateway checklist: items, reasons, evidence and signatures."""

    required_perm = Perm.OWN_ACCOUNT  # the apprentice reads their own by relationship: the selector decides

    @extend_schema(tags=TAGS, summary="Read an apprenticeship's gateway checklist",
                   responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={"tab": "gateway"})
        return _respond(apprenticeship)


class DiplomaInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    achieved_on = serializers.DateField()
    certificate = serializers.FileField(required=False, help_text="PDF, DOCX, JPG or PNG, up to 10 MB (multipart)")


class EnglishMathsInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    date_of_birth = serializers.DateField(required=False, allow_null=True,
                                          help_text="Left out: the one recorded is kept; null clears it")
    english_achieved_on = serializers.DateField(required=False, allow_null=True, default=None)
    english_certificate = serializers.FileField(required=False, allow_null=True, default=None)
    maths_achieved_on = serializers.DateField(required=False, allow_null=True, default=None)
    maths_certificate = serializers.FileField(required=False, allow_null=True, default=None)


class ObservationScopeInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    scope = serializers.CharField()
    agreed_on = serializers.DateField()


class PortfolioInput(serializers.Serializer):
    pass


ITEMS = {  # item: (input, service, the party who records it)
    "diploma": (DiplomaInput, gateway_services.record_diploma, Party.PROVIDER),
    "english-maths": (EnglishMathsInput, gateway_services.record_english_maths, Party.PROVIDER),
    "observation-scope": (ObservationScopeInput, gateway_services.record_observation_scope, Party.PROVIDER),
    "portfolio": (PortfolioInput, gateway_services.declare_portfolio_submitted, Party.APPRENTICE),
}


class GatewayItemApi(GenericAPIView):
    """Record one gateway item: the coach the Diploma, English and maths, the observation scope; the apprentice
    declares the portfolio complete."""

    required_perm = Perm.OWN_ACCOUNT
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(tags=TAGS, summary="Record a gateway item", request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, public_id: UUID, item: str):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        if item not in ITEMS:
            raise Http404(UNKNOWN_ITEM)
        input_class, service, party = ITEMS[item]
        fields = valid_body(input_class, request.data)
        if "version" in fields:
            fields["seen_version"] = fields.pop("version")
        if item == "diploma":
            fields["certificate"] = fields.get("certificate")
        if item == "english-maths" and "date_of_birth" not in fields:  # left out: kept as recorded, not erased
            readiness = gateway_selectors.readiness_of(apprenticeship)
            fields["date_of_birth"] = readiness.apprentice_date_of_birth if readiness else None
        _run(service, f"Only the {'coach' if party == Party.PROVIDER else 'apprentice'} records this item",
             actor=Actor.from_request(request), apprenticeship=apprenticeship, **fields)
        return _respond(selectors.apprenticeship_for(request.user, public_id))


class GatewaySignatureApi(GenericAPIView):
    """Sign the readiness decision online (provider, apprentice, employer in order), or, as the coach, record the
    apprentice's or the employer's signature obtained offline."""

    required_perm = Perm.OWN_ACCOUNT

    class InputSerializer(serializers.Serializer):
        party = serializers.ChoiceField(choices=Party.choices, required=False, allow_null=True, default=None,
                                        help_text="Online: which of your parties you sign for (default: whose "
                                                  "turn it is). Offline: whose signature it is")
        offline = serializers.BooleanField(required=False, default=False)
        signatory_name = serializers.CharField(required=False, allow_blank=True, default="")
        obtained_on = serializers.DateField(required=False, allow_null=True, default=None)
        obtained_how = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(tags=TAGS, summary="Sign the gateway readiness decision", request=InputSerializer,
                   responses={201: OpenApiTypes.OBJECT, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        actor = Actor.from_request(request)
        if fields.pop("offline"):
            _run(gateway_services.record_offline_readiness_signature, "Only the coach records an offline signature",
                 actor=actor, apprenticeship=apprenticeship, **fields)
        else:
            _run(gateway_services.sign_readiness, "Only the coach, the apprentice or the employer signs",
                 actor=actor, apprenticeship=apprenticeship, party=fields["party"])
        return _respond(selectors.apprenticeship_for(request.user, public_id), status.HTTP_201_CREATED)


class GatewayConfirmApi(GenericAPIView):
    """The coach confirms the gateway date: every item met and all three signed; it locks the checklist and
    off-the-job logging after the date."""

    required_perm = Perm.OWN_ACCOUNT

    class InputSerializer(serializers.Serializer):
        gateway_date = serializers.DateField()
        version = serializers.IntegerField(min_value=1, help_text="The apprenticeship_version you last read")

    @extend_schema(tags=TAGS, summary="Confirm the gateway date (the coach)", request=InputSerializer,
                   responses={200: OpenApiTypes.OBJECT, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        _run(gateway_services.confirm_gateway, "Only the apprentice's coach confirms the gateway date",
             actor=Actor.from_request(request), apprenticeship=apprenticeship, gateway_date=fields["gateway_date"],
             seen_version=fields["version"])
        return _respond(selectors.apprenticeship_for(request.user, public_id))


class GatewayCertificateApi(GenericAPIView):
    """A certificate of the gateway record, streamed to whoever may see the apprenticeship (audited as an export)."""

    required_perm = Perm.OWN_ACCOUNT

    @extend_schema(tags=TAGS, summary="Download a gateway certificate",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND})
    def get(self, request, public_id: UUID, which: str):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        return certificate_response(request, gateway_selectors.readiness_of(apprenticeship), which)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/gateway/", GatewayApi.as_view(), name="api-gateway"),
    path("apprenticeships/<uuid:public_id>/gateway/items/<str:item>/", GatewayItemApi.as_view(),
         name="api-gateway-item"),
    path("apprenticeships/<uuid:public_id>/gateway/signatures/", GatewaySignatureApi.as_view(),
         name="api-gateway-signatures"),
    path("apprenticeships/<uuid:public_id>/gateway/confirm/", GatewayConfirmApi.as_view(), name="api-gateway-confirm"),
    path("apprenticeships/<uuid:public_id>/gateway/certificates/<str:which>/", GatewayCertificateApi.as_view(),
         name="api-gateway-certificate"),
]
