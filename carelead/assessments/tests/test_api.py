"""POST /api/v1/tools/<tool>/score: any standard tool scored through the API (DESIGN.md "Contracts";
reference/clinical-tools.md §11.1 for the names, encodings and categories).

Negative tests first: signed out, a password without the second factor, a role that may not see
people's records, a method other than POST; then the scores, and bad input named field by field.
Nothing is ever written, not even an audit event: no one's record is involved.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from carelead.assessments.api import UNKNOWN_TOOL_MESSAGE, json_number
from carelead.assessments.tools import TOOLS
from carelead.core.drf import HasRequiredPerm
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
ABBEY = CASES["abbey_pain_scale"][2]  # total 8, moderate


def url(tool: str) -> str:
    return reverse("api:api-tool-score", args=[tool])


def post(client, tool: str, body):
    return client.post(url(tool), body, content_type="application/json")


@pytest.fixture
def care_worker(sign_in):
    return sign_in(MembershipFactory(role=Role.CARE_WORKER))


# --- Who may -------------------------------------------------------------------------------------


def test_the_url_is_the_published_contract():
    assert url("barthel") == "/api/v1/tools/barthel/score"


def test_signed_out_is_refused(client):
    response = post(client, "abbey_pain_scale", ABBEY["inputs"])
    assert response.status_code in (401, 403)
    assert "total" not in response.json()


def test_a_password_without_the_second_factor_is_refused(sign_in):
    client = sign_in(MembershipFactory(role=Role.CARE_WORKER), verified=False)
    assert post(client, "abbey_pain_scale", ABBEY["inputs"]).status_code in (401, 403)


def test_an_org_admin_without_person_view_gets_403_not_404(sign_in):
    client = sign_in(MembershipFactory(role=Role.ORG_ADMIN))
    response = post(client, "abbey_pain_scale", ABBEY["inputs"])
    assert response.status_code == 403  # a tool's name is nobody's record: nothing to hide
    assert response.json() == {"detail": HasRequiredPerm.message}


def test_an_ended_membership_no_longer_scores(sign_in):
    from django.utils import timezone

    membership = MembershipFactory(role=Role.CARE_WORKER, ended_at=timezone.now())
    assert post(sign_in(membership), "abbey_pain_scale", ABBEY["inputs"]).status_code == 403


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.ORG_ADMIN])
def test_only_post_is_allowed_whoever_asks(role, sign_in, client):
    signed_in = sign_in(MembershipFactory(role=role))
    for method in ("get", "put", "patch", "delete"):
        assert getattr(signed_in, method)(url("barthel")).status_code == 405, method
    client.logout()
    assert client.get(url("barthel")).status_code == 405


# --- Scores ------------------------------------------------------------------------------------


@pytest.mark.parametrize("tool", TOOLS)
def test_each_tool_scores_a_reference_case(tool, care_worker):
    case = CASES[tool][0]
    response = post(care_worker, tool, case["inputs"])
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["tool"] == tool
    assert answer["total"] == case["total"]
    assert isinstance(answer["total"], int | float)  # a JSON number, never a string
    assert answer["category"] == case["category"]
    if tool == "waterlow":
        assert answer["version"] == "2005"  # §0.7: record the card each Waterlow score used
    else:
        assert "version" not in answer


@pytest.mark.parametrize(("tool", "index"), [
    ("barthel", 5), ("barthel_100", 2), ("abbey_pain_scale", 3), ("four_at", 3), ("frat_uk", 1),
    ("ph_frat_part1", 3),  # automatically high risk on a total of 8
])
def test_more_reference_cases_of_barthel_abbey_4at_and_falls(tool, index, care_worker):
    case = CASES[tool][index]
    response = post(care_worker, tool, case["inputs"])
    assert response.status_code == 200
    assert response.json() == {"tool": tool, "total": case["total"], "category": case["category"]}


def test_scoring_writes_nothing_not_even_an_audit_event(care_worker):
    before = AuditEvent.objects.count()
    assert post(care_worker, "abbey_pain_scale", ABBEY["inputs"]).status_code == 200
    assert post(care_worker, "abbey_pain_scale", {}).status_code == 400
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("total", "sent"), [
    (8, 8),
    (Decimal("12"), 12),
    (Decimal("12.0"), 12),
    (Decimal("18.5"), 18.5),
    (Decimal("0.1"), 0.1),  # JSON writes 0.1, exactly the Decimal, though the double is not exact
    (Decimal("-2.5"), -2.5),
    (Decimal("0.12345678901234567890"), "0.12345678901234567890"),  # more digits than a double holds
])
def test_a_total_is_sent_as_a_json_number_unless_that_would_lose_a_digit(total, sent):
    answer = json_number(total)
    assert answer == sent and type(answer) is type(sent)


# --- Bad input -----------------------------------------------------------------------------------


def test_an_unknown_tool_is_404_naming_the_tools(care_worker):
    response = post(care_worker, "glasgow_coma_scale", {"eyes": 4})
    assert response.status_code == 404
    assert response.json() == {"detail": UNKNOWN_TOOL_MESSAGE.format(tool="glasgow_coma_scale")}
    assert all(tool in response.json()["detail"] for tool in TOOLS)


def test_bad_input_is_400_naming_each_field(care_worker):
    inputs = {**CASES["barthel"][0]["inputs"], "stairs": 3, "bathing": True, "continence": 2}
    del inputs["feeding"]
    response = post(care_worker, "barthel", inputs)
    assert response.status_code == 400
    assert response.json() == {
        "stairs": ["Enter a whole number from 0 to 2"],
        "bathing": ["Enter a whole number"],
        "feeding": ["Enter a whole number"],
        "continence": ["This tool has no such input"],
    }


def test_each_bad_4at_field_is_named(care_worker):
    response = post(care_worker, "four_at", {"alertness": "drowsy", "amt4_mistakes": 5, "attention": None})
    assert response.status_code == 400
    assert set(response.json()) == {"alertness", "amt4_mistakes", "attention", "acute_change_or_fluctuating_course"}
    assert all(isinstance(messages, list) and messages for messages in response.json().values())


def test_an_empty_body_names_every_input(care_worker):
    response = care_worker.post(url("frat_uk"), content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"fall_in_previous_year", "four_or_more_medications", "stroke_or_parkinsons",
                                    "balance_problems", "unable_to_rise_from_chair_without_arms"}


def test_a_body_that_is_not_an_object_is_400(care_worker):
    response = post(care_worker, "abbey_pain_scale", [0, 0, 0, 0, 0, 0])
    assert response.status_code == 400
    assert response.json()["inputs"] == ["Send the inputs as an object of field names and values"]


def test_broken_json_is_400(care_worker):
    response = care_worker.post(url("abbey_pain_scale"), "{not json", content_type="application/json")
    assert response.status_code == 400


def test_a_form_body_is_415_the_inputs_are_json(care_worker):
    response = care_worker.post(url("abbey_pain_scale"), {"vocalisation": "1"})
    assert response.status_code == 415


# --- The schema ----------------------------------------------------------------------------------


def test_the_schema_documents_the_endpoint(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/tools/{tool}/score"]["post"]
    assert set(operation) >= {"requestBody", "responses"}
    assert {"200", "400", "403", "404"} <= set(operation["responses"])
    assert operation["requestBody"]["content"]["application/json"]["schema"]["type"] == "object"
    (tool,) = [parameter for parameter in operation["parameters"] if parameter["name"] == "tool"]
    assert tool["in"] == "path" and set(tool["schema"]["enum"]) == set(TOOLS)
    assert "get" not in schema["paths"]["/api/v1/tools/{tool}/score"]
