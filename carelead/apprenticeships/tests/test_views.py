"""The reference-data pages: any signed-in, verified member of staff in any role reads them."""

import uuid

import pytest
from django.urls import reverse

from carelead.apprenticeships.models import Ksb, Qualification, Standard, StandardVersion
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def urls() -> list[str]:
    version = StandardVersion.objects.get(standard__reference="ST0007", version="1.1")
    qualification = Qualification.objects.get(specification_number="603/2614/1")
    return [reverse("apprenticeships:standard-list"),
            reverse("apprenticeships:standard-version", args=[version.public_id]),
            reverse("apprenticeships:qualification", args=[qualification.public_id])]


def test_signed_out_visitors_are_sent_to_sign_in(client, reference_data):
    for url in urls():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in"), url


def test_a_password_without_the_second_factor_is_sent_to_give_it(client, sign_in, reference_data):
    sign_in(MembershipFactory(role=Role.CARE_WORKER), verified=False)
    for url in urls():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:second-factor"), url


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_reference_data(role, client, sign_in, reference_data):
    sign_in(MembershipFactory(role=role))
    for url in urls():
        assert client.get(url).status_code == 200, (url, role)


def test_a_made_up_id_is_not_found(client, sign_in, reference_data):
    sign_in(MembershipFactory(role=Role.SKILLS_COACH))
    made_up = uuid.uuid4()
    assert client.get(reverse("apprenticeships:standard-version", args=[made_up])).status_code == 404
    assert client.get(reverse("apprenticeships:qualification", args=[made_up])).status_code == 404


def test_the_list_shows_each_version_with_its_funding_in_words_and_the_warning(client, sign_in, reference_data):
    sign_in(MembershipFactory(role=Role.EMPLOYER_CONTACT))
    html = client.get(reverse("apprenticeships:standard-list")).content.decode()
    assert "ST0007 Lead practitioner in adult care (level 4)" in html
    assert "Version 1.0" in html and "Version 1.1" in html
    assert "Closed to new funded starts (existing apprentices continue)" in html
    assert "nhsuk-warning-callout" in html and "17 Dec 2026" in html
    assert "45 (45 with carelead codes)" in html
    assert "NCFE CACHE Level 4 Diploma in Adult Care" in html


def test_a_version_page_groups_ksbs_by_kind_and_theme_and_says_whose_codes_they_are(client, sign_in, reference_data):
    sign_in(MembershipFactory(role=Role.CARE_WORKER))
    html = client.get(urls()[1]).content.decode()
    assert "Knowledge (13)" in html and "Skills (26)" in html and "Behaviours (6)" in html
    for theme in ("Tasks and responsibilities", "Dignity and human rights", "Communication", "Safeguarding",
                  "Health and wellbeing", "Professional development"):
        assert f'<h4 class="nhsuk-heading-xs">{theme}</h4>' in html
    assert 'Codes marked "carelead code" are carelead\'s own</span>' in html
    assert "python manage.py import_standard &lt;file.json&gt;" in html
    assert html.count(">carelead code</strong>") == 45
    assert "18 months" in html and "Not published in the data carelead holds" in html


def test_retired_ksbs_show_apart_and_the_notice_goes_once_codes_are_official(client, sign_in, reference_data):
    version = StandardVersion.objects.get(version="1.1")
    version.ksbs.filter(code="CL-K13").update(retired=True)
    for ksb in version.ksbs.filter(retired=False):
        Ksb.objects.filter(pk=ksb.pk).update(code=ksb.code.removeprefix("CL-"), carelead_code=False)
    sign_in(MembershipFactory(role=Role.CARE_WORKER))
    html = client.get(urls()[1]).content.decode()
    assert "Retired (1)" in html and "Knowledge (12)" in html
    assert "are carelead's own</span>" not in html and ">carelead code</strong>" not in html


def test_the_qualification_page_lists_units_with_credits_and_says_which_could_not_be_read(
        client, sign_in, reference_data):
    sign_in(MembershipFactory(role=Role.SENIOR_CARER))
    cg = Qualification.objects.get(specification_number="4222-34")
    html = client.get(reverse("apprenticeships:qualification", args=[cg.public_id])).content.decode()
    assert "Advanced communication skills" in html
    assert html.count("Not loaded") == 2
    assert "Mandatory group: 12 units, 36 credits" in html
    ncfe = Qualification.objects.get(specification_number="603/2614/1")
    html = client.get(reverse("apprenticeships:qualification", args=[ncfe.public_id])).content.decode()
    assert "514" in html and "700 hours" in html and "at least 55 credits at Level 4" in html


def test_pages_read_a_fixed_number_of_queries(client, sign_in, reference_data, django_assert_max_num_queries):
    sign_in(MembershipFactory(role=Role.CARE_WORKER))
    pages = urls()
    for url in pages:  # sign-in and session take 7; each page 2 to 4 more however many rows
        with django_assert_max_num_queries(11):
            assert client.get(url).status_code == 200
    for n in range(5):
        standard = Standard.objects.create(reference=f"ST10{n:02}", title="Another", level=3)
        StandardVersion.objects.create(standard=standard, version="1.0")
        StandardVersion.objects.create(standard=standard, version="1.1")
    with django_assert_max_num_queries(11):
        assert client.get(reverse("apprenticeships:standard-list")).status_code == 200
