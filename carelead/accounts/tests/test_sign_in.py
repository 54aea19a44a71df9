"""Signing in with email and password: errors that give nothing away, lockout, sessions that expire."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.forms import EMAIL_REQUIRED, PASSWORD_REQUIRED, SIGN_IN_FAILED
from carelead.accounts.tests.factories import PASSWORD, UserFactory
from carelead.accounts.tests.helpers import give_authenticator
from carelead.accounts.views import SIGNED_OUT

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")


def post_sign_in(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password, **extra})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Negative cases first ---------------------------------------------------------------------------


def test_wrong_password_is_refused_without_saying_which_field_was_wrong(client):
    user = UserFactory()
    response = post_sign_in(client, user.email, "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(SIGN_IN_FAILED) == 2  # beside the field and in the error summary
    assert "nhsuk-error-summary" in html and "<title>Error: Sign in" in html
    assert "password is wrong" not in html.lower() and "no account" not in html.lower()
    assert not is_signed_in(client)


def test_an_unknown_email_gets_the_same_message_as_a_wrong_password(client):
    UserFactory()
    wrong_password = post_sign_in(client, "staff-x@example.org", "not-the-password").content.decode()
    assert SIGN_IN_FAILED in wrong_password
    unknown = post_sign_in(client, "nobody@example.org").content.decode()
    assert SIGN_IN_FAILED in unknown
    assert not is_signed_in(client)


def test_blank_fields_get_plain_english_messages(client):
    html = client.post(SIGN_IN, {"email": "", "password": ""}).content.decode()
    assert EMAIL_REQUIRED in html and PASSWORD_REQUIRED in html


def test_the_password_is_never_written_back_into_the_page(client):
    user = UserFactory()
    html = post_sign_in(client, user.email, "my-secret-guess-123").content.decode()
    assert "my-secret-guess-123" not in html


def test_an_inactive_account_cannot_sign_in(client):
    user = UserFactory(is_active=False)
    response = post_sign_in(client, user.email)
    assert SIGN_IN_FAILED in response.content.decode()
    assert not is_signed_in(client)


def test_the_account_locks_after_five_wrong_passwords(client, settings):
    user = UserFactory()
    for _ in range(4):
        assert post_sign_in(client, user.email, "wrong").status_code == 200
    locked = post_sign_in(client, user.email, "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert "Your account is locked" in html
    assert f"for {minutes} minutes" in html and "wrong 5 times" in html
    # The right password does not get in while the account is locked.
    again = post_sign_in(client, user.email)
    assert again.status_code == 429 and "Your account is locked" in again.content.decode()
    assert not is_signed_in(client)


def test_the_lock_is_per_account_whatever_the_letter_case_of_the_email(client):
    user = UserFactory()
    for attempt in range(5):
        post_sign_in(client, user.email.upper() if attempt % 2 else user.email, "wrong")
    assert post_sign_in(client, user.email).status_code == 429


def test_four_wrong_passwords_do_not_lock_the_account(client):
    user = UserFactory()
    give_authenticator(user)
    for _ in range(4):
        post_sign_in(client, user.email, "wrong")
    response = post_sign_in(client, user.email)
    assert response.status_code == 302 and response.url == reverse("accounts:second-factor")
    assert is_signed_in(client)


def test_someone_elses_failures_do_not_lock_this_account(client):
    target, other = UserFactory(), UserFactory()
    for _ in range(5):
        post_sign_in(client, other.email, "wrong")
    assert post_sign_in(client, target.email).status_code == 302


def test_a_password_only_session_cannot_reach_home(client):
    user = UserFactory()
    give_authenticator(user)
    post_sign_in(client, user.email)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("accounts:second-factor")


def test_an_unsafe_next_address_is_ignored(client):
    user = UserFactory()
    give_authenticator(user)
    response = post_sign_in(client, user.email, next="https://evil.example.com/")
    assert response.url == reverse("accounts:second-factor")


def test_sign_out_only_answers_post(client, sign_in):
    sign_in(UserFactory())
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert is_signed_in(client)


# --- The way through --------------------------------------------------------------------------------


def test_the_sign_in_page_helps_browsers_and_password_managers(client):
    html = client.get(SIGN_IN).content.decode()
    assert 'autocomplete="email"' in html and 'type="email"' in html
    assert 'autocomplete="current-password"' in html and 'type="password"' in html
    assert '<label class="nhsuk-label" for="id_email">' in html


def test_a_new_member_of_staff_goes_on_to_set_up_an_authenticator(client):
    user = UserFactory()
    response = post_sign_in(client, user.email)
    assert response.status_code == 302 and response.url == reverse("accounts:mfa-enrol")
    assert is_signed_in(client)


def test_an_enrolled_member_of_staff_goes_on_to_the_security_code_with_next_kept(client):
    user = UserFactory()
    give_authenticator(user)
    response = post_sign_in(client, user.email.upper(), next="/people/")
    assert response.url == reverse("accounts:second-factor") + "?next=%2Fpeople%2F"


def test_a_fully_signed_in_user_is_sent_on_from_the_sign_in_page(client, sign_in):
    sign_in(UserFactory())
    response = client.get(SIGN_IN)
    assert response.status_code == 302 and response.url == reverse("core:home")


def test_sign_out_ends_the_session_and_says_so(client, sign_in):
    sign_in(UserFactory())
    response = client.post(reverse("accounts:sign-out"), follow=True)
    assert response.redirect_chain[-1][0] == SIGN_IN
    assert SIGNED_OUT in response.content.decode()
    assert not is_signed_in(client)
    assert client.get(reverse("core:home")).status_code == 302


def test_sign_out_works_before_the_second_factor_too(client):
    user = UserFactory()
    give_authenticator(user)
    post_sign_in(client, user.email)
    client.post(reverse("accounts:sign-out"))
    assert not is_signed_in(client)


def test_an_idle_session_is_signed_out_and_an_active_one_is_not(client, sign_in, settings):
    sign_in(UserFactory())
    home = reverse("core:home")
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()

    def at(moment):
        return mock.patch("django.utils.timezone.now", return_value=moment)

    with at(start):
        assert client.get(home).status_code == 200
    # Each request pushes the expiry on, so steady use keeps the session.
    with at(start + idle - timedelta(minutes=1)):
        assert client.get(home).status_code == 200
    with at(start + 2 * idle - timedelta(minutes=2)):
        assert client.get(home).status_code == 200
    # Left alone for longer than the idle limit, the session has ended.
    with at(start + 3 * idle):
        response = client.get(home)
    assert response.status_code == 302 and response.url.startswith(SIGN_IN)
