"""Optimistic locking of the care plan over HTTP (RFC 9110 §8.8.3 ETag, §13.1.1 If-Match; RFC 6585 §3):
every answer about the plan carries `ETag: "<version>"`, every write sends `If-Match: "<version>"`;
428 without it, 412 with the current version and the changes since when someone has saved after it."""

import re

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from carelead.careplans import diff, plan_services
from carelead.careplans.models import CarePlan, CarePlanVersion
from carelead.careplans.plan_api.serializers import ChangeSerializer, StaleSerializer
from carelead.core.api import invalid
from carelead.core.errors import StaleEdit

IF_MATCH_MISSING = 'Send If-Match: "<version>" with the plan version you last read (its ETag)'
IF_MATCH_INVALID = 'If-Match must be one plan version in quotes, as the ETag gave it: "4"'
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description='Required. The plan version you last read, as its ETag gave it ("4"). '
                "428 if missing; 412 with the changes since if someone has saved after it.",
)
ETAG = OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201, 204],
                        description='The plan version now, in quotes ("5"): send it as If-Match to change the plan')
REQUIRED = OpenApiResponse(description="No If-Match header: read the plan, then send its ETag as If-Match")


class PreconditionRequired(exceptions.APIException):
    status_code, default_detail, default_code = 428, IF_MATCH_MISSING, "if_match_required"


class PreconditionFailed(exceptions.APIException):
    status_code, default_code = status.HTTP_412_PRECONDITION_FAILED, "stale_version"
    default_detail = plan_services.STALE_MESSAGE

    def __init__(self, body: dict):
        super().__init__()
        self.detail = body  # as it is: APIException would turn current_version into a string


STALE = OpenApiResponse(StaleSerializer, description="Someone saved since the version you sent: nothing was written")


def seen_version(request) -> int:
    """The version the client last read, from If-Match: 428 when absent, 400 when not one version."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    match = _ETAG.match(header)
    if not match:
        raise exceptions.ValidationError({"If-Match": [IF_MATCH_INVALID]})
    return int(match[1])


def _snapshot_at(plan: CarePlan, version: int) -> dict | None:
    return CarePlanVersion.objects.filter(plan=plan, version=version).values_list("snapshot", flat=True).first()


def stale(plan: CarePlan, seen: int) -> PreconditionFailed:
    """412 naming the current version and what changed since `seen` (empty if `seen` was never a version)."""
    plan.refresh_from_db(fields=["version"])
    before, after = _snapshot_at(plan, seen), _snapshot_at(plan, plan.version)
    changes = diff.compare(before, after) if before is not None and after is not None else []
    return PreconditionFailed({
        "detail": plan_services.STALE_MESSAGE, "current_version": plan.version,
        "changes": ChangeSerializer(changes, many=True).data,
    })


def write(locked: CarePlan, seen: int, service, **kwargs):
    """Run a plan service on `locked` at version `seen`: 412 if stale (checked first, and again by the
    service), 400 naming the fields it refuses."""
    if seen != locked.version:
        raise stale(locked, seen)
    try:
        return service(seen_version=seen, plan=locked, **kwargs)
    except StaleEdit:
        raise stale(locked, seen) from None
    except ValidationError as error:
        raise invalid(error) from error


def with_etag(response: Response, plan: CarePlan) -> Response:
    response["ETag"] = f'"{plan.version}"'
    return response
