"""Sign in, the second factor, setting up an authenticator app, and each person's own account page."""

from functools import partial
from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carelead.accounts import selectors, services
from carelead.accounts.forms import (
    CODE_WRONG,
    RECOVERY_WRONG,
    TOO_MANY_ATTEMPTS,
    AuthenticatorCodeForm,
    ChangePasswordForm,
    RecoveryCodeForm,
    ReplaceAuthenticatorForm,
    SignInForm,
    TokenCreateForm,
)
from carelead.accounts.qr import qr_svg
from carelead.core.actor import Actor
from carelead.core.decorators import password_only, public, requires
from carelead.core.permissions import Perm

NEW_RECOVERY_CODES = "carelead_new_recovery_codes"  # session key: codes shown once, then removed
SIGNED_OUT = "You have signed out"
PASSWORD_CHANGED = "Your password has been changed"
AUTHENTICATOR_REPLACED = "Your new authenticator app is set up. The old one no longer works"
TOKEN_REVOKED = "The token “{name}” has been revoked. It no longer works"


def _safe_next(request: HttpRequest) -> str:
    """The page to go to after signing in, when it is on this site; otherwise nothing."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _complete_sign_in(request: HttpRequest, device, *, factor: str) -> None:
    """The second factor is given: mark the session verified under a new session key."""
    django_otp.login(request, device)
    request.session.cycle_key()
    services.record_sign_in(Actor.from_request(request), factor=factor)


def _check_code(form, field: str, check, wrong_message: str):
    """Run `check(code=...)` on a valid form; put a wrong or throttled code beside its field."""
    if not form.is_valid():
        return None
    try:
        device = check(code=form.cleaned_data[field])
    except services.TooManyAttempts as throttled:
        form.add_error(field, TOO_MANY_ATTEMPTS.format(wait=throttled.wait_text))
        return None
    if device is None:
        form.add_error(field, wrong_message)
    return device


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters("password")
@public
def sign_in(request: HttpRequest) -> HttpResponse:
    """Email and password; django-axes locks the account after too many failures."""
    next_url = _safe_next(request)
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(next_url or "core:home")
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        enrolled = selectors.has_authenticator(form.user)
        return redirect(_with_next("accounts:second-factor" if enrolled else "accounts:mfa-enrol", next_url))
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@require_POST
@public
def sign_out(request: HttpRequest) -> HttpResponse:
    """Ends the session, whether or not the second factor was given."""
    logout(request)
    messages.success(request, SIGNED_OUT)
    return redirect("accounts:sign-in")


@require_http_methods(["GET", "POST"])
@never_cache
@password_only
def second_factor(request: HttpRequest) -> HttpResponse:
    """A code from the authenticator app, or one of the recovery codes (each works once)."""
    user, next_url = request.user, _safe_next(request)
    if user.is_verified():
        return redirect(next_url or "core:home")
    if not selectors.has_authenticator(user):
        return redirect("accounts:mfa-enrol")
    posted = request.POST if request.method == "POST" else None
    use_recovery = request.POST.get("method") == "recovery"
    code_form = AuthenticatorCodeForm(None if use_recovery else posted)
    recovery_form = RecoveryCodeForm(posted if use_recovery else None)
    if posted is not None:
        if use_recovery:
            check = partial(services.use_recovery_code, user=user)
            device = _check_code(recovery_form, "recovery_code", check, RECOVERY_WRONG)
        else:
            device = _check_code(code_form, "code", partial(services.check_authenticator_code, user=user), CODE_WRONG)
        if device is not None:
            _complete_sign_in(request, device, factor="recovery code" if use_recovery else "authenticator app")
            return redirect(next_url or "core:home")
    context = {"code_form": code_form, "recovery_form": recovery_form, "next": next_url}
    return render(request, "accounts/second_factor.html", context)


def _confirm_authenticator(request: HttpRequest, form, device):
    """The pending authenticator, confirmed, when the posted form is valid and its code is right."""
    if request.method != "POST":
        return None
    check = partial(services.confirm_authenticator, user=request.user, device_id=device.pk)
    return _check_code(form, "code", check, CODE_WRONG)


def _authenticator_setup_page(request: HttpRequest, form, device, *, replacing: bool) -> HttpResponse:
    secret = services.authenticator_secret(device)
    context = {
        "form": form,
        "qr": qr_svg(device.config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "replacing": replacing,
    }
    return render(request, "accounts/mfa_enrol.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@password_only
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: every member of staff sets up an authenticator app before going further."""
    if selectors.has_authenticator(request.user):
        return redirect("accounts:second-factor")
    device = services.start_authenticator_enrolment(request.user)
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    confirmed = _confirm_authenticator(request, form, device)
    if confirmed is None:
        return _authenticator_setup_page(request, form, device, replacing=False)
    _complete_sign_in(request, confirmed, factor="new authenticator app")
    request.session[NEW_RECOVERY_CODES] = services.create_recovery_codes(request.user)
    return redirect("accounts:recovery-codes")


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters("password")
@requires(Perm.OWN_ACCOUNT)
def authenticator_replace(request: HttpRequest) -> HttpResponse:
    """A new phone: set up a new authenticator app; the old one stops working once this is done."""
    device = services.start_authenticator_enrolment(request.user)
    form = ReplaceAuthenticatorForm(request.user, request.POST if request.method == "POST" else None)
    confirmed = _confirm_authenticator(request, form, device)
    if confirmed is None:
        return _authenticator_setup_page(request, form, device, replacing=True)
    django_otp.login(request, confirmed)  # the session was verified by the device just replaced
    request.session.cycle_key()
    messages.success(request, AUTHENTICATOR_REPLACED)
    return redirect("accounts:account")


@require_http_methods(["GET", "POST"])
@never_cache
@requires(Perm.OWN_ACCOUNT)
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (POST), shown once (GET); earlier codes stop working."""
    if request.method == "POST":
        request.session[NEW_RECOVERY_CODES] = services.create_recovery_codes(request.user)
        return redirect("accounts:recovery-codes")
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if not codes:
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_GET
@requires(Perm.OWN_ACCOUNT)
def account(request: HttpRequest) -> HttpResponse:
    """The member of staff's own details, password, recovery codes and API tokens."""
    context = {
        "tokens": selectors.active_tokens(request.user),
        "codes_left": selectors.recovery_codes_left(request.user),
        "token_form": TokenCreateForm(),
    }
    return render(request, "accounts/account.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters()
@requires(Perm.OWN_ACCOUNT)
def password_change(request: HttpRequest) -> HttpResponse:
    """A new password, checked by the password validators; this session stays signed in."""
    form = ChangePasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.change_password(actor=Actor.from_request(request), new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, PASSWORD_CHANGED)
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
@never_cache
@requires(Perm.OWN_ACCOUNT)
def token_create(request: HttpRequest) -> HttpResponse:
    """A new personal API token; its key is shown on the page that follows and never again."""
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token, key = services.create_api_token(actor=Actor.from_request(request), name=form.cleaned_data["name"])
        return render(request, "accounts/token_created.html", {"token": token, "key": key})
    return render(request, "accounts/token_create.html", {"form": form})


@require_POST
@requires(Perm.OWN_ACCOUNT)
def token_revoke(request: HttpRequest, public_id) -> HttpResponse:
    """The token stops working at once. Someone else's token is a 404."""
    token = selectors.token_for(request.user, public_id)
    services.revoke_api_token(actor=Actor.from_request(request), token=token)
    messages.success(request, TOKEN_REVOKED.format(name=token.name))
    return redirect("accounts:account")
