"""Account security: authenticator apps, recovery codes, passwords and personal API tokens.

Every write to a staff account goes through here. Sign-in itself (password, lockout) is Django's
`authenticate` with django-axes; the second factor is django-otp's TOTP and static devices.
"""

from base64 import b32encode
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.models import ApiToken, User, hash_token
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import Action

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10

TOKEN_NEEDS_MFA = "Only a member of staff who has signed in with their authenticator app can create a token"


class TooManyAttempts(Exception):
    """Too many wrong codes in a row: django-otp makes the user wait before the next try."""

    def __init__(self, locked_until: datetime | None):
        super().__init__("Too many wrong codes")
        self.locked_until = locked_until

    @property
    def wait_seconds(self) -> int:
        if self.locked_until is None:
            return 1
        return max(1, int((self.locked_until - timezone.now()).total_seconds() + 0.999))

    @property
    def wait_text(self) -> str:
        """How long to wait, in words: "8 seconds", "2 minutes", "3 hours" (rounded up)."""
        seconds = self.wait_seconds
        if seconds >= 3600:
            count, unit = -(-seconds // 3600), "hour"
        elif seconds >= 60:
            count, unit = -(-seconds // 60), "minute"
        else:
            count, unit = seconds, "second"
        return f"{count} {unit}{'s' if count != 1 else ''}"


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret an authenticator app can be given by hand: base32, as in the QR code."""
    return b32encode(device.bin_key).decode()


def start_authenticator_enrolment(user: User) -> TOTPDevice:
    """The user's new, unconfirmed authenticator: made once and reused until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_authenticator(*, user: User, device_id: int, code: str) -> TOTPDevice | None:
    """A correct code from the app confirms the new authenticator, which replaces any earlier one."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        return None
    _check_not_throttled(device)
    if not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device


def check_authenticator_code(*, user: User, code: str) -> TOTPDevice | None:
    """The user's authenticator when `code` is its current code (each code works once)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            return None
        _check_not_throttled(device)
        return device if device.verify_token(code) else None


def use_recovery_code(*, user: User, code: str) -> StaticDevice | None:
    """The user's recovery-codes device when `code` is one of its unused codes; the code is used up."""
    with transaction.atomic():
        device = (
            StaticDevice.objects.select_for_update()
            .filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True).order_by("pk").first()
        )
        if device is None:
            return None
        _check_not_throttled(device)
        return device if device.verify_token(code) else None


def _check_not_throttled(device) -> None:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise TooManyAttempts((data or {}).get("locked_until"))


@transaction.atomic
def create_recovery_codes(user: User, count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """A fresh set of one-time recovery codes for the user; any earlier codes stop working."""
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    elif not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < count:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def enrol_demo_authenticator(user: User) -> tuple[str, str]:
    """For demo accounts: a confirmed authenticator and an unused recovery code, made when missing.

    Returns (authenticator secret in base32, one recovery code). Calling it again returns the
    same secret, so a demo authenticator app set up earlier keeps working.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    code = (
        StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True)
        .order_by("pk").values_list("token", flat=True).first()
    )
    if code is None:
        code = create_recovery_codes(user)[0]
    return authenticator_secret(device), code


def record_sign_in(actor: Actor, *, factor: str) -> None:
    """The security log notes each completed sign-in (password and second factor) and how."""
    audit.record(actor, Action.SIGN_IN, actor.user, details={"factor": factor})


@transaction.atomic
def change_password(*, actor: Actor, new_password: str) -> None:
    """Sets the actor's new password (already validated by the form); other sessions end."""
    user = actor.user
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(actor, Action.UPDATE, user, details={"fields": ["password"]})


@transaction.atomic
def create_api_token(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """A personal API token for the actor: the key is returned once and only its hash is kept."""
    is_verified = getattr(actor.user, "is_verified", None)
    if not (callable(is_verified) and is_verified()):
        raise NotAllowed(TOKEN_NEEDS_MFA)
    key = ApiToken.new_key()
    token = ApiToken(user=actor.user, name=name.strip(), prefix=key[:8], key_hash=hash_token(key))
    token.full_clean()
    token.save()
    audit.record(actor, Action.CREATE, token)
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: Actor, token: ApiToken) -> None:
    """The token stops working at once; it is kept, revoked, so the security log still makes sense."""
    if token.user_id != actor.user.pk:
        raise NotAllowed("You can only revoke your own tokens")
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, Action.DELETE, token)
