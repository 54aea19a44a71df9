"""The account page and changing a password."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.accounts.forms import CURRENT_PASSWORD_WRONG, NEW_PASSWORD_REQUIRED, PASSWORDS_DIFFERENT
from carelead.accounts.models import ApiToken, hash_token
from carelead.accounts.services import create_recovery_codes
from carelead.accounts.tests.factories import PASSWORD, UserFactory
from carelead.accounts.views import PASSWORD_CHANGED
from carelead.core.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:account")
PASSWORD_CHANGE = reverse("accounts:password-change")
NEW_PASSWORD = "lantern-orchard-biscuit-thunder"


def make_tokens(user, count):
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name=f"Script {n}", prefix=f"abc{n:05d}", key_hash=hash_token(f"{user.pk}-{n}"))
        for n in range(count)
    )


def test_the_account_page_needs_the_second_factor(client, sign_in):
    sign_in(UserFactory(), verified=False)
    response = client.get(ACCOUNT)
    assert response.status_code == 302 and response.url == reverse("accounts:second-factor")


def test_the_account_page_shows_who_you_are_and_your_codes_and_tokens(client, sign_in):
    user = UserFactory(full_name="Priya Shah")
    create_recovery_codes(user, count=4)
    make_tokens(user, 1)
    sign_in(user)
    html = client.get(ACCOUNT).content.decode()
    assert "Priya Shah" in html and user.email in html
    assert "4 unused codes" in html
    assert "Script 0" in html and "abc00000" in html and "Never" in html
    assert f'action="{reverse("accounts:password-change")}"' not in html  # a link, not a form
    assert f'href="{PASSWORD_CHANGE}"' in html


def test_the_account_page_queries_do_not_grow_with_tokens(client, sign_in, django_assert_num_queries):
    user = UserFactory()
    make_tokens(user, 2)
    sign_in(user)
    client.get(ACCOUNT)
    with CaptureQueriesContext(connection) as captured:
        client.get(ACCOUNT)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name=f"More {n}", prefix="x", key_hash=hash_token(f"more-{n}")) for n in range(30)
    )
    with django_assert_num_queries(few):
        client.get(ACCOUNT)


def test_a_wrong_current_password_changes_nothing(client, sign_in):
    user = UserFactory()
    sign_in(user)
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    html = client.post(PASSWORD_CHANGE, data).content.decode()
    assert CURRENT_PASSWORD_WRONG in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_new_passwords_must_match_and_pass_the_validators(client, sign_in):
    user = UserFactory()
    sign_in(user)
    html = client.post(PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                         "new_password2": NEW_PASSWORD + "x"}).content.decode()
    assert PASSWORDS_DIFFERENT in html
    html = client.post(PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": "short1",
                                         "new_password2": "short1"}).content.decode()
    assert "at least 12 characters" in html
    html = client.post(PASSWORD_CHANGE, {"old_password": PASSWORD}).content.decode()
    assert NEW_PASSWORD_REQUIRED in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_password_page_helps_password_managers(client, sign_in):
    sign_in(UserFactory())
    html = client.get(PASSWORD_CHANGE).content.decode()
    assert 'autocomplete="current-password"' in html and html.count('autocomplete="new-password"') == 2


def test_changing_the_password_keeps_this_session_and_is_audited(client, sign_in):
    user = UserFactory()
    sign_in(user)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(PASSWORD_CHANGE, data, follow=True)
    assert response.redirect_chain[-1][0] == ACCOUNT
    assert PASSWORD_CHANGED in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(ACCOUNT).status_code == 200  # still signed in, still past MFA
    event = AuditEvent.objects.get(actor=user, action=Action.UPDATE)
    assert event.details == {"fields": ["password"]} and NEW_PASSWORD not in str(event.details)
