from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from carelead.accounts.models import User
from carelead.core.management.scale_plan import bench_carer_email, bench_manager_email, scale_domain
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.models import Location, Membership, Organisation
from carelead.people.models import AboutMe, Contact, Person
from carelead.people.selectors import visible_people
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PREFIX = "Tiny Scale Group"
TINY = ["--people", "30", "--locations", "3", "--staff", "20", "--audit-events", "100", "--prefix", PREFIX,
        "--apprenticeships", "0"]  # the programme at scale: apprenticeships/tests/test_caseload_scale.py


def seed_scale(*extra: str) -> str:
    out = StringIO()
    call_command("seed_scale", *TINY, *extra, stdout=out, verbosity=0)
    return out.getvalue()


def scale_people():
    return Person.objects.filter(location__organisation__name=PREFIX)


def test_it_creates_what_it_says():
    output = seed_scale()
    organisation = Organisation.objects.get(name=PREFIX)
    assert "30 people, 3 locations, 20 staff, 100 audit events" in output
    assert Location.objects.filter(organisation=organisation).count() == 3
    assert User.objects.filter(email__endswith=f"@{scale_domain(PREFIX)}").count() == 20
    assert Membership.objects.filter(organisation=organisation).count() == 20
    assert scale_people().count() == 30
    assert AboutMe.objects.filter(person__in=scale_people()).count() == 30
    assert AuditEvent.objects.count() == 100
    per_person = Contact.objects.filter(person__in=scale_people()).values("person").annotate(n=Count("id"))
    assert len(per_person) == 30 and {row["n"] for row in per_person} <= {1, 2, 3}


def test_its_people_are_visible_to_its_registered_manager_and_a_carer_sees_one_location():
    seed_scale()
    manager = User.objects.get(email=bench_manager_email(PREFIX))
    assert Membership.objects.get(user=manager).role == Role.REGISTERED_MANAGER
    assert set(visible_people(manager)) == set(scale_people())
    carer = User.objects.get(email=bench_carer_email(PREFIX))
    seen = visible_people(carer)
    assert seen.count() == 10
    assert seen.values("location").distinct().count() == 1


def test_staff_hold_roles_spread_like_a_provider_group():
    seed_scale()
    roles = set(Membership.objects.filter(organisation__name=PREFIX).values_list("role", flat=True))
    assert {Role.CARE_WORKER, Role.REGISTERED_MANAGER, Role.ORG_ADMIN} <= roles
    admin = Membership.objects.filter(organisation__name=PREFIX, role=Role.ORG_ADMIN).first()
    assert admin.all_locations and admin.audit_access
    carers = Membership.objects.filter(organisation__name=PREFIX, role=Role.CARE_WORKER).annotate(n=Count("locations"))
    assert {carer.n for carer in carers} <= {1, 2}


def test_it_refuses_when_the_data_exists_and_changes_nothing():
    seed_scale()
    with pytest.raises(CommandError, match="already exists. Run again with --reset"):
        seed_scale()
    assert scale_people().count() == 30
    assert AuditEvent.objects.count() == 100


def test_reset_deletes_only_its_own_data():
    elsewhere = PersonFactory()
    seed_scale()
    seed_scale("--reset", "--people", "12")
    assert scale_people().count() == 12
    assert Organisation.objects.filter(name=PREFIX).count() == 1
    assert Person.objects.filter(pk=elsewhere.pk).exists()


def test_the_same_seed_gives_the_same_people():
    def names():
        return list(scale_people().order_by("nhs_number").values_list("given_name", "family_name", "nhs_number"))

    seed_scale("--seed", "7")
    first = names()
    seed_scale("--seed", "7", "--reset")
    assert names() == first


def test_locations_are_shared_between_organisations_and_each_membership_stays_in_its_own():
    seed_scale("--organisations", "2", "--locations", "4")
    organisations = Organisation.objects.filter(name__startswith=PREFIX)
    assert sorted(organisations.values_list("name", flat=True)) == [f"{PREFIX} 1", f"{PREFIX} 2"]
    assert [org.locations.count() for org in organisations] == [2, 2]
    for membership in Membership.objects.filter(organisation__in=organisations).prefetch_related("locations"):
        assert all(loc.organisation_id == membership.organisation_id for loc in membership.locations.all())


# --- Care records (issue 4) ------------------------------------------------------------------


def test_every_person_has_one_plan_built_from_their_assessment_with_sections_actions_and_version_1():
    from carelead.careplans.models import CarePlan, CarePlanVersion, PlanStatus
    from carelead.careplans.plan_services import snapshot

    seed_scale()
    plans = CarePlan.objects.filter(person__in=scale_people()).select_related("person", "needs_assessment")
    assert plans.count() == 30 and plans.values("person").distinct().count() == 30
    for plan in plans:
        leaving = plan.person.status in ("moved_on", "died")
        assert plan.status == (PlanStatus.ARCHIVED if leaving else PlanStatus.ACTIVE)
        sections = list(plan.sections.prefetch_related("actions", "risks"))
        assert 3 <= len(sections) <= 6
        assert all(1 <= len(section.actions.all()) <= 3 for section in sections)
        if plan.needs_assessment:
            assert plan.needs_assessment.person_id == plan.person_id and plan.needs_assessment.is_completed
            assert {s.source_section.assessment_id for s in sections} == {plan.needs_assessment_id}
        assert all(risk.person_id == plan.person_id for section in sections for risk in section.risks.all())
        [version] = CarePlanVersion.objects.filter(plan=plan)
        assert version.version == plan.version == plan.approved_version == 1
        assert version.snapshot == snapshot(plan)  # the stored snapshot is what the plan says now


def test_review_dates_spread_across_overdue_due_and_in_date():
    from django.utils import timezone

    from carelead.careplans.models import CarePlan, RiskAssessment
    from carelead.careplans.rules import review_state

    seed_scale("--people", "120")
    today = timezone.localdate()
    states = [review_state(day, today) for day in
              CarePlan.objects.filter(person__in=scale_people()).values_list("review_on", flat=True)]
    assert {"overdue", "due", "in_date"} == set(states)
    assert 0.03 < states.count("overdue") / len(states) < 0.2
    assert 0.03 < states.count("due") / len(states) < 0.2
    assert RiskAssessment.objects.filter(person__in=scale_people()).exists()


def test_tool_scores_are_the_tools_own_and_assessments_are_completed_with_sections():
    from carelead.assessments.models import NeedsAssessment, ToolScoreRecord
    from carelead.assessments.tools import score

    seed_scale()
    records = ToolScoreRecord.objects.filter(person__in=scale_people())
    assert set(records.values_list("tool", flat=True)) == {"waterlow", "must", "news2"}
    for record in records:
        result = score(record.tool, record.inputs)
        assert (record.total, record.category) == (result.total, result.category)
    assessments = NeedsAssessment.objects.filter(person__in=scale_people()).annotate(n=Count("sections"))
    assert assessments.count() >= 20
    assert all(a.is_completed and a.review_on and a.completed_on < a.review_on and 3 <= a.n <= 6 for a in assessments)


def test_dols_only_in_care_homes_for_someone_found_to_lack_capacity():
    from carelead.assessments.models import CapacityAssessment, DolsApplication

    seed_scale("--people", "120")
    assert CapacityAssessment.objects.filter(person__in=scale_people()).exists()
    applications = DolsApplication.objects.filter(person__in=scale_people()).select_related(
        "person__location", "capacity_assessment")
    assert applications.exists()
    for application in applications:
        assert application.person.location.setting_type in ("care_home", "care_home_nursing")
        assert application.capacity_assessment.person_id == application.person_id
        assert application.capacity_assessment.lacks_capacity
        assert application.status == "granted" and application.authorised_from < application.authorised_until


def test_reset_removes_the_care_records_too():
    from carelead.careplans.models import CarePlan

    seed_scale()
    seed_scale("--reset", "--people", "5")
    assert CarePlan.objects.filter(person__location__organisation__name=PREFIX).count() == 5
    assert CarePlan.objects.count() == 5


def test_seeded_records_carry_their_persons_location_though_bulk_create_skips_save():
    from django.db.models import F

    from carelead.assessments.models import CapacityAssessment, DolsApplication, NeedsAssessment
    from carelead.careplans.models import CarePlan, CarePlanSection, RiskAssessment

    seed_scale("--people", "60")
    for model, person in [(CarePlan, "person"), (CarePlanSection, "plan__person"), (RiskAssessment, "person"),
                          (NeedsAssessment, "person"), (CapacityAssessment, "person"), (DolsApplication, "person")]:
        rows = model.objects.filter(**{f"{person}__in": scale_people()})
        assert rows.exists(), model.__name__
        assert not rows.exclude(location=F(f"{person}__location")).exists(), model.__name__
