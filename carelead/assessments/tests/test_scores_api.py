"""GET/POST /api/v1/people/<public_id>/scores/: a person's saved tool scores, and scoring a tool into
their record (the same selectors and service as the pages; STYLE.md §8).

Negative tests first: another location's person and a role without care records get 404 (the URL
names a person, so the API never confirms one exists) and nothing is written; a role that may see
people but not score gets 403; bad input gets 400 naming each field. Then the 201 with guidance,
the audited list, and a query count that does not grow with the scores.
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.assessments.api import NO_SUCH_TOOL_MESSAGE
from carelead.assessments.models import ToolScoreRecord
from carelead.assessments.services import FUTURE_MESSAGE, record_tool_score
from carelead.core.actor import Actor
from carelead.core.api import UNKNOWN_FIELD_MESSAGE
from carelead.core.drf import HasRequiredPerm
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import ROLE_PERMS, Perm, Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
ABBEY = CASES["abbey_pain_scale"][2]  # total 8, moderate
WATERLOW = CASES["waterlow"][0]
NEWS2 = {"respiration_rate": 21, "spo2": 93, "spo2_scale": 1, "on_oxygen": False, "systolic_bp": 120, "pulse": 95,
         "consciousness": "A", "temperature": 37.5}  # clinical-tools.md §10 "Mr Smith": 5, medium


def url(person) -> str:
    return reverse("api:api-person-scores", args=[person.public_id])


def post(client, person, body):
    return client.post(url(person), body, content_type="application/json")


@pytest.fixture
def worker():
    return MembershipFactory(role=Role.CARE_WORKER)


@pytest.fixture
def person(worker):
    return PersonFactory(location=worker.locations.get())


def nothing_written():
    return not ToolScoreRecord.objects.exists() and not AuditEvent.objects.exists()


# --- Who may ------------------------------------------------------------------------------------------


def test_the_url_is_the_published_contract(person):
    assert url(person) == f"/api/v1/people/{person.public_id}/scores/"


def test_signed_out_is_refused(client, person):
    assert client.get(url(person)).status_code in (401, 403)
    assert post(client, person, {"tool": "abbey_pain_scale", "inputs": ABBEY["inputs"]}).status_code in (401, 403)
    assert nothing_written()


def test_a_person_at_another_location_is_404_and_nothing_is_written(worker, sign_in):
    client, elsewhere = sign_in(worker), PersonFactory()
    assert client.get(url(elsewhere)).status_code == 404
    response = post(client, elsewhere, {"tool": "abbey_pain_scale", "inputs": ABBEY["inputs"]})
    assert response.status_code == 404
    assert nothing_written()


def test_a_bad_body_for_a_person_elsewhere_is_still_404(worker, sign_in):
    response = post(sign_in(worker), PersonFactory(), {"tool": "nonsense", "inputs": {}})
    assert response.status_code == 404  # never a 400 that would confirm the person exists
    assert nothing_written()


def test_an_org_admin_gets_404_for_a_person_in_their_own_organisation(person, sign_in):
    """An org admin holds no care role: a URL naming a person answers 404, never 403 (DESIGN.md)."""
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=person.location.organisation, all_locations=True)
    client = sign_in(admin)
    assert client.get(url(person)).status_code == 404
    assert post(client, person, {"tool": "abbey_pain_scale", "inputs": ABBEY["inputs"]}).status_code == 404
    assert nothing_written()


def test_a_role_that_sees_people_but_may_not_score_gets_403_and_nothing_is_written(person, sign_in, monkeypatch):
    """No role today sees people without scoring them; should one ever, POST is a 403 for it."""
    monkeypatch.setitem(ROLE_PERMS, Role.SAFEGUARDING_LEAD, frozenset({Perm.PERSON_VIEW}))
    viewer = MembershipFactory(role=Role.SAFEGUARDING_LEAD, organisation=person.location.organisation,
                               locations=[person.location])
    client = sign_in(viewer)
    response = post(client, person, {"tool": "abbey_pain_scale", "inputs": ABBEY["inputs"]})
    assert response.status_code == 403
    assert response.json() == {"detail": HasRequiredPerm.message}
    assert nothing_written()
    assert client.get(url(person)).status_code == 200  # reading stays open to them


def test_a_made_up_person_is_404(worker, sign_in):
    missing = reverse("api:api-person-scores", args=["00000000-0000-0000-0000-000000000007"])
    assert sign_in(worker).get(missing).status_code == 404


def test_only_get_and_post_are_allowed(worker, person, sign_in):
    client = sign_in(worker)
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(url(person)).status_code == 405, method
    assert nothing_written()


# --- Bad input: 400 naming each field, nothing written --------------------------------------------------


def test_bad_inputs_are_named_field_by_field(worker, person, sign_in):
    inputs = {**NEWS2, "pulse": "fast", "temperature": 37.55, "shoe_size": 9}
    del inputs["spo2"]
    response = post(sign_in(worker), person, {"tool": "news2", "inputs": inputs})
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"pulse", "temperature", "shoe_size", "spo2"}
    assert errors["pulse"] == ["Enter a whole number"]
    assert nothing_written()


def test_an_unknown_tool_is_named_on_tool(worker, person, sign_in):
    response = post(sign_in(worker), person, {"tool": "downton", "inputs": {}})
    assert response.status_code == 400
    assert response.json() == {"tool": [NO_SUCH_TOOL_MESSAGE.format(input="downton")]}
    assert nothing_written()


def test_missing_fields_unknown_fields_and_inputs_that_are_not_an_object(worker, person, sign_in):
    client = sign_in(worker)
    response = post(client, person, {"inputs": [1, 2], "colour": "red"})
    assert response.status_code == 400
    assert set(response.json()) == {"tool", "inputs", "colour"}
    assert response.json()["colour"] == [UNKNOWN_FIELD_MESSAGE]
    assert nothing_written()


def test_a_future_time_of_scoring_is_refused(worker, person, sign_in):
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    response = post(sign_in(worker), person, {"tool": "abbey_pain_scale", "inputs": ABBEY["inputs"],
                                              "scored_at": later})
    assert response.status_code == 400
    assert response.json() == {"scored_at": [FUTURE_MESSAGE]}
    assert nothing_written()


# --- Recording: 201 with the record and its guidance ------------------------------------------------


def test_a_score_is_saved_and_answered_with_its_guidance(worker, person, sign_in):
    response = post(sign_in(worker), person, {"tool": "news2", "inputs": NEWS2, "notes": "Seemed breathless"})
    assert response.status_code == 201
    record = ToolScoreRecord.objects.get()
    body = response.json()
    assert body["id"] == str(record.public_id)
    assert body["tool"] == "news2" and body["tool_name"] == "NEWS2 (National Early Warning Score 2)"
    assert body["total"] == 5 and body["category"] == "medium" and body["tool_version"] == ""
    assert body["inputs"] == NEWS2 and body["notes"] == "Seemed breathless"
    assert body["scored_by"] == worker.user.full_name
    assert body["guidance"]["label"] == "Medium risk" and body["guidance"]["colour"] == "orange"
    assert body["guidance"]["action"].startswith("Urgent response")
    assert set(body["guidance"]) == {"label", "colour", "meaning", "action"}
    event = AuditEvent.objects.get()
    assert (event.action, event.person, event.details, event.via) == (Action.CREATE, person, {"tool": "news2"}, "api")


def test_waterlow_is_saved_with_its_card_and_an_earlier_time(worker, person, sign_in):
    earlier = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    response = post(sign_in(worker), person, {"tool": "waterlow", "inputs": WATERLOW["inputs"],
                                              "scored_at": earlier.isoformat()})
    assert response.status_code == 201
    assert response.json()["tool_version"] == "2005"
    assert response.json()["total"] == WATERLOW["total"] and response.json()["category"] == WATERLOW["category"]
    assert ToolScoreRecord.objects.get().scored_at == earlier


# --- Listing: paginated, filtered, audited, flat ------------------------------------------------------


def scored(worker, person, tool="abbey_pain_scale", inputs=None, **kwargs):
    return record_tool_score(actor=Actor(user=worker.user), person=person, tool=tool,
                             inputs=inputs or ABBEY["inputs"], **kwargs)


def test_the_list_is_newest_first_paginated_and_audited_as_a_view(worker, person, sign_in):
    older = scored(worker, person, scored_at=timezone.now() - timedelta(days=1))
    newer = scored(worker, person, "news2", NEWS2)
    scored(worker, PersonFactory(location=person.location))  # someone else at the same home
    before = AuditEvent.objects.count()
    response = sign_in(worker).get(url(person))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [str(newer.public_id), str(older.public_id)]
    assert body["results"][1]["guidance"]["label"] == "Moderate pain"
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.person, event.details) == (Action.VIEW, person, {"part": "scores"})


def test_the_list_filters_by_tool(worker, person, sign_in):
    scored(worker, person)
    news2 = scored(worker, person, "news2", NEWS2)
    client = sign_in(worker)
    response = client.get(url(person), {"tool": "news2"})
    assert [row["id"] for row in response.json()["results"]] == [str(news2.public_id)]
    assert client.get(url(person), {"tool": ""}).json()["count"] == 2


def test_an_unknown_tool_filter_is_400_and_not_audited(worker, person, sign_in):
    before = AuditEvent.objects.count()
    response = sign_in(worker).get(url(person), {"tool": "downton"})
    assert response.status_code == 400
    assert response.json() == {"tool": [NO_SUCH_TOOL_MESSAGE.format(input="downton")]}
    assert AuditEvent.objects.count() == before


def test_list_queries_do_not_grow_with_scores(worker, person, sign_in, django_assert_num_queries):
    scored(worker, person)
    client = sign_in(worker)
    client.get(url(person))  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(person)).status_code == 200
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    other = MembershipFactory(role=Role.SENIOR_CARER, organisation=person.location.organisation,
                              locations=[person.location])
    for _ in range(15):
        scored(worker, person, "news2", NEWS2)
        scored(other, person, "waterlow", WATERLOW["inputs"])
    with django_assert_num_queries(few):
        assert client.get(url(person)).json()["count"] == 31
