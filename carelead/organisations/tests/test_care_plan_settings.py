"""The organisation's care plan review cycle: set by its admins (page and API), 1 to 366 days,
refused for anyone else and for another organisation."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations import services
from carelead.organisations.tests.factories import MembershipFactory, OrganisationFactory
from carelead.organisations.tests.test_api import admin_of
from carelead.people.tests.test_api import TokenClient, token_for

pytestmark = pytest.mark.django_db

PAGE = reverse("organisations:care-plan-settings")
MESSAGE = "Enter a number of days from 1 to 366"


@pytest.fixture
def api(client):
    return lambda who: TokenClient(client, token_for(who.user))


def _api_url(organisation) -> str:
    return reverse("api:api-organisation-settings", args=[organisation.public_id])


def _page(organisation) -> str:
    return f"{PAGE}?organisation={organisation.public_id}"


def test_staff_who_do_not_manage_locations_cannot_open_or_post_the_page(sign_in):
    for role in (Role.CARE_WORKER, Role.REGISTERED_MANAGER):
        membership = MembershipFactory(role=role)
        client = sign_in(membership)
        assert client.get(PAGE).status_code == 403
        assert client.post(_page(membership.organisation), {"plan_review_interval_days": "7"}).status_code == 403
        membership.organisation.refresh_from_db()
        assert membership.organisation.plan_review_interval_days == 28


def test_another_organisation_is_a_404_and_unchanged(sign_in):
    other = OrganisationFactory()
    client = sign_in(admin_of())
    assert client.get(_page(other)).status_code == 404
    assert client.post(_page(other), {"plan_review_interval_days": "7"}).status_code == 404
    other.refresh_from_db()
    assert other.plan_review_interval_days == 28


@pytest.mark.parametrize("value", ["", "0", "367", "-3", "two weeks", "14.5"])
def test_a_number_of_days_outside_1_to_366_is_refused_beside_the_field(sign_in, value):
    admin = admin_of()
    response = sign_in(admin).post(_page(admin.organisation), {"plan_review_interval_days": value})
    assert response.status_code == 200
    assert response.context["form"].errors == {"plan_review_interval_days": [MESSAGE]}
    assert MESSAGE in response.content.decode()
    admin.organisation.refresh_from_db()
    assert admin.organisation.plan_review_interval_days == 28


@pytest.mark.parametrize("value", [1, 366])
def test_an_admin_sets_the_cycle_at_either_end_of_the_range_and_it_is_audited(sign_in, value):
    admin = admin_of()
    client = sign_in(admin)
    assert 'value="28"' in client.get(_page(admin.organisation)).content.decode()
    response = client.post(_page(admin.organisation), {"plan_review_interval_days": str(value)})
    assert response.status_code == 302
    admin.organisation.refresh_from_db()
    assert admin.organisation.plan_review_interval_days == value
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.details == {"fields": ["plan_review_interval_days"]}
    assert f"Every {value} days" in client.get(reverse("organisations:admin-home")).content.decode()


def test_the_service_checks_the_actor_and_the_range_itself():
    admin, outsider = admin_of(), MembershipFactory(role=Role.LEAD_PRACTITIONER)
    with pytest.raises(NotAllowed):
        services.update_care_plan_settings(actor=Actor(user=outsider.user), organisation=admin.organisation,
                                           plan_review_interval_days=14)
    for bad in (0, 367, True, "14"):
        with pytest.raises(ValidationError) as error:
            services.update_care_plan_settings(actor=Actor(user=admin.user), organisation=admin.organisation,
                                               plan_review_interval_days=bad)
        assert error.value.message_dict == {"plan_review_interval_days": [MESSAGE]}


def test_the_api_reads_and_changes_the_cycle_for_admins_only(api):
    admin = admin_of()
    url = _api_url(admin.organisation)
    assert api(admin).get(url).json()["plan_review_interval_days"] == 28
    response = api(admin).patch(url, {"plan_review_interval_days": 14})
    assert (response.status_code, response.json()["plan_review_interval_days"]) == (200, 14)
    response = api(admin).patch(url, {"plan_review_interval_days": 0, "name": "Renamed"})
    assert response.status_code == 400
    assert set(response.json()) == {"plan_review_interval_days", "name"}
    assert api(admin).get(_api_url(OrganisationFactory())).status_code == 404
    assert api(admin).get(reverse("api:api-organisation-settings", args=[uuid.uuid4()])).status_code == 404
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=admin.organisation)
    assert api(worker).patch(url, {"plan_review_interval_days": 7}).status_code in (403, 404)
    admin.organisation.refresh_from_db()
    assert admin.organisation.plan_review_interval_days == 14
