import uuid

import pytest
from django.urls import reverse

from carelead.apprenticeships.models import Qualification, StandardVersion
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_standards_list_gives_each_version_and_its_funding(api, reference_data):
    response = api(MembershipFactory(role=Role.SKILLS_COACH)).get(reverse("api:api-standards"))
    assert response.status_code == 200
    [standard] = response.json()["results"]
    assert (standard["reference"], standard["level"]) == ("ST0007", 4)
    assert [version["version"] for version in standard["versions"]] == ["1.0", "1.1"]
    assert {version["funding_status"] for version in standard["versions"]} == {"closed_to_new_funded_starts"}
    assert standard["versions"][1]["minimum_otj_hours"] is None


def test_a_version_comes_with_its_ksbs(api, reference_data):
    version = StandardVersion.objects.get(version="1.1")
    response = api(MembershipFactory(role=Role.CARE_WORKER)).get(
        reverse("api:api-standard-version", args=[version.public_id]))
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["version"], body["typical_duration_months"]) == ("ST0007", "1.1", 18)
    assert len(body["ksbs"]) == 45
    first = body["ksbs"][0]
    assert first["code"] == "CL-K1" and first["carelead_code"] is True and first["theme"] == "tasks_and_responsibilities"


def test_a_qualification_comes_with_its_units(api, reference_data):
    qualification = Qualification.objects.get(specification_number="4222-34")
    body = api(MembershipFactory(role=Role.EMPLOYER_CONTACT)).get(
        reverse("api:api-qualification", args=[qualification.public_id])).json()
    assert body["specification_number"] == "4222-34" and len(body["units"]) == 12
    assert body["units"][11] == {"position": 12, "title": "", "credits": None, "level": None, "mandatory": True,
                                 "loaded": False, "retired": False}


def test_made_up_ids_are_not_found_and_strangers_are_refused(api, client, reference_data):
    caller = api(MembershipFactory(role=Role.CARE_WORKER))
    assert caller.get(reverse("api:api-standard-version", args=[uuid.uuid4()])).status_code == 404
    assert caller.get(reverse("api:api-qualification", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("api:api-standards")).status_code in (401, 403)
