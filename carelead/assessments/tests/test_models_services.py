"""Recording a tool's score in a person's record: checked, validated, saved exactly as scored and
audited, in one transaction (STYLE.md §3). Refusals first, each asserting nothing was written."""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carelead.assessments.models import ToolScoreRecord
from carelead.assessments.services import FUTURE_MESSAGE, record_tool_score
from carelead.assessments.tools import score
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Perm, Role, roles_granting
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
ABBEY = CASES["abbey_pain_scale"][2]  # total 8, moderate
WATERLOW = CASES["waterlow"][0]
NEWS2 = {"respiration_rate": 21, "spo2": 93, "spo2_scale": 1, "on_oxygen": False, "systolic_bp": 120, "pulse": 95,
         "consciousness": "A", "temperature": 37.5}  # clinical-tools.md §10 "Mr Smith": 5, medium


@pytest.fixture
def worker():
    return MembershipFactory(role=Role.CARE_WORKER)


@pytest.fixture
def actor(worker):
    return Actor(user=worker.user, ip_address="10.0.0.9")


@pytest.fixture
def person(worker):
    return PersonFactory(location=worker.locations.get())


def nothing_written():
    return not ToolScoreRecord.objects.exists() and not AuditEvent.objects.exists()


# --- Refusals: nothing written -------------------------------------------------------------------------


def test_no_one_records_a_score_for_a_person_at_another_location(actor):
    elsewhere = PersonFactory()
    with pytest.raises(NotAllowed):
        record_tool_score(actor=actor, person=elsewhere, tool="abbey_pain_scale", inputs=ABBEY["inputs"])
    assert nothing_written()


def test_an_org_admin_of_the_persons_own_organisation_cannot_record_a_score(person):
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=person.location.organisation, all_locations=True)
    with pytest.raises(NotAllowed):
        record_tool_score(actor=Actor(user=admin.user), person=person, tool="abbey_pain_scale",
                          inputs=ABBEY["inputs"])
    assert nothing_written()


def test_an_ended_membership_records_nothing(worker, actor, person):
    worker.ended_at = timezone.now()
    worker.save()
    with pytest.raises(NotAllowed):
        record_tool_score(actor=actor, person=person, tool="abbey_pain_scale", inputs=ABBEY["inputs"])
    assert nothing_written()


def test_bad_inputs_are_refused_naming_each_field(actor, person):
    inputs = {**NEWS2, "pulse": "fast", "temperature": 37.55, "shoe_size": 9}
    del inputs["spo2"]
    with pytest.raises(ValidationError) as refused:
        record_tool_score(actor=actor, person=person, tool="news2", inputs=inputs)
    assert set(refused.value.message_dict) == {"pulse", "temperature", "shoe_size", "spo2"}
    assert refused.value.message_dict["pulse"] == ["Enter a whole number"]
    assert nothing_written()


def test_an_unknown_tool_is_refused_on_tool(actor, person):
    with pytest.raises(ValidationError) as refused:
        record_tool_score(actor=actor, person=person, tool="downton", inputs={})
    assert set(refused.value.message_dict) == {"tool"}
    assert nothing_written()


def test_inputs_that_are_not_an_object_are_refused_on_inputs(actor, person):
    with pytest.raises(ValidationError) as refused:
        record_tool_score(actor=actor, person=person, tool="braden", inputs=[1, 2, 3])
    assert "inputs" in refused.value.message_dict
    assert nothing_written()


def test_a_score_cannot_be_dated_in_the_future(actor, person):
    with pytest.raises(ValidationError) as refused:
        record_tool_score(actor=actor, person=person, tool="abbey_pain_scale", inputs=ABBEY["inputs"],
                          scored_at=timezone.now() + timedelta(minutes=5))
    assert refused.value.message_dict == {"scored_at": [FUTURE_MESSAGE]}
    assert nothing_written()


def test_a_future_time_and_bad_inputs_are_reported_together(actor, person):
    with pytest.raises(ValidationError) as refused:
        record_tool_score(actor=actor, person=person, tool="abbey_pain_scale",
                          inputs={**ABBEY["inputs"], "vocalisation": 4}, scored_at=timezone.now() + timedelta(days=1))
    assert set(refused.value.message_dict) == {"scored_at", "vocalisation"}
    assert nothing_written()


# --- Recording ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", roles_granting(Perm.SCORE_RECORD))
def test_every_care_role_records_a_score_exactly_as_scored(role):
    member = MembershipFactory(role=role)
    person = PersonFactory(location=member.locations.get())
    record = record_tool_score(actor=Actor(user=member.user), person=person, tool="abbey_pain_scale",
                               inputs=ABBEY["inputs"], notes="Grimacing during pressure-area care")
    record.refresh_from_db()
    assert record.person == person and record.scored_by == member.user
    assert record.tool == "abbey_pain_scale" and record.inputs == ABBEY["inputs"]
    assert record.total == Decimal(ABBEY["total"]) and record.category == ABBEY["category"]
    assert record.tool_version == "" and record.notes == "Grimacing during pressure-area care"
    assert abs(record.scored_at - timezone.now()) < timedelta(minutes=1)


def test_waterlow_records_the_2005_card(actor, person):
    record = record_tool_score(actor=actor, person=person, tool="waterlow", inputs=WATERLOW["inputs"])
    record.refresh_from_db()
    assert record.tool_version == "2005"
    assert (record.total, record.category) == (Decimal(WATERLOW["total"]), WATERLOW["category"])


def test_the_create_is_audited_with_the_tool_and_never_the_inputs(actor, person):
    record = record_tool_score(actor=actor, person=person, tool="news2", inputs=NEWS2)
    event = AuditEvent.objects.get()
    assert event.action == Action.CREATE and event.actor == actor.user and event.person == person
    assert event.subject == f"assessments.ToolScoreRecord:{record.public_id}"
    assert event.details == {"tool": "news2"}
    assert event.location_id == person.location_id and event.ip_address == "10.0.0.9"


def test_decimal_inputs_from_a_form_are_kept_as_their_exact_text(actor, person):
    """A form's DecimalField gives Decimal; it is stored as "37.5", and what is stored scores the same."""
    record = record_tool_score(actor=actor, person=person, tool="news2",
                               inputs={**NEWS2, "temperature": Decimal("37.5")})
    record.refresh_from_db()
    assert record.inputs["temperature"] == "37.5"
    assert score("news2", record.inputs).total == record.total == 5
    assert record.category == "medium"


def test_a_score_may_be_dated_earlier_and_a_time_without_a_zone_is_uk_time(actor, person):
    earlier = timezone.now() - timedelta(hours=3)
    assert record_tool_score(actor=actor, person=person, tool="abbey_pain_scale", inputs=ABBEY["inputs"],
                             scored_at=earlier).scored_at == earlier
    naive = datetime(2026, 7, 1, 9, 30)  # British Summer Time: 08:30 UTC
    record = record_tool_score(actor=actor, person=person, tool="abbey_pain_scale", inputs=ABBEY["inputs"],
                               scored_at=naive)
    record.refresh_from_db()
    assert record.scored_at == timezone.make_aware(naive) and record.scored_at.utcoffset() is not None
    assert record.scored_at.astimezone(timezone.get_fixed_timezone(0)).hour == 8


def test_a_record_shows_its_tool_total_and_guidance(actor, person):
    record = record_tool_score(actor=actor, person=person, tool="news2", inputs=NEWS2)
    record.refresh_from_db()
    assert record.total_display == "5"
    assert record.info.short_name == "NEWS2"
    assert record.guidance.label == "Medium risk" and record.guidance.colour == "orange"
    assert str(record) == "NEWS2 5 (Medium risk)"
    assert record.get_tool_display() == "NEWS2 (National Early Warning Score 2)"


def test_a_fractional_total_displays_without_trailing_zeros():
    assert ToolScoreRecord(tool="must", total=Decimal("18.50"), category="low").total_display == "18.5"


def test_a_persons_scores_keep_the_person_and_the_scorer():
    """Clinical history is never lost by deleting a person or a user: both are PROTECT."""
    from django.db import models

    for name in ("person", "scored_by"):
        assert ToolScoreRecord._meta.get_field(name).remote_field.on_delete is models.PROTECT
