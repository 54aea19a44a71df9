"""API endpoints of the assessments app, mounted under /api/v1/ by carelead.api.urls.

`POST /api/v1/tools/<tool>/score` scores one set of inputs with a standard tool
(`carelead.assessments.tools.score`, DESIGN.md "Contracts"): the tool names and input encodings are
those of reference/clinical-tools.md §11.1. It touches no one's record, so it writes nothing and
audits nothing; it is for staff who may see people's records (`Perm.PERSON_VIEW`), as the scores
are clinical.
"""

from decimal import Decimal

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from carelead.assessments.tools import TOOLS, ToolInputError, score
from carelead.core.drf import HasRequiredPerm
from carelead.core.permissions import Perm

UNKNOWN_TOOL_MESSAGE = 'There is no scoring tool called "{tool}". Choose one of: ' + ", ".join(TOOLS)

TAGS = ["tools"]
INVALID = OpenApiResponse(description="Bad or missing inputs: a body naming each bad field, {field: [messages]}")
NOT_FOUND = OpenApiResponse(description="No scoring tool has this name")
WRONG_ROLE = OpenApiResponse(description="None of your roles allows this")


def json_number(total: int | Decimal) -> int | float | str:
    """A tool's total as JSON writes it: an int as it is; a whole Decimal as an int; a fractional
    Decimal as a JSON number when that number's shortest text is exactly the Decimal (18.5, 0.1),
    else as a string, so no digit is ever lost to binary floating point."""
    if not isinstance(total, Decimal):
        return total
    if total == total.to_integral_value():
        return int(total)
    as_float = float(total)
    return as_float if Decimal(repr(as_float)) == total else str(total)


def version_of(tool: str) -> str | None:
    """The card a score was made on, for a tool with more than one live version (§0.7: Waterlow's
    1985 and 2005 cards); None for the others."""
    if tool == "waterlow":
        from carelead.assessments.tools import waterlow  # lazily, as the registry imports the tools

        return waterlow.VERSION
    return None


class HoldsRequiredPerm(HasRequiredPerm):
    """As every API view, but a tool's name is nobody's record: a role without the permission is
    told 403, never the 404 that hides whether a record exists."""

    def has_permission(self, request, view) -> bool:
        try:
            return super().has_permission(request, view)
        except Http404:
            return False


@extend_schema_field({"type": "number", "description": (
    "The tool's total. Always a JSON number for today's tools; a fractional total that a double "
    "cannot hold exactly would be sent as a decimal string rather than lose a digit.")})
class TotalField(serializers.Field):
    def to_representation(self, value):
        return json_number(value)


class ToolScoreApi(APIView):
    """Score one set of inputs with a standard tool. Nothing is saved."""

    required_perm = Perm.PERSON_VIEW
    permission_classes = [HoldsRequiredPerm]
    parser_classes = [JSONParser]

    class OutputSerializer(serializers.Serializer):
        tool = serializers.ChoiceField(choices=TOOLS)
        total = TotalField()
        category = serializers.CharField(help_text="A category code of clinical-tools.md §11.1, e.g. low_medium")
        version = serializers.CharField(required=False,
                                        help_text='Waterlow only: the card scored against ("2005")')

    def check_permissions(self, request):
        # Only POST exists here: any other method is a 405 for everyone, signed in or not, before
        # the role check (the public schema already says so, so this reveals nothing).
        if request.method not in self.allowed_methods:
            self.http_method_not_allowed(request)
        super().check_permissions(request)

    @extend_schema(
        tags=TAGS,
        summary="Score a standard assessment tool",
        description="The body is the tool's inputs, named and encoded as in clinical-tools.md §11.1. "
                    "Every bad, missing or unknown input is named in one 400 answer. Nothing is saved.",
        parameters=[OpenApiParameter("tool", OpenApiTypes.STR, OpenApiParameter.PATH, enum=TOOLS,
                                     description="The tool's name")],
        request=OpenApiTypes.OBJECT,
        responses={200: OutputSerializer, 400: INVALID, 403: WRONG_ROLE, 404: NOT_FOUND},
        examples=[OpenApiExample(
            "Abbey Pain Scale",
            request_only=True,
            value={"vocalisation": 2, "facial_expression": 2, "body_language_change": 2, "behavioural_change": 1,
                   "physiological_change": 1, "physical_changes": 0},
        )],
    )
    def post(self, request, tool: str):
        if tool not in TOOLS:
            raise exceptions.NotFound(UNKNOWN_TOOL_MESSAGE.format(tool=tool))
        try:
            result = score(tool, request.data)
        except ToolInputError as error:
            raise exceptions.ValidationError({field: [message] for field, message in error.errors.items()}) from error
        answer = {"tool": tool, "total": result.total, "category": result.category}
        version = version_of(tool)
        if version is not None:
            answer["version"] = version
        return Response(self.OutputSerializer(answer).data)


urlpatterns = [
    path("tools/<str:tool>/score", ToolScoreApi.as_view(), name="api-tool-score"),
]
