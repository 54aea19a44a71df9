"""Second factors for seeded accounts: a confirmed authenticator app and recovery codes, so a
newcomer can sign in to the demo with the printed secret (or one printed code) and no set-up."""

import base64

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def ensure_authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator app, enrolled now when they have none."""
    device = _confirmed_totp(user)
    if device is None:
        enrol = _accounts_enrolment()
        if enrol is not None:
            enrol(user)
            device = _confirmed_totp(user)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    if _recovery_device(user) is None:
        device_for_codes = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
        StaticToken.objects.bulk_create(
            StaticToken(device=device_for_codes, token=StaticToken.random_token())
            for _ in range(RECOVERY_CODE_COUNT)
        )
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret an authenticator app asks for when the QR code cannot be scanned."""
    return base64.b32encode(device.bin_key).decode("ascii")


def usable_recovery_code(user) -> str:
    """One recovery code that still works: the oldest unused one, or a new one when all are used."""
    device = _recovery_device(user)
    if device is None:
        ensure_authenticator(user)
        device = _recovery_device(user)
    if device.throttling_failure_count:
        # Failed guesses slow the device down; the printed code must work at once.
        device.throttle_reset()
    token = device.token_set.order_by("id").first()
    if token is None:
        token = device.token_set.create(token=StaticToken.random_token())
    return token.token


def _confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def _recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def _accounts_enrolment():
    """accounts.services.enrol_demo_authenticator when the accounts app provides it."""
    try:
        from carelead.accounts import services
    except ImportError:
        return None
    return getattr(services, "enrol_demo_authenticator", None)
