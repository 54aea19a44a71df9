"""Shared fixtures: test-only settings, and `sign_in`, which logs a member of staff in past MFA."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = True


def verify_session(client, user) -> TOTPDevice:
    """Mark the client's session as having passed the second factor with the user's TOTP device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def sign_in(client):
    """sign_in(membership_or_user) -> a client signed in as that user, through MFA."""

    def _sign_in(who, *, verified: bool = True):
        user = getattr(who, "user", who)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if verified:
            verify_session(client, user)
        return client

    return _sign_in
