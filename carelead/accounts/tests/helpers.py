"""Test helpers for the sign-in flow: a confirmed authenticator and the code it shows now."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.services import AUTHENTICATOR_NAME


def current_code(device: TOTPDevice) -> str:
    """The 6-digit code an authenticator app would show for this device right now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def give_authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
