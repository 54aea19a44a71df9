from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from carelead.accounts.models import User
from carelead.core.management.scale_plan import bench_carer_email, bench_manager_email, scale_domain
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.models import Location, Membership, Organisation
from carelead.people.models import AboutMe, Contact, Person
from carelead.people.selectors import visible_people
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PREFIX = "Tiny Scale Group"
TINY = ["--people", "30", "--locations", "3", "--staff", "20", "--audit-events", "100", "--prefix", PREFIX]


def seed_scale(*extra: str) -> str:
    out = StringIO()
    call_command("seed_scale", *TINY, *extra, stdout=out, verbosity=0)
    return out.getvalue()


def scale_people():
    return Person.objects.filter(location__organisation__name=PREFIX)


def test_it_creates_what_it_says():
    output = seed_scale()
    organisation = Organisation.objects.get(name=PREFIX)
    assert "30 people, 3 locations, 20 staff, 100 audit events" in output
    assert Location.objects.filter(organisation=organisation).count() == 3
    assert User.objects.filter(email__endswith=f"@{scale_domain(PREFIX)}").count() == 20
    assert Membership.objects.filter(organisation=organisation).count() == 20
    assert scale_people().count() == 30
    assert AboutMe.objects.filter(person__in=scale_people()).count() == 30
    assert AuditEvent.objects.count() == 100
    per_person = Contact.objects.filter(person__in=scale_people()).values("person").annotate(n=Count("id"))
    assert len(per_person) == 30 and {row["n"] for row in per_person} <= {1, 2, 3}


def test_its_people_are_visible_to_its_registered_manager_and_a_carer_sees_one_location():
    seed_scale()
    manager = User.objects.get(email=bench_manager_email(PREFIX))
    assert Membership.objects.get(user=manager).role == Role.REGISTERED_MANAGER
    assert set(visible_people(manager)) == set(scale_people())
    carer = User.objects.get(email=bench_carer_email(PREFIX))
    seen = visible_people(carer)
    assert seen.count() == 10
    assert seen.values("location").distinct().count() == 1


def test_staff_hold_roles_spread_like_a_provider_group():
    seed_scale()
    roles = set(Membership.objects.filter(organisation__name=PREFIX).values_list("role", flat=True))
    assert {Role.CARE_WORKER, Role.REGISTERED_MANAGER, Role.ORG_ADMIN} <= roles
    admin = Membership.objects.filter(organisation__name=PREFIX, role=Role.ORG_ADMIN).first()
    assert admin.all_locations and admin.audit_access
    carers = Membership.objects.filter(organisation__name=PREFIX, role=Role.CARE_WORKER).annotate(n=Count("locations"))
    assert {carer.n for carer in carers} <= {1, 2}


def test_it_refuses_when_the_data_exists_and_changes_nothing():
    seed_scale()
    with pytest.raises(CommandError, match="already exists. Run again with --reset"):
        seed_scale()
    assert scale_people().count() == 30
    assert AuditEvent.objects.count() == 100


def test_reset_deletes_only_its_own_data():
    elsewhere = PersonFactory()
    seed_scale()
    seed_scale("--reset", "--people", "12")
    assert scale_people().count() == 12
    assert Organisation.objects.filter(name=PREFIX).count() == 1
    assert Person.objects.filter(pk=elsewhere.pk).exists()


def test_the_same_seed_gives_the_same_people():
    def names():
        return list(scale_people().order_by("nhs_number").values_list("given_name", "family_name", "nhs_number"))

    seed_scale("--seed", "7")
    first = names()
    seed_scale("--seed", "7", "--reset")
    assert names() == first


def test_locations_are_shared_between_organisations_and_each_membership_stays_in_its_own():
    seed_scale("--organisations", "2", "--locations", "4")
    organisations = Organisation.objects.filter(name__startswith=PREFIX)
    assert sorted(organisations.values_list("name", flat=True)) == [f"{PREFIX} 1", f"{PREFIX} 2"]
    assert [org.locations.count() for org in organisations] == [2, 2]
    for membership in Membership.objects.filter(organisation__in=organisations).prefetch_related("locations"):
        assert all(loc.organisation_id == membership.organisation_id for loc in membership.locations.all())
