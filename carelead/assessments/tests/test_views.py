"""The scores tab of a person's record: who reaches which page, what each page audits and shows, and
what each tool's form saves (reference/clinical-tools.md §11.1 for the tools' inputs).

Negative tests first: a person at another location, roles without the permission, an unknown
tool, each answered 404 with nothing written; then the pages, then every tool's form.
"""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.assessments import views
from carelead.assessments.forms import SPECS
from carelead.assessments.models import ToolScoreRecord
from carelead.assessments.tools import TOOLS, score
from carelead.assessments.tools.guidance import TOOL_INFO, guidance
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Perm, Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
LONDON = ZoneInfo("Europe/London")
# A case per tool that lands in a category other than the lowest, so a wrong score would show.
CASE = {tool: max(CASES[tool], key=lambda case: case["total"]) for tool in TOOLS}


def url(name: str, person, *args) -> str:
    return reverse(f"assessments:{name}", args=[person.public_id, *args])


def every_url_of(person) -> list[str]:
    return [url("scores", person), url("tool-history", person, "news2"), url("score-new", person, "news2")]


def saved(person, tool="news2", *, by=None, at=None, inputs=None, notes=""):
    """A score as the service saves it, from the tool's reference case (or `inputs`)."""
    inputs = inputs if inputs is not None else CASE[tool]["inputs"]
    result = score(tool, inputs)
    return ToolScoreRecord.objects.create(
        person=person, tool=tool, inputs=inputs, total=Decimal(result.total), category=result.category,
        scored_by=by or UserFactory(), scored_at=at or timezone.now(), notes=notes,
    )


@pytest.fixture
def lead(sign_in):
    membership = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    membership.client = sign_in(membership)
    membership.person = PersonFactory(location=membership.locations.get())
    return membership


# --- Who may: negative tests first -------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_person_at_another_location_is_404_on_every_url_and_nothing_is_written(lead, method):
    elsewhere = PersonFactory()
    same_organisation = PersonFactory(location=LocationFactory(organisation=lead.organisation))
    for person in (elsewhere, same_organisation):
        for address in every_url_of(person):
            body = SPECS["news2"].form_data(CASE["news2"]["inputs"]) if method == "post" else None
            response = getattr(lead.client, method)(address, body)
            assert response.status_code in ((404, 405) if method == "post" else (404,)), address
            if method == "post" and address.endswith("/new/"):
                assert response.status_code == 404
    assert not ToolScoreRecord.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.SKILLS_COACH, Role.EMPLOYER_CONTACT, Role.EPA_ASSESSOR])
def test_roles_that_see_no_care_records_get_404_even_at_the_persons_location(sign_in, role):
    membership = MembershipFactory(role=role)
    client = sign_in(membership)
    person = PersonFactory(location=membership.locations.get())
    for address in every_url_of(person):
        assert client.get(address).status_code == 404, address
    body = SPECS["news2"].form_data(CASE["news2"]["inputs"])
    assert client.post(url("score-new", person, "news2"), body).status_code == 404
    assert not ToolScoreRecord.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_org_admin_with_audit_access_still_cannot_see_or_score(sign_in):
    membership = MembershipFactory(role=Role.ORG_ADMIN, audit_access=True)
    client = sign_in(membership)
    person = PersonFactory(location=membership.locations.get())
    for address in every_url_of(person):
        assert client.get(address).status_code in (403, 404), address
    assert client.post(url("score-new", person, "news2"), {}).status_code in (403, 404)
    assert not ToolScoreRecord.objects.exists()


def test_an_ended_membership_loses_the_scores_at_once(lead):
    lead.ended_at = timezone.now()
    lead.save()
    for address in every_url_of(lead.person):
        assert lead.client.get(address).status_code == 404, address


def test_signed_out_visitors_are_sent_to_sign_in(client):
    person = PersonFactory()
    for address in every_url_of(person):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in"), address


def test_a_password_without_the_second_factor_is_sent_to_give_the_code(sign_in):
    membership = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    client = sign_in(membership, verified=False)
    person = PersonFactory(location=membership.locations.get())
    for address in every_url_of(person):
        assert client.get(address)["Location"] == reverse("accounts:second-factor"), address
    assert client.post(url("score-new", person, "news2"), {})["Location"] == reverse("accounts:second-factor")
    assert not ToolScoreRecord.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_tool_is_404_and_nothing_is_written(lead, method):
    for address in (url("tool-history", lead.person, "downton"), url("score-new", lead.person, "downton"),
                    url("score-new", lead.person, "NEWS2")):
        assert getattr(lead.client, method)(address).status_code in ((404, 405) if method == "post" else (404,))
    assert not ToolScoreRecord.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_history_and_tab_answer_only_get(lead):
    assert lead.client.post(url("scores", lead.person)).status_code == 405
    assert lead.client.post(url("tool-history", lead.person, "news2")).status_code == 405


# --- The scores tab ----------------------------------------------------------------------------


def test_the_scores_tab_is_a_tab_of_the_record_and_audits_one_view(lead):
    response = lead.client.get(url("scores", lead.person))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="{url("scores", lead.person)}" aria-current="page">Scores</a>' in content
    assert escape(lead.person.full_name) in content
    event = AuditEvent.objects.get()
    assert (event.action, event.person, event.actor, event.details) == (
        Action.VIEW, lead.person, lead.user, {"tab": "scores"}
    )


def test_the_people_pages_show_the_scores_tab(lead):
    response = lead.client.get(reverse("people:person-detail", args=[lead.person.public_id]))
    assert f'href="{url("scores", lead.person)}"' in response.content.decode()


def test_the_scores_tab_shows_the_latest_score_of_each_tool_in_words(lead):
    scorer = UserFactory(full_name="Ama Mensah")
    saved(lead.person, "news2", at=datetime(2026, 11, 20, 9, 0, tzinfo=LONDON), inputs=CASES["news2"][0]["inputs"])
    latest = saved(lead.person, "news2", by=scorer, at=datetime(2026, 11, 22, 14, 5, tzinfo=LONDON))
    saved(lead.person, "waterlow", by=scorer, at=datetime(2026, 11, 21, 8, 30, tzinfo=LONDON))
    saved(PersonFactory(location=lead.person.location), "braden")  # someone else's
    content = lead.client.get(url("scores", lead.person)).content.decode()
    words = guidance("news2", latest.category)
    assert TOOL_INFO["news2"].name in content and TOOL_INFO["waterlow"].name in content
    assert TOOL_INFO["braden"].name not in content.split("Score a tool")[0]
    assert f'<strong class="nhsuk-tag nhsuk-tag--{words.colour}">{words.label}</strong>' in content
    assert words.meaning in content and words.action.split(":")[0] in content
    assert "Ama Mensah, 22 Nov 2026, 14:05" in content
    assert "Ama Mensah, 21 Nov 2026, 08:30" in content
    assert "20 Nov 2026" not in content  # only the newest NEWS2
    assert f">{latest.total_display}</dd>" in content


def test_the_scores_tab_offers_every_tool_to_someone_who_may_score(lead):
    content = lead.client.get(url("scores", lead.person)).content.decode()
    for tool in TOOLS:
        assert f'href="{url("score-new", lead.person, tool)}">Score {TOOL_INFO[tool].short_name}</a>' in content
    assert "No scores recorded yet." in content


def test_the_scores_tab_offers_no_scoring_without_score_record_at_the_persons_location(lead, monkeypatch):
    # No role today may view without scoring, so the scope is narrowed where the record's pages read it.
    from carelead.people import selectors as people_selectors

    monkeypatch.setattr(people_selectors, "perms_for_person", lambda user, person: frozenset({Perm.PERSON_VIEW}))
    saved(lead.person, "news2")
    content = lead.client.get(url("scores", lead.person)).content.decode()
    assert "/new/" not in content
    assert "Score a tool" not in content


def test_a_falls_tool_result_carries_the_case_finding_aid_note(lead):
    saved(lead.person, "frat_uk")
    content = lead.client.get(url("scores", lead.person)).content.decode()
    assert TOOL_INFO["frat_uk"].note in content


def test_a_care_worker_sees_the_tab_and_may_score(sign_in):
    worker = MembershipFactory(role=Role.CARE_WORKER)
    client = sign_in(worker)
    person = PersonFactory(location=worker.locations.get())
    assert client.get(url("scores", person)).status_code == 200
    response = client.post(url("score-new", person, "abbey_pain_scale"),
                           SPECS["abbey_pain_scale"].form_data(CASE["abbey_pain_scale"]["inputs"]))
    assert response.status_code == 302
    assert ToolScoreRecord.objects.get().scored_by == worker.user


def test_the_scores_tab_queries_do_not_grow_with_scores(lead, django_assert_num_queries):
    address = url("scores", lead.person)
    for tool in ("news2", "waterlow"):
        saved(lead.person, tool)
    lead.client.get(address)  # warm sessions and caches
    with CaptureQueriesContext(connection) as captured:
        lead.client.get(address)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    scorer = UserFactory()
    for tool in TOOLS:
        for hours in range(6):
            saved(lead.person, tool, by=scorer if hours % 2 else None,
                  at=timezone.now() - timedelta(hours=hours + 1))
    with django_assert_num_queries(few):
        lead.client.get(address)


# --- One tool's history ------------------------------------------------------------------------


def test_the_history_shows_a_chart_and_a_table_of_the_same_scores(lead):
    scorer = UserFactory(full_name="Ama Mensah")
    first = saved(lead.person, "news2", by=scorer, at=datetime(2026, 11, 3, 9, 15, tzinfo=LONDON),
                  inputs=CASES["news2"][0]["inputs"])
    last = saved(lead.person, "news2", by=scorer, at=datetime(2026, 11, 22, 14, 5, tzinfo=LONDON))
    saved(lead.person, "waterlow")  # another tool: not in this history
    response = lead.client.get(url("tool-history", lead.person, "news2"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in content and 'role="img"' in content
    assert "2 scores from 3 Nov 2026 to 22 Nov 2026" in content
    assert ">3 Nov<" in content and ">22 Nov<" in content
    assert content.count('<tr class="nhsuk-table__row" role="row">') == 3  # the header row and two scores
    assert "22 Nov 2026, 14:05" in content and "3 Nov 2026, 09:15" in content
    for record in (first, last):
        words = guidance("news2", record.category)
        assert f'<strong class="nhsuk-tag nhsuk-tag--{words.colour}">{words.label}</strong>' in content
    assert guidance("news2", last.category).action.split(":")[0] in content  # the latest result's action
    assert "Ama Mensah" in content
    assert TOOL_INFO["waterlow"].name not in content
    assert TOOL_INFO["news2"].attribution in content


def test_the_history_audits_one_view_naming_the_tool(lead):
    lead.client.get(url("tool-history", lead.person, "braden"))
    event = AuditEvent.objects.get()
    assert (event.action, event.person) == (Action.VIEW, lead.person)
    assert event.details == {"tab": "scores", "tool": "braden"}


def test_the_history_of_a_tool_never_scored_says_so(lead):
    content = lead.client.get(url("tool-history", lead.person, "four_at")).content.decode()
    assert "No 4AT scores recorded yet." in content
    assert "<svg" not in content.split("<main")[1]


def test_the_history_pages_by_50_newest_first(lead):
    scorer = UserFactory()
    start = datetime(2026, 1, 1, 9, 0, tzinfo=LONDON)
    for day in range(55):
        saved(lead.person, "braden", by=scorer, at=start + timedelta(days=day))
    first = lead.client.get(url("tool-history", lead.person, "braden")).content.decode()
    assert first.count("nhsuk-table__header\" scope=\"row\"") == 50
    assert "24 Feb 2026, 09:00" in first  # the newest: day 54
    assert "The newest 50 of 55 scores." in first
    assert "page=2" in first
    second = lead.client.get(url("tool-history", lead.person, "braden") + "?page=2").content.decode()
    assert second.count("nhsuk-table__header\" scope=\"row\"") == 5
    assert "1 Jan 2026, 09:00" in second


def test_the_history_queries_do_not_grow_with_scores(lead, django_assert_num_queries):
    address = url("tool-history", lead.person, "news2")
    saved(lead.person, "news2")
    saved(lead.person, "news2", at=timezone.now() - timedelta(days=1))
    lead.client.get(address)
    with CaptureQueriesContext(connection) as captured:
        lead.client.get(address)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    for day in range(2, 80):
        saved(lead.person, "news2", at=timezone.now() - timedelta(days=day))
    with django_assert_num_queries(few):
        lead.client.get(address)


# --- Scoring: the form of each tool ------------------------------------------------------------


def test_the_form_audits_its_reading_of_the_record(lead):
    response = lead.client.get(url("score-new", lead.person, "news2"))
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.details == {"tab": "scores", "tool": "news2", "form": "new"}


@pytest.mark.parametrize("tool", TOOLS)
def test_each_tool_scores_and_saves_exactly_what_the_tool_scores(lead, tool):
    case = CASE[tool]
    response = lead.client.post(url("score-new", lead.person, tool), {**SPECS[tool].form_data(case["inputs"]),
                                                                       "notes": "Scored at the morning round"})
    assert response.status_code == 302
    assert response["Location"] == url("tool-history", lead.person, tool)
    record = ToolScoreRecord.objects.get()
    expected = score(tool, record.inputs)
    assert (record.total, record.category) == (Decimal(expected.total), expected.category)
    assert (record.total, record.category) == (Decimal(case["total"]), case["category"])
    assert score(tool, case["inputs"]) == expected
    assert (record.person, record.tool, record.scored_by, record.notes) == (
        lead.person, tool, lead.user, "Scored at the morning round"
    )
    page = lead.client.get(response["Location"]).content.decode()
    banner = views.SCORED_MESSAGE.format(tool=TOOL_INFO[tool].short_name, total=record.total_display,
                                         label=guidance(tool, record.category).label.lower())
    assert banner.replace("'", "&#x27;") in page
    assert AuditEvent.objects.filter(action=Action.CREATE, person=lead.person).count() == 1


@pytest.mark.parametrize("tool", TOOLS)
def test_each_tool_form_with_nothing_answered_shows_errors_and_saves_nothing(lead, tool):
    response = lead.client.post(url("score-new", lead.person, tool), {})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert content.count('class="nhsuk-error-message"') == len(
        [q for q in SPECS[tool].questions if q.required and q.only_when is None]
    )
    assert "<title>Error: " in content
    assert not ToolScoreRecord.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_the_tools_own_refusals_show_beside_their_fields(lead):
    data = {**SPECS["news2"].form_data(CASE["news2"]["inputs"]), "respiration_rate": "200", "temperature": "37.25"}
    response = lead.client.post(url("score-new", lead.person, "news2"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_respiration_rate">Enter a whole number from 0 to 80</a>' in content
    assert 'id="id_respiration_rate-error"' in content
    assert "Enter the temperature to one decimal place, for example 37.5" in content
    assert 'value="200"' in content  # what was typed stays, to be corrected
    assert not ToolScoreRecord.objects.exists()


def test_waterlow_healthy_skin_cannot_be_chosen_with_another(lead):
    data = {**SPECS["waterlow"].form_data(CASE["waterlow"]["inputs"]), "skin_type": ["healthy", "dry"]}
    content = lead.client.post(url("score-new", lead.person, "waterlow"), data).content.decode()
    assert '<a href="#id_skin_type_0">Choose &quot;healthy&quot; only when no other skin type applies</a>' in content
    assert not ToolScoreRecord.objects.exists()


def test_a_posted_value_that_is_not_an_option_is_refused(lead):
    data = {**SPECS["news2"].form_data(CASE["news2"]["inputs"]), "consciousness": "X", "on_oxygen": "maybe"}
    content = lead.client.post(url("score-new", lead.person, "news2"), data).content.decode()
    assert "Select the level of consciousness" in content and "Select air or oxygen" in content
    assert not ToolScoreRecord.objects.exists()


def test_the_news2_form_says_when_scale_2_is_used_and_starts_on_scale_1(lead):
    content = lead.client.get(url("score-new", lead.person, "news2")).content.decode()
    assert "Only when a clinician has set a target of 88–92%" in content
    assert 'id="id_spo2_scale_0" name="spo2_scale" type="radio" value="1" checked' in content
    assert '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Level of consciousness (ACVPU)</legend>' \
        in content
    assert TOOL_INFO["news2"].attribution in content


@pytest.mark.parametrize("tool", ["frat_uk", "ph_frat_part1"])
def test_the_falls_forms_warn_that_they_are_case_finding_aids(lead, tool):
    content = lead.client.get(url("score-new", lead.person, tool)).content.decode()
    assert 'class="nhsuk-card nhsuk-card--warning"' in content
    assert TOOL_INFO[tool].note in content


def test_a_tool_without_attribution_shows_none_and_no_falls_warning(lead):
    content = lead.client.get(url("score-new", lead.person, "barthel")).content.decode()
    assert not TOOL_INFO["barthel"].attribution
    assert "nhsuk-card--warning" not in content
    assert TOOL_INFO["barthel"].source in content


def test_waterlow_asks_their_age_with_it_filled_in_from_the_record(lead):
    content = lead.client.get(url("score-new", lead.person, "waterlow")).content.decode()
    age = f'name="age" type="text" inputmode="numeric" autocomplete="off" spellcheck="false" value="{lead.person.age}"'
    assert age in content
