"""Reads about a staff member's own account: their authenticator, recovery codes, tokens and roles."""

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.models import ApiToken, User
from carelead.accounts.services import RECOVERY_DEVICE_NAME
from carelead.organisations.models import Membership


def has_authenticator(user: User) -> bool:
    """Whether the user has confirmed an authenticator app (so they have finished enrolling)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    """How many of the user's one-time recovery codes are still unused."""
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True
    ).count()


def active_tokens(user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-pk")


def token_for(user: User, public_id: UUID) -> ApiToken:
    """404 whether the token does not exist, is revoked, or is someone else's."""
    return get_object_or_404(active_tokens(user), public_id=public_id)


def current_memberships(user: User) -> QuerySet[Membership]:
    """The user's current roles, with their organisation and locations loaded (two queries)."""
    return (
        Membership.objects.current().filter(user=user)
        .select_related("organisation").prefetch_related("locations")
        .order_by("organisation__name", "pk")
    )
