"""The second factor: setting up an authenticator app, codes from it, and one-time recovery codes."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts import services
from carelead.accounts.forms import CODE_FORMAT, CODE_WRONG, CURRENT_PASSWORD_WRONG, RECOVERY_WRONG
from carelead.accounts.tests.factories import PASSWORD, UserFactory
from carelead.accounts.tests.helpers import current_code, give_authenticator
from carelead.core.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:mfa-enrol")
SECOND_FACTOR = reverse("accounts:second-factor")
RECOVERY_CODES = reverse("accounts:recovery-codes")
HOME = reverse("core:home")


@pytest.fixture
def no_throttle(settings):
    """django-otp makes each retry after a wrong code wait 1, 2, 4… seconds; tests that retry at once turn it off."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def password_stage(client, user):
    response = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def is_verified(client) -> bool:
    return client.get(HOME).status_code == 200


# --- Negative cases first ---------------------------------------------------------------------------


def test_the_second_factor_pages_need_the_password_first(client):
    for url in (ENROL, SECOND_FACTOR):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign-in"))


def test_a_wrong_code_does_not_confirm_a_new_authenticator(client):
    user = UserFactory()
    password_stage(client, user)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 200 and CODE_WRONG in html and "nhsuk-error-summary" in html
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not is_verified(client)


def test_a_code_that_is_not_six_digits_is_refused_before_it_is_checked(client):
    user = UserFactory()
    password_stage(client, user)
    client.get(ENROL)
    html = client.post(ENROL, {"code": "12ab"}).content.decode()
    assert CODE_FORMAT in html
    assert TOTPDevice.objects.get(user=user).throttling_failure_count == 0


def test_someone_who_has_an_authenticator_cannot_set_up_another_from_the_first_sign_in_page(client):
    user = UserFactory()
    give_authenticator(user)
    password_stage(client, user)
    for response in (client.get(ENROL), client.post(ENROL, {"code": "123456"})):
        assert response.status_code == 302 and response.url == SECOND_FACTOR
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_security_code_is_refused_beside_the_field(client):
    user = UserFactory()
    give_authenticator(user)
    password_stage(client, user)
    response = client.post(SECOND_FACTOR, {"code": "000000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert CODE_WRONG in html and 'id="id_code-error"' in html
    assert not is_verified(client)


def test_codes_tried_too_quickly_after_a_wrong_one_are_held_back(client):
    user = UserFactory()
    device = give_authenticator(user)
    password_stage(client, user)
    client.post(SECOND_FACTOR, {"code": "000000"})
    html = client.post(SECOND_FACTOR, {"code": current_code(device)}).content.decode()
    assert "You have entered too many wrong codes. Wait" in html
    assert not is_verified(client)


def test_a_wrong_recovery_code_is_refused_and_opens_the_recovery_section(client):
    user = UserFactory()
    give_authenticator(user)
    services.create_recovery_codes(user)
    password_stage(client, user)
    html = client.post(SECOND_FACTOR, {"method": "recovery", "recovery_code": "notacode"}).content.decode()
    assert RECOVERY_WRONG in html and '<details class="nhsuk-details" open>' in html
    assert not is_verified(client)


def test_a_recovery_code_works_once_only(client, no_throttle):
    user = UserFactory()
    give_authenticator(user)
    code = services.create_recovery_codes(user)[3]
    password_stage(client, user)
    response = client.post(SECOND_FACTOR, {"method": "recovery", "recovery_code": code.upper()})
    assert response.status_code == 302 and response.url == HOME
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("accounts:sign-out"))
    password_stage(client, user)
    html = client.post(SECOND_FACTOR, {"method": "recovery", "recovery_code": code}).content.decode()
    assert RECOVERY_WRONG in html
    assert not is_verified(client)


def test_the_same_app_code_cannot_be_used_twice(client, no_throttle):
    user = UserFactory()
    device = give_authenticator(user)
    password_stage(client, user)
    code = current_code(device)
    assert client.post(SECOND_FACTOR, {"code": code}).status_code == 302
    client.post(reverse("accounts:sign-out"))
    password_stage(client, user)
    assert CODE_WRONG in client.post(SECOND_FACTOR, {"code": code}).content.decode()


def test_a_user_with_no_authenticator_is_sent_to_set_one_up(client):
    user = UserFactory()
    password_stage(client, user)
    response = client.get(SECOND_FACTOR)
    assert response.status_code == 302 and response.url == ENROL


def test_recovery_codes_are_shown_once_only(client):
    user = UserFactory()
    password_stage(client, user)
    device = TOTPDevice.objects.get(pk=services.start_authenticator_enrolment(user).pk)
    client.post(ENROL, {"code": current_code(device)})
    assert client.get(RECOVERY_CODES).status_code == 200
    response = client.get(RECOVERY_CODES)
    assert response.status_code == 302 and response.url == reverse("accounts:account")


# --- The way through --------------------------------------------------------------------------------


def test_a_new_member_of_staff_signs_in_sets_up_the_app_and_saves_recovery_codes(client):
    user = UserFactory()
    assert password_stage(client, user).url == ENROL
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The QR code is inline SVG, and the same secret is written out in groups of 4 characters.
    assert re.search(r'<div class="carelead-qr[^"]*"><svg role="img" aria-label="[^"]+"', html)
    secret = services.authenticator_secret(device)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert f'<p class="carelead-secret" id="authenticator-key">{grouped}</p>' in html
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html
    assert "data:" not in html
    # Reloading the page keeps the same secret, so a half-done set-up in the app still works.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post(ENROL, {"code": current_code(device)})
    assert response.status_code == 302 and response.url == RECOVERY_CODES
    device.refresh_from_db()
    assert device.confirmed

    page = client.get(RECOVERY_CODES)
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"] and "You will not see these codes again" in html
    saved = set(StaticToken.objects.filter(device__user=user, device__name="Recovery codes")
                .values_list("token", flat=True))
    shown = set(re.findall(r"<li>([a-z2-7]{8})</li>", html))
    assert len(saved) == 10 and shown == saved
    assert f'href="{HOME}"' in html and "I have saved these codes" in html
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(actor=user, action=Action.SIGN_IN).count() == 1


def test_an_enrolled_member_of_staff_signs_in_with_the_code_from_their_app(client):
    user = UserFactory()
    device = give_authenticator(user)
    password_stage(client, user)
    session_before = client.session.session_key
    page = client.get(SECOND_FACTOR).content.decode()
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    code = current_code(device)
    response = client.post(SECOND_FACTOR, {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302 and response.url == HOME
    assert client.session.session_key != session_before  # a new session key once fully signed in
    assert is_verified(client)
    event = AuditEvent.objects.get(actor=user, action=Action.SIGN_IN)
    assert event.details == {"factor": "authenticator app"} and event.person is None


def test_after_the_code_the_user_goes_where_they_were_heading(client):
    user = UserFactory()
    device = give_authenticator(user)
    sign_in_page = reverse("accounts:sign-in") + "?next=/account/"
    client.post(sign_in_page, {"email": user.email, "password": PASSWORD, "next": "/account/"})
    response = client.post(SECOND_FACTOR, {"code": current_code(device), "next": "/account/"})
    assert response.url == "/account/"


def test_after_the_code_an_unsafe_next_address_is_ignored(client):
    user = UserFactory()
    device = give_authenticator(user)
    password_stage(client, user)
    response = client.post(SECOND_FACTOR, {"code": current_code(device), "next": "//evil.example.com/"})
    assert response.url == HOME


def test_a_recovery_code_signs_in_when_the_phone_is_lost(client):
    user = UserFactory()
    give_authenticator(user)
    code = services.create_recovery_codes(user)[0]
    password_stage(client, user)
    response = client.post(SECOND_FACTOR, {"method": "recovery", "recovery_code": f"{code[:4]}-{code[4:]}"})
    assert response.status_code == 302 and is_verified(client)


def test_getting_new_recovery_codes_stops_the_old_ones_working(client, sign_in):
    user = UserFactory()
    old = set(services.create_recovery_codes(user))
    sign_in(user)
    response = client.post(RECOVERY_CODES)
    assert response.status_code == 302 and response.url == RECOVERY_CODES
    html = client.get(RECOVERY_CODES).content.decode()
    new = set(re.findall(r"<li>([a-z2-7]{8})</li>", html))
    assert len(new) == 10 and not (new & old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == new


def test_a_new_phone_needs_the_password_and_a_code_from_the_new_app(client, sign_in, no_throttle):
    user = UserFactory()
    sign_in(user)
    old = TOTPDevice.objects.get(user=user, confirmed=True)
    url = reverse("accounts:authenticator-replace")
    assert client.get(url).status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    html = client.post(url, {"password": "wrong", "code": current_code(new)}).content.decode()
    assert CURRENT_PASSWORD_WRONG in html
    assert TOTPDevice.objects.filter(pk=old.pk).exists()

    response = client.post(url, {"password": PASSWORD, "code": current_code(new)})
    assert response.status_code == 302 and response.url == reverse("accounts:account")
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert is_verified(client)  # still signed in, now through the new device


def test_the_demo_authenticator_gives_a_secret_and_a_recovery_code_that_work(client):
    user = UserFactory()
    secret, recovery_code = services.enrol_demo_authenticator(user)
    assert services.enrol_demo_authenticator(user)[0] == secret  # calling again keeps the same app working
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert services.authenticator_secret(device) == secret
    password_stage(client, user)
    response = client.post(SECOND_FACTOR, {"method": "recovery", "recovery_code": recovery_code})
    assert response.status_code == 302 and is_verified(client)


def test_create_recovery_codes_makes_the_number_asked_for():
    user = UserFactory()
    codes = services.create_recovery_codes(user, count=3)
    assert len(set(codes)) == 3 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    assert StaticDevice.objects.get(user=user).name == "Recovery codes"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (2, "2 seconds"), (59, "59 seconds"), (60, "1 minute"), (61, "2 minutes"),
     (3600, "1 hour"), (3601, "2 hours")],
)
def test_the_wait_after_too_many_wrong_codes_is_given_in_words(seconds, words):
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        assert services.TooManyAttempts(now + timedelta(seconds=seconds)).wait_text == words
