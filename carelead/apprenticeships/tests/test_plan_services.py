"""The training plan's services (§5.2): who writes it, one draft at a time, activities saved whole,
signatures in order provider, apprentice, employer, and locked once signed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carelead.apprenticeships import plan_services as services
from carelead.apprenticeships.models import (
    ApprenticeshipStatus, Ksb, Party, ResponsibleParty, Signature, SignatureMethod, TrainingPlanActivity,
    TrainingPlanVersion,
)
from carelead.apprenticeships.rules import ActivityType
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, TrainingPlanActivityFactory, TrainingPlanVersionFactory, employer_contact_of,
)
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def actor(user) -> Actor:
    return Actor(user=getattr(user, "user", user))


def activity_args(apprenticeship, **changes) -> dict:
    return {"activity_type": ActivityType.STUDY_DAY.value, "title": "Safeguarding study day",
            "planned_hours": Decimal("7.5"), "planned_from": date(2025, 10, 1), "planned_to": date(2025, 10, 1),
            "responsible": ResponsibleParty.PROVIDER, "ksb_ids": [], **changes}


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory()


def signed_plan(apprenticeship, *parties_signed) -> TrainingPlanVersion:
    plan = TrainingPlanVersionFactory(apprenticeship=apprenticeship, number=1)
    TrainingPlanActivityFactory(plan=plan)
    for party in parties_signed:
        Signature.objects.create(plan_version=plan, party=party, signed_by=apprenticeship.coach)
    return plan


# --- Who may write ---------------------------------------------------------------------------------


def test_the_apprentice_cannot_create_the_plan(apprenticeship):
    with pytest.raises(NotAllowed):
        services.start_plan_version(actor=actor(apprenticeship.apprentice), apprenticeship=apprenticeship)
    assert not TrainingPlanVersion.objects.exists()


def test_an_employer_contact_cannot_add_an_activity(apprenticeship):
    services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    with pytest.raises(NotAllowed):
        services.add_activity(actor=actor(employer_contact_of(apprenticeship)), apprenticeship=apprenticeship,
                              **activity_args(apprenticeship))
    assert not TrainingPlanActivity.objects.exists()


def test_the_coach_starts_version_1_and_it_is_audited(apprenticeship):
    version = services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    assert version.number == 1 and version.created_by == apprenticeship.coach
    event = AuditEvent.objects.get(action="create")
    assert event.person is None and event.subject.endswith(str(version.public_id))


def test_only_one_draft_at_a_time(apprenticeship):
    services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    with pytest.raises(ValidationError) as error:
        services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                    change_summary="Another")
    assert services.DRAFT_EXISTS_MESSAGE.format(number=1) in error.value.messages
    assert TrainingPlanVersion.objects.count() == 1


def test_a_new_version_copies_the_signed_one_with_its_ksbs_and_needs_a_summary(apprenticeship):
    plan = signed_plan(apprenticeship, Party.PROVIDER, Party.APPRENTICE, Party.EMPLOYER)
    ksbs = list(Ksb.objects.filter(version=apprenticeship.standard_version)[:2])
    plan.activities.get().ksbs.set(ksbs)
    with pytest.raises(ValidationError) as error:
        services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    assert error.value.message_dict == {"change_summary": [services.SUMMARY_REQUIRED_MESSAGE]}
    new = services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                      change_summary="Study day added")
    copied = new.activities.get()
    assert new.number == 2 and new.change_summary == "Study day added"
    assert set(copied.ksbs.all()) == set(ksbs) and copied.pk != plan.activities.get().pk
    assert plan.activities.count() == 1  # the signed version is untouched


# --- Activities ------------------------------------------------------------------------------------


def test_counts_as_otj_comes_from_the_rules(apprenticeship):
    services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    review = services.add_activity(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                   **activity_args(apprenticeship, activity_type=ActivityType.PROGRESS_REVIEW.value))
    mentoring = services.add_activity(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                      **activity_args(apprenticeship, activity_type=ActivityType.MENTORING.value))
    assert review.counts_as_otj is False and mentoring.counts_as_otj is True  # §4: mentoring agreed in the plan


@pytest.mark.parametrize(("field", "day"), [("planned_from", date(2025, 8, 31)), ("planned_to", date(2027, 3, 2))])
def test_planned_dates_must_lie_in_the_practical_period(apprenticeship, field, day):
    services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    args = activity_args(apprenticeship, planned_from=date(2025, 9, 1), planned_to=date(2027, 3, 1))
    services.add_activity(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship, **args)  # both edges
    with pytest.raises(ValidationError) as error:
        services.add_activity(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship, **{**args, field: day})
    assert error.value.message_dict[field] == [
        services.DATE_OUTSIDE_MESSAGE.format(start="1 Sep 2025", end="1 Mar 2027")]


def test_a_ksb_of_another_version_saves_nothing(apprenticeship):
    services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    other = Ksb.objects.exclude(version=apprenticeship.standard_version).first()
    with pytest.raises(ValidationError) as error:
        services.add_activity(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                              **activity_args(apprenticeship, ksb_ids=[other.pk]))
    assert error.value.message_dict == {"ksbs": [services.KSB_MESSAGE]}
    assert not TrainingPlanActivity.objects.exists()


def test_a_change_is_saved_whole_or_not_at_all(apprenticeship, monkeypatch):
    services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    ksb = Ksb.objects.filter(version=apprenticeship.standard_version).first()
    activity = services.add_activity(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                     **activity_args(apprenticeship))

    def fail(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services.audit, "record", fail)
    with pytest.raises(RuntimeError):
        services.change_activity(actor=actor(apprenticeship.coach), activity=activity,
                                 **activity_args(apprenticeship, title="Changed", ksb_ids=[ksb.pk]))
    activity.refresh_from_db()
    assert activity.title == "Safeguarding study day" and not activity.ksbs.exists()


def test_a_signed_version_cannot_change(apprenticeship):
    plan = signed_plan(apprenticeship, Party.PROVIDER)
    activity = plan.activities.get()
    with pytest.raises(ValidationError) as error:
        services.change_activity(actor=actor(apprenticeship.coach), activity=activity,
                                 **activity_args(apprenticeship, title="Changed"))
    assert services.NO_DRAFT_MESSAGE.format(number=1) in error.value.messages
    with pytest.raises(ValidationError):
        services.remove_activity(actor=actor(apprenticeship.coach), activity=activity)
    assert plan.activities.get().title != "Changed"


def test_the_coach_removes_an_activity_from_the_draft(apprenticeship):
    services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    activity = services.add_activity(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                     **activity_args(apprenticeship))
    services.remove_activity(actor=actor(apprenticeship.coach), activity=activity)
    assert not TrainingPlanActivity.objects.exists()
    assert AuditEvent.objects.filter(action="delete").count() == 1


# --- Signatures ------------------------------------------------------------------------------------


def test_signing_goes_provider_then_apprentice_then_employer(apprenticeship):
    plan = signed_plan(apprenticeship)
    contact = employer_contact_of(apprenticeship)
    with pytest.raises(ValidationError) as error:
        services.sign_plan(actor=actor(contact), version=plan, party=Party.EMPLOYER)
    assert error.value.message_dict == {"party": [services.OUT_OF_ORDER_MESSAGE.format(
        party="employer", waiting="training provider")]}
    services.sign_plan(actor=actor(apprenticeship.coach), version=plan)
    with pytest.raises(ValidationError) as error:
        services.sign_plan(actor=actor(contact), version=plan)
    assert services.NOT_YOUR_TURN_MESSAGE.format(number=1) in error.value.messages  # the apprentice signs first
    services.sign_plan(actor=actor(apprenticeship.apprentice), version=plan)
    services.sign_plan(actor=actor(contact), version=plan)
    assert list(plan.signatures.values_list("party", flat=True)) == [Party.PROVIDER, Party.APPRENTICE, Party.EMPLOYER]
    assert AuditEvent.objects.filter(action="update", details__agreed=True).count() == 1


def test_nobody_signs_for_a_party_they_are_not(apprenticeship):
    plan = signed_plan(apprenticeship)
    with pytest.raises(NotAllowed):
        services.sign_plan(actor=actor(apprenticeship.apprentice), version=plan, party=Party.PROVIDER)
    assert not plan.signatures.exists()


def test_an_empty_plan_cannot_be_signed(apprenticeship):
    plan = services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    with pytest.raises(ValidationError) as error:
        services.sign_plan(actor=actor(apprenticeship.coach), version=plan)
    assert services.EMPTY_PLAN_MESSAGE in error.value.messages


def test_an_earlier_version_cannot_be_signed(apprenticeship):
    first = signed_plan(apprenticeship, Party.PROVIDER)
    services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship, change_summary="x")
    with pytest.raises(ValidationError) as error:
        services.sign_plan(actor=actor(apprenticeship.apprentice), version=first)
    assert services.NOT_LATEST_MESSAGE.format(number=2) in error.value.messages


def test_the_coach_records_an_offline_signature_with_who_when_and_how(apprenticeship):
    plan = signed_plan(apprenticeship, Party.PROVIDER)
    with pytest.raises(ValidationError) as error:
        services.record_offline_signature(actor=actor(apprenticeship.coach), version=plan, party=Party.APPRENTICE,
                                          signatory_name=" ", obtained_on=None, obtained_how="")
    assert set(error.value.message_dict) == {"signatory_name", "obtained_on", "obtained_how"}
    with pytest.raises(ValidationError) as error:
        services.record_offline_signature(
            actor=actor(apprenticeship.coach), version=plan, party=Party.APPRENTICE, signatory_name="A N Other",
            obtained_on=timezone.localdate() + timedelta(days=1), obtained_how="Paper")
    assert error.value.message_dict == {"obtained_on": [services.OBTAINED_FUTURE_MESSAGE]}
    signature = services.record_offline_signature(
        actor=actor(apprenticeship.coach), version=plan, party=Party.APPRENTICE,
        signatory_name=apprenticeship.apprentice.full_name, obtained_on=timezone.localdate(),
        obtained_how="Signed paper copy")
    assert signature.method == SignatureMethod.OFFLINE and signature.signed_by == apprenticeship.coach


def test_only_the_coach_records_offline_signatures_and_not_for_the_provider(apprenticeship):
    plan = signed_plan(apprenticeship)
    with pytest.raises(NotAllowed):
        services.record_offline_signature(actor=actor(apprenticeship.apprentice), version=plan,
                                          party=Party.APPRENTICE, signatory_name="X", obtained_on=date(2025, 9, 1),
                                          obtained_how="Paper")
    with pytest.raises(ValidationError) as error:
        services.record_offline_signature(actor=actor(apprenticeship.coach), version=plan, party=Party.PROVIDER,
                                          signatory_name="X", obtained_on=timezone.localdate(), obtained_how="Paper")
    assert error.value.message_dict == {"party": [services.OFFLINE_PARTY_MESSAGE]}


def test_a_withdrawn_apprenticeship_is_locked(apprenticeship):
    plan = signed_plan(apprenticeship)
    apprenticeship.status = ApprenticeshipStatus.WITHDRAWN
    apprenticeship.save()
    for call in (lambda: services.sign_plan(actor=actor(apprenticeship.coach), version=plan),
                 lambda: services.start_plan_version(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship),
                 lambda: services.remove_activity(actor=actor(apprenticeship.coach), activity=plan.activities.get())):
        with pytest.raises(ValidationError) as error:
            call()
        assert error.value.messages == ["This apprenticeship is withdrawn: its records are locked."]
    assert not plan.signatures.exists() and plan.activities.exists()


def test_a_signature_saved_while_this_one_waited_for_the_lock_is_refused_in_words(apprenticeship, monkeypatch):
    """Two requests sign at once (the coach's double click, or the coach recording the apprentice's paper
    signature as the apprentice signs online): the one that waited must see the other's signature after
    taking the lock, and answer with a message, not an IntegrityError on the one-per-party constraint."""
    plan = signed_plan(apprenticeship, Party.PROVIDER)
    read = services._fresh

    def read_then_other_request_signs(version):
        loaded = read(version)
        if not Signature.objects.filter(plan_version=version, party=Party.APPRENTICE).exists():
            Signature.objects.create(plan_version=version, party=Party.APPRENTICE, signed_by=apprenticeship.coach,
                                     method=SignatureMethod.OFFLINE, signatory_name="Sam", obtained_on=date.today(),
                                     obtained_how="Paper copy")
        return loaded

    monkeypatch.setattr(services, "_fresh", read_then_other_request_signs)
    with pytest.raises(ValidationError) as error:
        services.sign_plan(actor=actor(apprenticeship.apprentice), version=plan)
    assert error.value.message_dict == {"party": [services.ALREADY_SIGNED_MESSAGE.format(party="apprentice",
                                                                                         number=1)]}
