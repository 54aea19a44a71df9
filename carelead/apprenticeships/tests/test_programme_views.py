"""The apprenticeship pages: the list in the user's reach, one apprenticeship, and enrolment."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships.models import Apprenticeship, Qualification, WeeklyHours
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, coach_of, staff_of
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role

pytestmark = pytest.mark.django_db
LIST = reverse("apprenticeships:apprenticeship-list")
NEW = reverse("apprenticeships:apprenticeship-new")


def detail(apprenticeship) -> str:
    return reverse("apprenticeships:apprenticeship-detail", args=[apprenticeship.public_id])


def test_the_header_links_the_apprenticeships_list_and_the_list_links_the_standards(client, sign_in, reference_data):
    sign_in(staff_of())
    html = client.get(LIST).content.decode()
    assert f'href="{LIST}"' in html and ">Apprenticeships<" in html
    assert reverse("apprenticeships:standard-list") in html
    assert "Enrol an apprentice" not in html


def test_a_coach_sees_their_caseload_in_name_order_and_may_enrol(client, sign_in, reference_data):
    first = ApprenticeshipFactory(apprentice__full_name="Zara Young")
    ApprenticeshipFactory(coach=first.coach, provider=first.provider, apprentice__full_name="Adam Bell",
                          memberships=False)
    other = ApprenticeshipFactory()  # another coach's
    sign_in(first.coach)
    html = client.get(LIST).content.decode()
    assert html.index("Adam Bell") < html.index("Zara Young")
    assert "Enrol an apprentice" in html and "1 Sep 2025" in html and "1 Mar 2027" in html
    assert other.apprentice.full_name not in html and detail(other) not in html


def test_the_list_costs_the_same_queries_for_1_or_10(client, sign_in, reference_data, django_assert_num_queries):
    first = ApprenticeshipFactory()
    sign_in(first.coach)
    client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for _ in range(9):
        ApprenticeshipFactory(coach=first.coach, provider=first.provider)
    with django_assert_num_queries(len(one)):
        html = client.get(LIST).content.decode()
    assert html.count("<tr class=\"nhsuk-table__row\">") == 11  # header row and 10


def test_the_detail_page_shows_parties_dates_hours_and_what_is_not_known(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory(rpl_hours=Decimal(12))
    WeeklyHours.objects.create(apprenticeship=apprenticeship, hours=Decimal(30), from_date=date(2026, 3, 1))
    sign_in(apprenticeship.apprentice)
    html = client.get(detail(apprenticeship)).content.decode()
    for text in (apprenticeship.coach.full_name, apprenticeship.employer.name, apprenticeship.provider.name,
                 "ST0007", "version 1.1", "1 Sep 2025", "1 Mar 2027", "Already held", "12 hours", "37.5", "30",
                 "By 31 Dec 2025",  # §5.1: the last day of the third month after September
                 "Not known: the published minimum for ST0007 v1.1 has not been imported"):
        assert text in html, text
    event = AuditEvent.objects.get(action="view")
    assert event.person is None and event.subject.endswith(str(apprenticeship.public_id))


def test_a_start_before_august_2025_shows_the_minimum_by_the_formula(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory(start_date=date(2023, 1, 1), practical_period_end=date(2023, 12, 31),
                                           hours=30)
    sign_in(apprenticeship.coach)
    html = client.get(detail(apprenticeship)).content.decode()
    assert "278.49 hours" in html  # §4 worked example, 52 weeks at 30 h (as rules' test_otj gives it)
    assert "By 26 Mar 2023" in html  # 12 weeks (P59)


def test_the_epao_flag_shows_when_the_deadline_is_near_or_gone(client, sign_in, reference_data):
    today = timezone.localdate()
    due = ApprenticeshipFactory(practical_period_end=today + timedelta(days=200), start_date=today - timedelta(days=300))
    named = ApprenticeshipFactory(practical_period_end=today + timedelta(days=200), coach=due.coach,
                                  provider=due.provider, memberships=False, employer=due.employer,
                                  start_date=today - timedelta(days=300), epao_name="Highfield")
    sign_in(due.coach)
    assert "nhsuk-warning-callout" in client.get(detail(due)).content.decode()
    assert "nhsuk-warning-callout" not in client.get(detail(named)).content.decode()


def form_data(apprentice, coach, **changes):
    return {"apprentice_email": apprentice.user.email,
            "coach": str(coach.user.pk), "start_date_0": "1", "start_date_1": "9", "start_date_2": "2025",
            "practical_period_end_0": "1", "practical_period_end_1": "3", "practical_period_end_2": "2027",
            "weekly_hours": "37.5", "english_maths": "held", "english_maths_decision": "", "rpl_hours": "0",
            "epao_name": "", "employer_contact_emails": "", **changes}


def test_a_coach_enrols_through_the_page(client, sign_in, reference_data):
    coach = coach_of()
    apprentice = staff_of()
    sign_in(coach)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, form_data(apprentice, coach))
    apprenticeship = Apprenticeship.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(apprenticeship)
    assert apprenticeship.apprentice == apprentice.user and apprenticeship.coach == coach.user
    assert apprenticeship.qualification is None and "Not registered yet" in client.get(detail(apprenticeship)).content.decode()


def test_the_enrol_page_records_the_diploma_the_apprentice_is_registered_for(client, sign_in, reference_data):
    coach, apprentice = coach_of(), staff_of()
    diploma = Qualification.objects.get(specification_number="603/2614/1")
    sign_in(coach)
    assert "603/2614/1" in client.get(NEW).content.decode()
    client.post(NEW, form_data(apprentice, coach, qualification=str(diploma.pk)))
    apprenticeship = Apprenticeship.objects.get()
    assert apprenticeship.qualification == diploma
    assert diploma.title in client.get(detail(apprenticeship)).content.decode()


def test_the_enrol_page_puts_each_message_beside_its_field(client, sign_in, reference_data):
    coach = coach_of()
    apprentice = staff_of()
    sign_in(coach)
    html = client.post(NEW, form_data(apprentice, coach, apprentice_email="nobody@example.org",
                                      english_maths="not_required_19_plus", weekly_hours="")).content.decode()
    assert "nhsuk-error-summary" in html
    assert "Enter the email address of a current member of staff of the employer." in html
    assert "Enter the contracted hours a week" in html
    html = client.post(NEW, form_data(apprentice, coach, english_maths="not_required_19_plus")).content.decode()
    assert "Record the decision and why" in html
    assert not Apprenticeship.objects.exists()


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.EMPLOYER_CONTACT, Role.REGISTERED_MANAGER, Role.ORG_ADMIN])
def test_only_coaches_reach_the_enrol_page(client, sign_in, reference_data, role):
    sign_in(staff_of(role=role))
    assert client.get(NEW).status_code == 403


def test_the_enrol_page_never_lists_other_organisations(client, sign_in, reference_data):
    from carelead.organisations.models import OrganisationKind
    from carelead.organisations.tests.factories import OrganisationFactory

    OrganisationFactory(name="Employer: Mrs Dorothy Quillfeather", kind=OrganisationKind.INDIVIDUAL_EMPLOYER)
    OrganisationFactory(name="Larkspur Care Homes")
    coach = coach_of()
    sign_in(coach)
    html = client.get(NEW).content.decode()
    assert "Quillfeather" not in html and "Larkspur" not in html


def test_the_employer_is_the_organisation_the_apprentice_works_for(client, sign_in, reference_data):
    coach = coach_of()
    apprentice = staff_of()
    sign_in(coach)
    assert client.post(NEW, form_data(apprentice, coach)).status_code == 302
    assert Apprenticeship.objects.get().employer == apprentice.organisation


def test_someone_with_two_employers_is_enrolled_with_the_one_named(client, sign_in, reference_data):
    from carelead.apprenticeships.forms import NOT_THIS_EMPLOYER_MESSAGE, SEVERAL_EMPLOYERS_MESSAGE
    from carelead.organisations.tests.factories import MembershipFactory, OrganisationFactory

    coach = coach_of()
    apprentice = staff_of()
    second = MembershipFactory(user=apprentice.user, role=Role.CARE_WORKER,
                               organisation=OrganisationFactory(name="Second Home Care"))
    sign_in(coach)
    assert SEVERAL_EMPLOYERS_MESSAGE in client.post(NEW, form_data(apprentice, coach)).content.decode()
    assert NOT_THIS_EMPLOYER_MESSAGE in client.post(
        NEW, form_data(apprentice, coach, employer_name="Nowhere Ltd")).content.decode()
    assert not Apprenticeship.objects.exists()
    response = client.post(NEW, form_data(apprentice, coach, employer_name="second home care"))
    assert response.status_code == 302
    assert Apprenticeship.objects.get().employer == second.organisation


def test_a_service_refusal_shows_beside_the_field_the_coach_filled_in(client, sign_in, reference_data):
    from carelead.apprenticeships.services import ALREADY_ENROLLED_MESSAGE

    coach = coach_of()
    apprentice = staff_of()
    sign_in(coach)
    assert client.post(NEW, form_data(apprentice, coach)).status_code == 302
    form = client.post(NEW, form_data(apprentice, coach)).context["form"]
    assert form.errors["apprentice_email"] == [ALREADY_ENROLLED_MESSAGE]  # the service says "apprentice"
    assert Apprenticeship.objects.count() == 1


def test_the_overview_is_a_tab_with_the_coachs_actions(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.coach)
    html = client.get(detail(apprenticeship)).content.decode()
    assert 'aria-current="page">Overview<' in html and html.count("<h1") == 1
    for name in ("apprenticeship-edit", "weekly-hours-new", "programme-change-new", "training-plan"):
        assert reverse(f"apprenticeships:{name}", args=[apprenticeship.public_id]) in html, name
    sign_in(apprenticeship.apprentice)
    html = client.get(detail(apprenticeship)).content.decode()
    assert reverse("apprenticeships:programme-change-new", args=[apprenticeship.public_id]) not in html


def test_the_overview_costs_the_same_queries_for_1_or_10_changes(client, sign_in, reference_data,
                                                                 django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from carelead.apprenticeships.models import ChangeKind, ProgrammeChange

    apprenticeship = ApprenticeshipFactory()

    def change():
        ProgrammeChange.objects.create(apprenticeship=apprenticeship, kind=ChangeKind.WITHDRAWAL, reason="Left",
                                       effective_date=date(2026, 1, 5), requested_by=apprenticeship.coach,
                                       status="rejected", decided_by=apprenticeship.apprentice)

    change()
    sign_in(apprenticeship.coach)
    client.get(detail(apprenticeship))
    with CaptureQueriesContext(connection) as one:
        client.get(detail(apprenticeship))
    for _ in range(9):
        change()
    with django_assert_num_queries(len(one)):
        assert client.get(detail(apprenticeship)).content.decode().count(">Withdrawal</a>") == 10
