"""GET /api/v1/me/: who a token or an MFA-verified session belongs to, and their current roles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.models import ApiToken, hash_token
from carelead.accounts.tests.factories import UserFactory
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ME = reverse("api:api-me")


def token_for(user, *, revoked=False) -> str:
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user, name="Script", prefix=key[:8], key_hash=hash_token(key),
        revoked_at=timezone.now() if revoked else None,
    )
    return key


def get_me(client, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    return client.get(ME, **headers)


# --- Negative cases first ---------------------------------------------------------------------------


def test_no_token_is_not_authenticated(client):
    response = get_me(client)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_made_up_token_is_refused(client):
    UserFactory()
    assert get_me(client, "not-a-real-token").status_code == 401


def test_a_revoked_token_is_refused(client):
    assert get_me(client, token_for(UserFactory(), revoked=True)).status_code == 401


def test_a_deactivated_users_token_is_refused(client):
    assert get_me(client, token_for(UserFactory(is_active=False))).status_code == 401


def test_a_session_without_mfa_is_not_authenticated(client, sign_in):
    sign_in(UserFactory(), verified=False)
    response = get_me(client)
    assert response.status_code in (401, 403)
    assert "email" not in response.json()


def test_a_token_is_stored_only_as_its_hash(client):
    user = UserFactory()
    key = token_for(user)
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert ApiToken.objects.get(user=user).key_hash == hash_token(key)
    assert get_me(client, key).status_code == 200


# --- The way through --------------------------------------------------------------------------------


def test_a_token_gets_the_user_and_their_current_roles(client):
    user = UserFactory(full_name="Ada Okafor")
    organisation = OrganisationFactory(name="Riverside Care Ltd")
    home, day_centre = LocationFactory(organisation=organisation, name="Riverside House"), LocationFactory(
        organisation=organisation, name="Riverside Day Centre")
    membership = MembershipFactory(user=user, organisation=organisation, role=Role.LEAD_PRACTITIONER,
                                   locations=[home, day_centre])
    MembershipFactory(user=user, role=Role.CARE_WORKER, ended_at=timezone.now())  # ended: left out
    response = get_me(client, token_for(user))
    assert response.status_code == 200
    assert response.json() == {
        "email": user.email,
        "full_name": "Ada Okafor",
        "memberships": [{
            "id": str(membership.public_id),
            "organisation_id": str(organisation.public_id),
            "organisation": "Riverside Care Ltd",
            "role": "lead_practitioner",
            "role_name": "Lead practitioner",
            "all_locations": False,
            "locations": [
                {"id": str(day_centre.public_id), "name": "Riverside Day Centre"},
                {"id": str(home.public_id), "name": "Riverside House"},
            ],
        }],
    }


def test_using_a_token_records_when_it_was_last_used(client):
    user = UserFactory()
    key = token_for(user)
    get_me(client, key)
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_an_mfa_verified_session_works_too(client, sign_in):
    user = UserFactory()
    sign_in(user)
    response = get_me(client)
    assert response.status_code == 200 and response.json()["email"] == user.email


def test_me_queries_do_not_grow_with_roles_or_locations(client, django_assert_num_queries):
    user = UserFactory()
    key = token_for(user)
    MembershipFactory(user=user)
    get_me(client, key)  # sets last_used_at, so later requests skip that write
    with CaptureQueriesContext(connection) as captured:
        get_me(client, key)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert 0 < few <= 3
    for _ in range(5):
        organisation = OrganisationFactory()
        MembershipFactory(user=user, organisation=organisation,
                          locations=LocationFactory.create_batch(3, organisation=organisation))
    with django_assert_num_queries(few):
        response = get_me(client, key)
    assert len(response.json()["memberships"]) == 6
