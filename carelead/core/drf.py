"""The classes DRF's settings name (permission, pagination, exception handler).

Kept apart from core/api.py because DRF imports these while defining APIView: nothing here may
import rest_framework.views (or drf-spectacular, which does) at module level.
"""

from django.http import Http404
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination

from carelead.core.decorators import PUBLIC, names_a_record
from carelead.core.permissions import Perm


class HasRequiredPerm(permissions.BasePermission):
    """Reads `required_perm` from the view, like `@requires` does for pages. Deny when absent."""

    message = "You do not have a role that allows this."

    def has_permission(self, request, view) -> bool:
        required = getattr(view, "required_perm", None)
        if required is None:
            return False  # deny by default: an endpoint that declares nothing is closed
        if required == PUBLIC:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if required == Perm.OWN_ACCOUNT:
            return True
        from carelead.organisations.selectors import holds_anywhere

        if not holds_anywhere(user, required):
            if names_a_record(view.kwargs):  # as on pages: never confirm that a record exists
                raise Http404
            return False
        return True


class StablePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """DRF's handler, with validation errors always keyed by field name (never a bare list)."""
    from rest_framework.views import exception_handler as drf_exception_handler  # imports this module's classes

    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, list):
        exc.detail = {"non_field_errors": exc.detail}
    return drf_exception_handler(exc, context)
