"""The risks tab: negative cases first (another location, a care worker, a stale page), then the pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.careplans.models import RiskAssessment, RiskStatus
from carelead.careplans.services import RESIDUAL_LIKELIHOOD_MESSAGE
from carelead.careplans.tests.factories import RiskAssessmentFactory
from carelead.core.errors import StaleEdit
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

OBJECT_URLS = ["careplans:risk-detail", "careplans:risk-edit", "careplans:risk-archive"]


def _member(role=Role.SENIOR_CARER):
    membership = MembershipFactory(role=role)
    return membership, membership.locations.get()


def _posted(**overrides) -> dict:
    review = timezone.localdate() + timedelta(days=60)
    data = {
        "activity": "falls", "title": "Falls on the stairs", "hazard": "Steep stairs", "who_is_at_risk": "The person",
        "likelihood": "4", "severity": "4", "controls": "Stair lift", "residual_likelihood": "2",
        "residual_severity": "4", "person_views": "", "review_on_0": review.day, "review_on_1": review.month,
        "review_on_2": review.year,
    }
    data.update(overrides)
    return data


def _all_urls(risk):
    person = risk.person.public_id
    return [reverse("careplans:risk-list", args=[person]), reverse("careplans:risk-new", args=[person])] + [
        reverse(name, args=[person, risk.public_id]) for name in OBJECT_URLS
    ]


def test_every_url_is_a_404_for_a_person_at_another_location_and_nothing_is_written(sign_in):
    membership, _ = _member(Role.REGISTERED_MANAGER)
    client = sign_in(membership)
    risk = RiskAssessmentFactory()
    for url in _all_urls(risk):
        assert client.get(url).status_code == 404, url
        assert client.post(url, _posted(version=1)).status_code in (404, 405), url
    risk.refresh_from_db()
    assert (risk.version, risk.status, RiskAssessment.objects.count()) == (1, RiskStatus.CURRENT, 1)
    assert not AuditEvent.objects.exists()


def test_a_risk_of_another_person_is_a_404_under_this_persons_url(sign_in):
    membership, location = _member()
    client = sign_in(membership)
    person = PersonFactory(location=location)
    other = RiskAssessmentFactory(person=PersonFactory(location=location))
    for name in OBJECT_URLS:
        assert client.get(reverse(name, args=[person.public_id, other.public_id])).status_code == 404


def test_a_care_worker_cannot_add_change_or_archive_a_risk(sign_in):
    membership, location = _member(Role.CARE_WORKER)
    client = sign_in(membership)
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    new = reverse("careplans:risk-new", args=[risk.person.public_id])
    assert client.get(new).status_code == 404  # the URL names a person: never confirmed to exist
    assert client.post(new, _posted()).status_code == 404
    for name in ("careplans:risk-edit", "careplans:risk-archive"):
        url = reverse(name, args=[risk.person.public_id, risk.public_id])
        assert client.get(url).status_code == 404
        assert client.post(url, _posted(version=1)).status_code == 404
    risk.refresh_from_db()
    assert (risk.version, risk.status, RiskAssessment.objects.count()) == (1, RiskStatus.CURRENT, 1)


def test_a_care_worker_reads_risks_without_change_links(sign_in):
    membership, location = _member(Role.CARE_WORKER)
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    client = sign_in(membership)
    page = client.get(reverse("careplans:risk-list", args=[risk.person.public_id])).content.decode()
    assert risk.title in page and "Add a risk assessment" not in page
    detail = client.get(reverse("careplans:risk-detail", args=[risk.person.public_id, risk.public_id]))
    assert detail.status_code == 200 and "Archive" not in detail.content.decode()


def test_a_stale_edit_is_a_form_error_and_nothing_is_saved(sign_in):
    membership, location = _member()
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    RiskAssessment.objects.filter(pk=risk.pk).update(version=2, title="Someone else's title")
    response = sign_in(membership).post(reverse("careplans:risk-edit", args=[risk.person.public_id, risk.public_id]),
                                        _posted(version=1, title="Mine"))
    assert response.status_code == 200
    assert StaleEdit().message in response.content.decode()
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("Someone else's title", 2)
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


def test_a_residual_risk_above_the_initial_risk_is_shown_beside_its_field(sign_in):
    membership, location = _member()
    person = PersonFactory(location=location)
    response = sign_in(membership).post(reverse("careplans:risk-new", args=[person.public_id]),
                                        _posted(likelihood="2", residual_likelihood="3"))
    assert response.status_code == 200
    assert RESIDUAL_LIKELIHOOD_MESSAGE in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_a_senior_carer_adds_a_risk_and_sees_it_with_its_matrix(sign_in):
    membership, location = _member()
    person = PersonFactory(location=location)
    client = sign_in(membership)
    assert client.get(reverse("careplans:risk-new", args=[person.public_id])).status_code == 200
    response = client.post(reverse("careplans:risk-new", args=[person.public_id]), _posted())
    risk = RiskAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("careplans:risk-detail", args=[person.public_id, risk.public_id])
    assert (risk.score, risk.residual_score, risk.assessed_by) == (16, 8, membership.user)
    page = client.get(response["Location"]).content.decode()
    assert "Risk matrix" in page and "<strong>Initial</strong>" in page and "<strong>Residual</strong>" in page
    assert "nhsuk-tag--red" in page and "nhsuk-tag--orange" in page
    assert AuditEvent.objects.filter(action=Action.CREATE, person=person).count() == 1
    viewed = AuditEvent.objects.filter(action=Action.VIEW, subject=f"careplans.RiskAssessment:{risk.public_id}")
    assert viewed.get().details == {"tab": "risks"}


def test_the_list_shows_ratings_and_an_overdue_review(sign_in):
    membership, location = _member()
    person = PersonFactory(location=location)
    RiskAssessmentFactory(person=person, title="Overdue one", review_on=timezone.localdate() - timedelta(days=1))
    RiskAssessmentFactory(person=person, title="Archived one", status=RiskStatus.ARCHIVED)
    page = sign_in(membership).get(reverse("careplans:risk-list", args=[person.public_id])).content.decode()
    assert "Overdue one" in page and "Review overdue" in page and "Archived one" not in page
    assert "Risks" in page
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.person, event.details) == (person, {"tab": "risks"})


def test_editing_saves_and_archiving_asks_first(sign_in):
    membership, location = _member()
    risk = RiskAssessmentFactory(person=PersonFactory(location=location))
    client = sign_in(membership)
    edit = reverse("careplans:risk-edit", args=[risk.person.public_id, risk.public_id])
    assert 'name="version" value="1"' in client.get(edit).content.decode()
    assert client.post(edit, _posted(version=1, title="Falls at night")).status_code == 302
    archive = reverse("careplans:risk-archive", args=[risk.person.public_id, risk.public_id])
    assert "Are you sure" in client.get(archive).content.decode()
    risk.refresh_from_db()
    assert (risk.title, risk.status) == ("Falls at night", RiskStatus.CURRENT)
    assert client.post(archive).status_code == 302
    risk.refresh_from_db()
    assert risk.status == RiskStatus.ARCHIVED


@pytest.mark.parametrize("page", ["list", "detail"])
def test_query_counts_do_not_grow_with_risks(page, sign_in, django_assert_num_queries):
    membership, location = _member()
    person = PersonFactory(location=location)
    client = sign_in(membership)
    risk = RiskAssessmentFactory(person=person)
    url = (reverse("careplans:risk-list", args=[person.public_id]) if page == "list"
           else reverse("careplans:risk-detail", args=[person.public_id, risk.public_id]))
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    RiskAssessmentFactory.create_batch(30, person=person)
    with django_assert_num_queries(few):
        client.get(url)


def test_positive_risk_taking_without_the_persons_views_is_refused_beside_that_field(sign_in):
    from carelead.careplans.models import PERSON_VIEWS_MESSAGE

    membership, location = _member()
    person = PersonFactory(location=location)
    response = sign_in(membership).post(reverse("careplans:risk-new", args=[person.public_id]),
                                        _posted(activity="positive_risk_taking", title=""))
    page = response.content.decode()
    assert response.status_code == 200 and PERSON_VIEWS_MESSAGE.replace("'", "&#x27;") in page
    assert not RiskAssessment.objects.exists()


def test_the_list_pages_at_25_with_the_soonest_reviews_first(sign_in):
    membership, location = _member()
    person = PersonFactory(location=location)
    today = timezone.localdate()
    for day in range(30):
        RiskAssessmentFactory(person=person, title=f"Risk due in {day + 1:02d} days", review_on=today + timedelta(days=day + 1))
    url = reverse("careplans:risk-list", args=[person.public_id])
    client = sign_in(membership)
    first, second = client.get(url).content.decode(), client.get(url + "?page=2").content.decode()
    assert "Risk due in 01 days" in first and "Risk due in 25 days" in first and "Risk due in 26 days" not in first
    assert "Risk due in 26 days" in second and "Risk due in 30 days" in second and "?page=2" in first
