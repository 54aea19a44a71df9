"""The status pages: who may see them (negative cases first), what they show, what is audited, and
that their query counts do not grow with locations or records."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory
from carelead.people.tests.factories import PersonFactory
from carelead.reports.tests import factories as make
from carelead.reports.views import GROUP_CAP

pytestmark = pytest.mark.django_db

STATUS = reverse("reports:status")


def _detail(location) -> str:
    return reverse("reports:location-status", args=[location.public_id])


def _member(role=Role.CARE_WORKER, **fields):
    membership = MembershipFactory(role=role, **fields)
    return membership, membership.locations.first()


def test_a_role_that_cannot_see_people_is_refused_both_pages(sign_in):
    membership, location = _member(Role.ORG_ADMIN)
    client = sign_in(membership)
    assert client.get(STATUS).status_code == 403
    assert client.get(_detail(location)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_another_organisations_location_is_neither_listed_nor_counted_nor_opened(sign_in):
    membership, location = _member(Role.REGISTERED_MANAGER, all_locations=True)
    mine = LocationFactory(organisation=membership.organisation, name="Aire View")
    elsewhere = LocationFactory(name="Beck House")
    make.plan(PersonFactory(location=elsewhere), review_in=-5)
    client = sign_in(membership)
    page = client.get(STATUS).content.decode()
    assert "Aire View" in page and "Beck House" not in page
    assert client.get(_detail(elsewhere)).status_code == 404
    assert client.get(reverse("reports:location-status", args=[uuid.uuid4()])).status_code == 404
    assert client.get(_detail(mine)).status_code == 200


def test_a_care_worker_sees_only_the_location_they_work_at(sign_in):
    membership, location = _member(Role.CARE_WORKER)
    sibling = LocationFactory(organisation=membership.organisation, name="Not mine")
    client = sign_in(membership)
    response = client.get(STATUS)
    assert response.status_code == 200
    assert [row["location"] for row in response.context["rows"]] == [location]
    assert client.get(_detail(sibling)).status_code == 404


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.SENIOR_CARER, Role.LEAD_PRACTITIONER, Role.REGISTERED_MANAGER])
def test_every_role_that_sees_people_sees_its_locations_counts(sign_in, role):
    membership, location = _member(role)
    make.plan(PersonFactory(location=location), review_in=-2)
    response = sign_in(membership).get(STATUS)
    [row] = response.context["rows"]
    assert row["state_label"] == "Overdue"
    assert {cell["kind"].key: cell["n"] for cell in row["cells"]}["plans_overdue"] == 1


def test_rows_in_name_order_with_a_name_filter_and_a_state_in_words(sign_in):
    membership, _ = _member(Role.REGISTERED_MANAGER, all_locations=True)
    organisation = membership.organisation
    green = LocationFactory(organisation=organisation, name="Calder Court")
    amber = LocationFactory(organisation=organisation, name="Aire View")
    make.plan(PersonFactory(location=green))
    make.plan(PersonFactory(location=amber), review_in=0)
    client = sign_in(membership)
    rows = client.get(STATUS).context["rows"]
    assert [(row["location"].name, row["state_label"]) for row in rows] == [
        ("Aire View", "Due soon"), ("Calder Court", "All in date"),
    ]
    filtered = client.get(STATUS, {"name": "calder"})
    assert [row["location"] for row in filtered.context["rows"]] == [green]
    assert "All in date" in filtered.content.decode()


def _manager_with_locations(n: int):
    membership, _ = _member(Role.REGISTERED_MANAGER, all_locations=True)
    for i in range(n):
        location = LocationFactory(organisation=membership.organisation)
        person = PersonFactory(location=location)
        plan = make.plan(person, review_in=-i)
        make.section(plan, review_in=-1)
        make.risk(person, review_in=-1)
        make.needs(person, review_in=-1)
        make.capacity(person, review_in=-1)
        make.dols_granted(person, ends_in=i - 3)
        PersonFactory(location=location)  # no plan
    return membership


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


def test_the_status_page_costs_the_same_queries_for_2_locations_as_for_12(sign_in):
    two = _queries(sign_in(_manager_with_locations(2)), STATUS)
    large = sign_in(_manager_with_locations(12))
    assert _queries(large, STATUS) == two
    assert len(large.get(STATUS).context["rows"]) == 12


def test_a_locations_page_lists_the_records_behind_each_count_oldest_first_and_audits_the_people(sign_in):
    membership, location = _member(Role.SENIOR_CARER)
    older, newer = PersonFactory(location=location), PersonFactory(location=location)
    make.plan(newer, review_in=-1)
    make.plan(older, review_in=-10)
    risk = make.risk(older, review_in=-3, title="Falls on the stairs")
    response = sign_in(membership).get(_detail(location))
    groups = {group["kind"].key: group for group in response.context["groups"]}
    assert [row.person for row in groups["plans_overdue"]["rows"]] == [older, newer]
    assert groups["risks_overdue"]["rows"][0].url == reverse("careplans:risk-detail",
                                                             args=[older.public_id, risk.public_id])
    assert groups["plans_overdue"]["rows"][0].url == reverse("careplans:plan", kwargs={"public_id": older.public_id})
    assert "plans_due" not in groups  # nothing due: no empty group
    page = response.content.decode()
    assert "Overdue" in page and "Falls on the stairs" in page
    [event] = AuditEvent.objects.all()
    assert event.actor == membership.user and event.subject == "people.Person"
    assert sorted(event.details["ids"]) == sorted([str(older.public_id), str(newer.public_id)])


def test_a_long_group_is_capped_with_a_link_to_all_of_it_paginated(sign_in):
    membership, location = _member(Role.LEAD_PRACTITIONER)
    for _ in range(GROUP_CAP + 3):
        make.plan(PersonFactory(location=location), review_in=-1)
    client = sign_in(membership)
    [group] = [g for g in client.get(_detail(location)).context["groups"] if g["kind"].key == "plans_overdue"]
    assert (len(group["rows"]), group["more"]) == (GROUP_CAP, 3)
    shown = client.get(_detail(location), {"show": "plans_overdue"})
    [group] = shown.context["groups"]
    assert (len(group["rows"]), group["more"], shown.context["page"].paginator.count) == (GROUP_CAP + 3, 0, GROUP_CAP + 3)


def test_an_unknown_group_to_show_is_the_whole_page_not_every_group_paginated(sign_in):
    membership, location = _member(Role.LEAD_PRACTITIONER)
    make.plan(PersonFactory(location=location), review_in=-1)
    response = sign_in(membership).get(_detail(location), {"show": "no_such_group"})
    assert response.context["show"] == "" and response.context["page"] is None
    assert [group["kind"].key for group in response.context["groups"]] == ["plans_overdue"]


def test_a_locations_page_costs_the_same_queries_however_many_records(sign_in):
    membership, location = _member(Role.REGISTERED_MANAGER)
    client = sign_in(membership)

    def add_people(n):
        for i in range(n):
            person = PersonFactory(location=location)
            plan = make.plan(person, review_in=-i)
            make.section(plan, review_in=-1)
            make.risk(person, review_in=-1)
            make.needs(person, review_in=-1)
            make.capacity(person, review_in=-1)
            make.dols_granted(person, ends_in=-1 if i % 2 else 5)
            PersonFactory(location=location)

    add_people(2)
    few = _queries(client, _detail(location))
    add_people(GROUP_CAP + 2)
    assert _queries(client, _detail(location)) == few


def test_a_locations_page_costs_the_same_queries_whichever_groups_are_empty(sign_in):
    membership, location = _member(Role.REGISTERED_MANAGER)
    client = sign_in(membership)
    empty = _queries(client, _detail(location))
    make.plan(PersonFactory(location=location), review_in=-1)
    assert _queries(client, _detail(location)) == empty
