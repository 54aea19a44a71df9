import base64
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.models import User
from carelead.core.management.demo_content import (
    DEMO_DOMAIN, DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_STAFF, EMPLOYER_ORGANISATION,
)
from carelead.core.permissions import Role
from carelead.organisations.models import Location, Membership, Organisation, OrganisationKind, SettingType
from carelead.people.models import (
    AboutMe, CommunicationNeed, ConsentRecord, Contact, ContactKind, EquipmentItem, Person,
)
from carelead.people.selectors import visible_people

pytestmark = pytest.mark.django_db

COUNTED = (Organisation, Location, User, Membership, Membership.locations.through, Person, AboutMe, Contact,
           CommunicationNeed, ConsentRecord, EquipmentItem, TOTPDevice, StaticDevice, StaticToken)


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


def printed_row(output: str, email: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(email + " "))
    return line.split()


def test_running_it_twice_changes_nothing_and_creates_no_duplicates():
    seed_demo()
    first = counts()
    output = seed_demo()
    assert counts() == first
    assert "already loaded; nothing was changed" in output
    assert Organisation.objects.filter(name=DEMO_ORGANISATION).count() == 1


def test_a_printed_recovery_code_signs_in_and_a_fresh_one_is_printed_once_it_is_used():
    code = printed_row(seed_demo(), f"carer@{DEMO_DOMAIN}")[-1]
    device = StaticDevice.objects.get(user__email=f"carer@{DEMO_DOMAIN}")
    assert device.verify_token(code) is True
    assert device.verify_token(code) is False  # each code works once

    again = printed_row(seed_demo(), f"carer@{DEMO_DOMAIN}")[-1]
    assert again != code
    assert StaticDevice.objects.get(pk=device.pk).verify_token(again) is True


def test_a_usable_code_is_printed_even_when_every_code_has_been_used():
    seed_demo()
    device = StaticDevice.objects.get(user__email=f"lead@{DEMO_DOMAIN}")
    device.token_set.all().delete()
    code = printed_row(seed_demo(), f"lead@{DEMO_DOMAIN}")[-1]
    assert device.verify_token(code) is True


def test_the_printed_authenticator_secret_gives_codes_the_device_accepts():
    secret = printed_row(seed_demo(), f"manager@{DEMO_DOMAIN}")[-2]
    device = TOTPDevice.objects.get(user__email=f"manager@{DEMO_DOMAIN}", confirmed=True)
    assert base64.b32decode(secret) == device.bin_key
    assert device.verify_token(totp(device.bin_key)) is True


def test_every_demo_user_signs_in_with_the_printed_password():
    output = seed_demo()
    assert f"password for all: {DEMO_PASSWORD}" in output
    for spec in DEMO_STAFF:
        assert User.objects.get(email=spec.email).check_password(DEMO_PASSWORD), spec.email


def test_the_provider_has_three_locations_and_staff_in_every_role():
    seed_demo()
    provider = Organisation.objects.get(name=DEMO_ORGANISATION)
    assert provider.kind == OrganisationKind.CARE_PROVIDER
    house = provider.locations.get(name="Meadowbank House")
    assert (house.setting_type, house.cqc_location_id) == (SettingType.CARE_HOME_NURSING, "1-101614546")
    assert set(provider.locations.values_list("setting_type", flat=True)) == {
        SettingType.CARE_HOME_NURSING, SettingType.HOME_CARE, SettingType.SUPPORTED_LIVING,
    }
    roles = set(provider.memberships.values_list("role", flat=True))
    assert {Role.LEAD_PRACTITIONER, Role.CARE_WORKER, Role.SENIOR_CARER, Role.REGISTERED_MANAGER,
            Role.SAFEGUARDING_LEAD, Role.ORG_ADMIN} <= roles
    admin = provider.memberships.get(user__email=f"admin@{DEMO_DOMAIN}")
    assert admin.all_locations and admin.audit_access


def test_people_are_spread_over_the_locations_with_the_records_a_demo_needs():
    seed_demo()
    today = timezone.localdate()
    provider_people = Person.objects.filter(location__organisation__name=DEMO_ORGANISATION)
    assert provider_people.count() + 1 == Person.objects.count() == 40
    assert provider_people.values("location").distinct().count() == 3
    assert len(set(Person.objects.values_list("nhs_number", flat=True))) == 40
    assert AboutMe.objects.exclude(most_important="").exists()
    lpa = Contact.objects.filter(kind=ContactKind.LPA_HEALTH).first()
    assert lpa is not None and isinstance(lpa.lpa_registered_on, date)
    assert ConsentRecord.objects.filter(review_on__lt=today).count() == 1
    assert EquipmentItem.objects.filter(next_service_due__lt=today).count() == 1
    assert CommunicationNeed.objects.exists()
    manager = User.objects.get(email=f"manager@{DEMO_DOMAIN}")
    assert visible_people(manager).count() == provider_people.count()


def test_the_lead_pa_employer_supports_one_person_in_her_own_home():
    seed_demo()
    employer = Organisation.objects.get(name=EMPLOYER_ORGANISATION)
    assert employer.kind == OrganisationKind.INDIVIDUAL_EMPLOYER
    home = employer.locations.get()
    assert home.setting_type == SettingType.OWN_HOME
    joan = Person.objects.get(location__organisation=employer)
    assert joan.full_name == "Joan Ashworth"
    roles = dict(employer.memberships.values_list("user__email", "role"))
    assert roles == {f"pa@{DEMO_DOMAIN}": Role.LEAD_PRACTITIONER, f"joan@{DEMO_DOMAIN}": Role.ORG_ADMIN}
    assert list(visible_people(User.objects.get(email=f"pa@{DEMO_DOMAIN}"))) == [joan]


class Undo(Exception):
    pass


def people_loaded() -> list[tuple]:
    seed_demo()
    return list(Person.objects.order_by("nhs_number").values_list("given_name", "family_name", "nhs_number"))


def test_the_demo_people_are_the_same_on_every_fresh_load():
    with pytest.raises(Undo), transaction.atomic():
        first = people_loaded()
        raise Undo  # roll the first load back, leaving an empty database
    assert not Person.objects.exists()
    assert people_loaded() == first


def test_the_demo_person_has_an_assessment_a_waterlow_score_a_plan_with_a_linked_risk_and_a_dols_due_renewal():
    from carelead.assessments import dols
    from carelead.assessments.models import DolsApplication, NeedsAssessment, ToolScoreRecord
    from carelead.careplans.models import CarePlan, CarePlanVersion, PlanStatus
    from carelead.careplans.plan_services import snapshot
    from carelead.core.management.demo_care import demo_person

    seed_demo()
    person = demo_person()
    assert person.location.setting_type in (SettingType.CARE_HOME, SettingType.CARE_HOME_NURSING)
    assessment = NeedsAssessment.objects.get(person=person)
    assert assessment.is_completed and assessment.sections.count() == 3
    assert ToolScoreRecord.objects.get(person=person).tool == "waterlow"
    plan = CarePlan.objects.get(person=person, status=PlanStatus.ACTIVE)
    assert plan.needs_assessment == assessment and plan.sections.count() == 3
    [linked] = [section for section in plan.sections.all() if section.risks.exists()]
    assert linked.area == "mobility_and_falls" and linked.actions.count() == 1
    latest = CarePlanVersion.objects.filter(plan=plan).first()
    assert latest.version == plan.version == 2 and latest.snapshot == snapshot(plan)
    application = DolsApplication.objects.get(person=person)
    assert dols.authorisation_state(application.authorised_until, timezone.localdate()) == dols.RENEWAL_DUE
    before = CarePlan.objects.count()
    seed_demo()
    assert CarePlan.objects.count() == before
