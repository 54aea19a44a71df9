"""The completion API (issue 6 "Completion"): every party reads the outcome; the coach records it as
multipart with the version last read (201; 409 stale; 400 naming the field; 403 for the other parties;
404 out of reach, including an assessor with a grant); the certificate downloads."""

from datetime import timedelta

import pytest
from django.urls import reverse

from carelead.apprenticeships.models import ApprenticeshipCompletion, ApprenticeshipStatus
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_assessor import GATEWAY, assessor_of, grant, passed_epa, past_gateway
from carelead.apprenticeships.tests.factories_otj import PDF, media, upload  # noqa: F401 (fixture)
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def apprenticeship(reference_data):
    apprenticeship = past_gateway()
    passed_epa(apprenticeship)
    return apprenticeship


def url(apprenticeship):
    return reverse("api:api-completion", args=[apprenticeship.public_id])


def post(api, who, apprenticeship, **fields):
    client = api(who)
    data = {"achieved_on": (GATEWAY + timedelta(days=40)).isoformat(), "certificate": upload(),
            "version": apprenticeship.version, **fields}
    return client.client.post(url(apprenticeship), data, **client.auth)


def test_the_coach_records_and_every_party_reads(api, apprenticeship, media):
    assert api(apprenticeship.apprentice).get(url(apprenticeship)).json()["achieved_on"] is None
    response = post(api, apprenticeship.coach, apprenticeship)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == ApprenticeshipStatus.COMPLETED
    for user in (apprenticeship.apprentice, employer_contact_of(apprenticeship).user):
        read = api(user).get(url(apprenticeship)).json()
        assert read["achieved_on"] == (GATEWAY + timedelta(days=40)).isoformat()
        download = api(user).get(read["certificate_url"])
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    again = post(api, apprenticeship.coach, apprenticeship, version=apprenticeship.version + 1)
    assert again.status_code == 400 and ApprenticeshipCompletion.objects.count() == 1


def test_reading_the_outcome_is_audited_as_a_read_of_the_completion(api, apprenticeship, media):
    assert post(api, apprenticeship.coach, apprenticeship).status_code == 201
    completion = ApprenticeshipCompletion.objects.get()
    assert api(apprenticeship.apprentice).get(url(apprenticeship)).status_code == 200
    subject = f"apprenticeships.ApprenticeshipCompletion:{completion.public_id}"
    assert AuditEvent.objects.filter(action="view", actor=apprenticeship.apprentice, subject=subject).exists()


def test_a_stale_version_is_409(api, apprenticeship, media):
    assert post(api, apprenticeship.coach, apprenticeship, version=apprenticeship.version + 5).status_code == 409
    assert not ApprenticeshipCompletion.objects.exists()


def test_bad_input_names_the_field(api, apprenticeship, media):
    response = post(api, apprenticeship.coach, apprenticeship, achieved_on=(GATEWAY - timedelta(days=1)).isoformat())
    assert response.status_code == 400 and list(response.json()) == ["achieved_on"]
    response = post(api, apprenticeship.coach, apprenticeship, certificate=upload("x.png", PDF))
    assert response.status_code == 400 and list(response.json()) == ["certificate"]
    assert not ApprenticeshipCompletion.objects.exists()


@pytest.mark.parametrize("who", ["apprentice", "employer"])
def test_the_other_parties_may_not_record(api, apprenticeship, media, who):
    user = apprenticeship.apprentice if who == "apprentice" else employer_contact_of(apprenticeship).user
    assert post(api, user, apprenticeship).status_code == 403
    assert not ApprenticeshipCompletion.objects.exists()


def test_out_of_reach_is_404(api, apprenticeship, media):
    for user in (ApprenticeshipFactory().coach, grant(apprenticeship, assessor_of()).assessor):
        assert api(user).get(url(apprenticeship)).status_code == 404
        assert post(api, user, apprenticeship).status_code == 404
    assert not ApprenticeshipCompletion.objects.exists()
