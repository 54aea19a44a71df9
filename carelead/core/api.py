"""API plumbing shared by every app: one permission class, pagination, the error shape, and the
helpers every view uses to validate a body and turn a service's errors into HTTP answers."""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, status
from rest_framework.settings import api_settings

from carelead.core.drf import HasRequiredPerm
from carelead.core.errors import StaleEdit
from carelead.core.permissions import Perm

UNKNOWN_FIELD_MESSAGE = "This field cannot be set here"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = StaleEdit().message
    default_code = "stale_edit"


def invalid(error: DjangoValidationError) -> exceptions.ValidationError:
    """A model's full_clean() errors as a 400 body naming each bad field: {field: [messages]}."""
    if not hasattr(error, "error_dict"):
        return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
    return exceptions.ValidationError({
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in error.message_dict.items()
    })


@contextmanager
def service_errors():
    """Around a service call: invalid fields become 400 {field: [messages]}, a stale version 409."""
    try:
        yield
    except DjangoValidationError as error:
        raise invalid(error) from error
    except StaleEdit as error:
        raise Conflict(error.message) from error


def valid_body(serializer_class, data, *, partial: bool = False, strict: bool = True) -> dict:
    """The validated body. Fields the serializer does not take are errors too, so a typo, or an
    attempt to move a record somewhere else, is never silently ignored.

    Query strings are not strict: they carry pagination (`page`, `page_size`) as well as filters.
    """
    serializer = serializer_class(data=data, partial=partial)
    ok = serializer.is_valid()
    errors = dict(serializer.errors)
    if strict and hasattr(data, "keys"):
        errors.update({name: [UNKNOWN_FIELD_MESSAGE] for name in data.keys() if name not in serializer.fields})
    if errors or not ok:
        raise exceptions.ValidationError(errors)
    return dict(serializer.validated_data)


def deny_unless_held(user, perm: Perm) -> None:
    """For a method needing more than the view's `required_perm`: 403 for a role that has it nowhere."""
    from carelead.organisations.selectors import holds_anywhere

    if not holds_anywhere(user, perm):
        raise exceptions.PermissionDenied(HasRequiredPerm.message)


class ApiSchema(AutoSchema):
    """Names a view's nested serializers after the view (PersonDetailApi.OutputSerializer is the
    component PersonDetailOutput), so no two views' InputSerializer share a schema component."""

    def get_serializer_name(self, serializer, direction):
        owner, _, name = type(serializer).__qualname__.rpartition(".")
        return f"{owner.removesuffix('Api')}{name.removesuffix('Serializer')}" if owner else name
