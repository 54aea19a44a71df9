"""API authentication: personal tokens (hashed) for scripts; the session only after MFA."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from carelead.accounts.models import ApiToken, hash_token


class HashedTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most once a minute
        # A token can only be created by an MFA-enrolled user: using it counts as verified.
        token.user.is_verified = lambda: True
        return token.user, token


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session counts for the API only once the user has passed MFA."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        django_user = request._request.user
        if not (hasattr(django_user, "is_verified") and django_user.is_verified()):
            return None
        return user, auth


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """Describes the MFA-verified browser session in the OpenAPI schema (scripts use a token)."""

    target_class = VerifiedSessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The browser session, once its user has given their second factor",
        }
