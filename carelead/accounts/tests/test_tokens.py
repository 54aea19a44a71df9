"""Personal API tokens: created only past MFA, shown once, kept hashed, revoked at once."""

import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from carelead.accounts.forms import TOKEN_NAME_REQUIRED
from carelead.accounts.models import ApiToken, hash_token
from carelead.accounts.services import create_api_token
from carelead.accounts.tests.factories import UserFactory
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

CREATE = reverse("accounts:token-create")


def revoke_url(token):
    return reverse("accounts:token-revoke", args=[token.public_id])


def key_on_page(html: str) -> str:
    return re.search(r'<p class="carelead-secret" id="token-key">([^<]+)</p>', html).group(1)


def every_stored_value() -> str:
    """Every column of every row in the database, as text: to prove a secret is not stored."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            dump.extend(str(row) for row in cursor.fetchall())
    return "\n".join(dump)


# --- Negative cases first ---------------------------------------------------------------------------


def test_a_session_without_mfa_cannot_create_a_token(client, sign_in):
    user = UserFactory()
    sign_in(user, verified=False)
    response = client.post(CREATE, {"name": "Script"})
    assert response.status_code == 302 and response.url == reverse("accounts:second-factor")
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_user_who_has_not_passed_mfa():
    user = UserFactory()
    with pytest.raises(NotAllowed):
        create_api_token(actor=Actor(user=user), name="Script")
    user.is_verified = lambda: False
    with pytest.raises(NotAllowed):
        create_api_token(actor=Actor(user=user), name="Script")
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(client, sign_in):
    sign_in(UserFactory())
    response = client.post(CREATE, {"name": "  "})
    assert response.status_code == 200 and TOKEN_NAME_REQUIRED in response.content.decode()
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked_and_is_not_confirmed_to_exist(client, sign_in):
    theirs = ApiToken.objects.create(user=UserFactory(), name="Theirs", prefix="abcd1234", key_hash=hash_token("k"))
    sign_in(UserFactory())
    assert client.post(revoke_url(theirs)).status_code == 404
    assert client.post(reverse("accounts:token-revoke", args=[uuid.uuid4()])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoke_only_answers_post(client, sign_in):
    user = UserFactory()
    token = ApiToken.objects.create(user=user, name="Mine", prefix="abcd1234", key_hash=hash_token("k"))
    sign_in(user)
    assert client.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


# --- The way through --------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client, sign_in):
    user = UserFactory()
    sign_in(user)
    response = client.post(CREATE, {"name": "Rota script"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    key = key_on_page(html)
    assert "You will not see it again" in html and f"Authorization: Token {key}" in html
    token = ApiToken.objects.get(user=user)
    assert (token.name, token.prefix, token.key_hash) == ("Rota script", key[:8], hash_token(key))
    assert key not in every_stored_value()  # not in the token table, the session or the audit trail
    # The account page lists it by its first characters, never the whole key.
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Rota script" in account and key[:8] in account and key not in account
    subject = f"accounts.ApiToken:{token.public_id}"
    assert AuditEvent.objects.filter(actor=user, action=Action.CREATE, subject=subject).exists()


def test_the_create_page_works_without_javascript(client, sign_in):
    sign_in(UserFactory())
    html = client.get(CREATE).content.decode()
    assert f'action="{CREATE}"' in html and 'name="name"' in html


def test_revoking_a_token_stops_it_at_once_and_is_audited(client, sign_in):
    user = UserFactory()
    sign_in(user)
    key = key_on_page(client.post(CREATE, {"name": "Old laptop"}).content.decode())
    token = ApiToken.objects.get(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get(reverse("api:api-me"), **auth).status_code == 200
    response = client.post(revoke_url(token), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:account")
    assert "has been revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("api:api-me"), **auth).status_code == 401
    subject = f"accounts.ApiToken:{token.public_id}"
    assert AuditEvent.objects.filter(actor=user, action=Action.DELETE, subject=subject).exists()
    # A revoked token is no longer listed and cannot be revoked again.
    sign_in(user)
    assert "Old laptop" not in client.get(reverse("accounts:account")).content.decode()
    assert client.post(revoke_url(token)).status_code == 404
