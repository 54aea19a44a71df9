"""The apprenticeships API: the same scoping as the pages; enrolment by a coach names each bad field."""

import uuid

import pytest

from carelead.apprenticeships.models import Apprenticeship, Qualification
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, coach_of, staff_of
from carelead.core.permissions import Role

pytestmark = pytest.mark.django_db
LIST = "/api/v1/apprenticeships/"


def body(staff, by, **changes):
    return {"apprentice": staff.user.email, "employer": str(staff.organisation.public_id),
            "coach": by.user.email, "start_date": "2025-09-01", "practical_period_end": "2027-03-01",
            "weekly_hours": "37.5", "english_maths": "held", **changes}


def test_each_sees_only_what_is_in_reach(api, reference_data):
    first = ApprenticeshipFactory()
    second = ApprenticeshipFactory(provider=first.provider)
    contact = staff_of(second.employer, role=Role.EMPLOYER_CONTACT)
    for user, expected in ((first.apprentice, first), (first.coach, first), (contact.user, second)):
        answer = api(user).get(LIST)
        assert answer.status_code == 200
        assert [row["public_id"] for row in answer.json()["results"]] == [str(expected.public_id)]
    assert api(first.coach).get(f"{LIST}{second.public_id}/").status_code == 404
    assert api(first.coach).get(f"{LIST}{uuid.uuid4()}/").status_code == 404
    assert api(staff_of(first.employer)).get(LIST).json()["results"] == []


def test_the_detail_carries_the_hours_history(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    data = api(apprenticeship.coach).get(f"{LIST}{apprenticeship.public_id}/").json()
    assert data["weekly_hours"] == [{"hours": "37.50", "from_date": "2025-09-01"}]
    assert data["standard"] == "ST0007 v1.1" and data["coach"] == apprenticeship.coach.email


def test_a_coach_enrols(api, reference_data):
    coach, apprentice = coach_of(), staff_of()
    answer = api(coach).post(LIST, body(apprentice, coach))
    assert answer.status_code == 201, answer.json()
    apprenticeship = Apprenticeship.objects.get()
    assert answer["Location"] == f"{LIST}{apprenticeship.public_id}/"
    assert answer.json()["qualification"] is None


def test_a_coach_enrols_naming_the_diploma(api, reference_data):
    coach, apprentice = coach_of(), staff_of()
    diploma = Qualification.objects.get(specification_number="603/2614/1")
    answer = api(coach).post(LIST, body(apprentice, coach, qualification=str(diploma.public_id)))
    assert answer.status_code == 201 and answer.json()["qualification"] == str(diploma.public_id)
    assert Apprenticeship.objects.get().qualification == diploma
    answer = api(coach).post(LIST, body(staff_of(), coach, qualification=str(uuid.uuid4())))
    assert answer.status_code == 400 and set(answer.json()) == {"qualification"}


def test_bad_fields_are_each_named(api, reference_data):
    coach, apprentice = coach_of(), staff_of()
    answer = api(coach).post(LIST, body(apprentice, coach, apprentice="nobody@example.org", colour="red"))
    assert answer.status_code == 400 and {"colour"} <= set(answer.json())
    answer = api(coach).post(LIST, body(apprentice, coach, apprentice="nobody@example.org"))
    assert answer.status_code == 400 and set(answer.json()) == {"apprentice"}
    answer = api(coach).post(LIST, body(apprentice, coach, english_maths="not_required_19_plus",
                                        practical_period_end="2025-01-01"))
    assert answer.status_code == 400 and set(answer.json()) == {"english_maths_decision", "practical_period_end"}
    assert not Apprenticeship.objects.exists()


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.EMPLOYER_CONTACT, Role.REGISTERED_MANAGER])
def test_only_coaches_enrol(api, reference_data, role):
    apprentice = staff_of()
    other = staff_of(apprentice.organisation, role=role)
    assert api(other).post(LIST, body(apprentice, other)).status_code == 403
    assert not Apprenticeship.objects.exists()


def test_the_list_costs_the_same_queries_for_1_or_10(api, reference_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = ApprenticeshipFactory()
    client = api(first.coach)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST).json()["results"]) == 1
    few = len(one.captured_queries)
    for _ in range(9):
        ApprenticeshipFactory(coach=first.coach, provider=first.provider)
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get(LIST).json()["results"]) == 10
    many = len(ten.captured_queries)
    assert few > 0 and many == few
