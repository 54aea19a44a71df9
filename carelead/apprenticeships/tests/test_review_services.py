"""Progress review services and selectors (§5.1): refusals first (wrong party, out of order, frozen,
stale, bad actions), then what a review opens with, the signing order, and queries that stay flat."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from carelead.apprenticeships import review_selectors, review_services
from carelead.apprenticeships.models import (
    ActionOwner, ApprenticeshipStatus, Ksb, OtjStatus, Party, ProgressReview, ReviewAction, ReviewStatus,
    SessionAttendee, Signature, SignatureMethod,
)
from carelead.apprenticeships.rules import ActivityType
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, ProgressReviewFactory, TrainingPlanActivityFactory,
    TrainingPlanVersionFactory, TrainingSessionFactory, employer_contact_of, staff_of,
)
from carelead.apprenticeships.tests.factories_reviews import fix_today, signed_review
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import Action, AuditEvent

pytestmark = pytest.mark.django_db
ACTION = {"description": "Lead a team handover", "measure": "Observed by the manager", "owner": ActionOwner.APPRENTICE,
          "due_on": date(2026, 1, 31)}


def actor(user):
    return Actor(user=getattr(user, "user", user))


def content(**changes) -> dict:
    return {"held_on": date(2025, 11, 20), "progress": "Leads handovers confidently.", "employer_comments": "Agreed",
            "wellbeing": "Well", "safeguarding_concern": False, "safeguarding_notes": "",
            "changes_of_circumstance": "", "actions": [ACTION], **changes}


def started(apprenticeship, monkeypatch, today=date(2025, 11, 25)):
    fix_today(monkeypatch, today)
    return review_services.start_review(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)


def written(apprenticeship, monkeypatch, **changes):
    review = started(apprenticeship, monkeypatch)
    return review_services.save_review(actor=actor(apprenticeship.coach), review=review, seen_version=review.version,
                                       **content(**changes))


# --- Refusals -------------------------------------------------------------------------------------


def test_only_the_coach_starts_or_writes_a_review(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    for who in (apprenticeship.apprentice, employer_contact_of(apprenticeship), staff_of(apprenticeship.employer)):
        with pytest.raises(NotAllowed):
            review_services.start_review(actor=actor(who), apprenticeship=apprenticeship)
    assert not ProgressReview.objects.exists()
    review = started(apprenticeship, monkeypatch)
    with pytest.raises(NotAllowed):
        review_services.save_review(actor=actor(apprenticeship.apprentice), review=review, seen_version=1, **content())
    review.refresh_from_db()
    assert review.progress == "" and not review.actions.exists()


def test_one_review_at_a_time_and_none_once_withdrawn(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    started(apprenticeship, monkeypatch)
    with pytest.raises(ValidationError, match="Review 1 is not yet signed by all three"):
        review_services.start_review(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship)
    withdrawn = ApprenticeshipFactory(status=ApprenticeshipStatus.WITHDRAWN)
    with pytest.raises(ValidationError, match="locked"):
        review_services.start_review(actor=actor(withdrawn.coach), apprenticeship=withdrawn)


def test_a_bad_action_saves_nothing_at_all(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    review = started(apprenticeship, monkeypatch)
    late = {**ACTION, "due_on": date(2025, 11, 20)}
    with pytest.raises(ValidationError) as refused:
        review_services.save_review(actor=actor(apprenticeship.coach), review=review, seen_version=review.version,
                                    **content(actions=[ACTION, late, {**ACTION, "measure": " ", "owner": "boss"}]))
    assert refused.value.message_dict["actions"] == [
        "Action 2: enter a date after the review was held (20 Nov 2025)",
        "Action 3: enter how we will know it is done", "Action 3: select who will do it"]
    review.refresh_from_db()
    assert (review.version, review.progress, review.held_on) == (1, "", None)
    assert not ReviewAction.objects.exists()


def test_a_concern_needs_notes_and_the_held_date_is_checked(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    review = started(apprenticeship, monkeypatch)
    with pytest.raises(ValidationError) as refused:
        review_services.save_review(actor=actor(apprenticeship.coach), review=review, seen_version=1,
                                    **content(safeguarding_concern=True, held_on=date(2025, 11, 26)))
    assert refused.value.message_dict == {
        "held_on": ["The date the review was held must be today or in the past"],
        "safeguarding_notes": ["Say what the concern is and what was done about it"]}


def test_a_stale_version_is_refused_and_nothing_changes(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    review = written(apprenticeship, monkeypatch)
    assert review.version == 2
    with pytest.raises(StaleEdit):
        review_services.save_review(actor=actor(apprenticeship.coach), review=review, seen_version=1,
                                    **content(progress="Overwrites"))
    review.refresh_from_db()
    assert review.progress == "Leads handovers confidently."


def test_the_coach_signs_only_a_review_that_is_written(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    review = started(apprenticeship, monkeypatch)
    with pytest.raises(ValidationError) as refused:
        review_services.sign_review(actor=actor(apprenticeship.coach), review=review)
    assert refused.value.messages == [review_services.READY_HELD_ON, review_services.READY_PROGRESS,
                                      review_services.READY_ACTIONS]
    assert not Signature.objects.exists()


def test_signing_goes_coach_then_apprentice_then_employer(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    contact = employer_contact_of(apprenticeship)
    review = written(apprenticeship, monkeypatch)
    outsider = staff_of(apprenticeship.employer)
    with pytest.raises(NotAllowed):
        review_services.sign_review(actor=actor(outsider), review=review)
    with pytest.raises(ValidationError, match="The apprentice signs after the skills coach"):
        review_services.sign_review(actor=actor(apprenticeship.apprentice), review=review)
    with pytest.raises(ValidationError, match="The employer signs after the skills coach"):
        review_services.sign_review(actor=actor(contact), review=review)
    with pytest.raises(NotAllowed):  # the employer may not sign as the apprentice
        review_services.sign_review(actor=actor(contact), review=review, party=Party.APPRENTICE)
    assert not Signature.objects.exists()

    review_services.sign_review(actor=actor(apprenticeship.coach), review=review)
    assert ProgressReview.objects.get().status == ReviewStatus.AWAITING_APPRENTICE
    with pytest.raises(ValidationError, match="Review 1 has been signed, so its content cannot change"):
        review_services.save_review(actor=actor(apprenticeship.coach), review=review, seen_version=3, **content())
    with pytest.raises(ValidationError, match="The skills coach has already signed review 1"):
        review_services.sign_review(actor=actor(apprenticeship.coach), review=review)
    with pytest.raises(ValidationError, match="The employer signs after the apprentice"):
        review_services.sign_review(actor=actor(contact), review=review)

    review_services.sign_review(actor=actor(apprenticeship.apprentice), review=review)
    assert ProgressReview.objects.get().status == ReviewStatus.AWAITING_EMPLOYER
    review_services.sign_review(actor=actor(contact), review=review)
    review = ProgressReview.objects.get()
    assert review.status == ReviewStatus.SIGNED
    assert [s.party for s in review.signatures.order_by("signed_at", "pk")] == [
        Party.PROVIDER, Party.APPRENTICE, Party.EMPLOYER]
    with pytest.raises(ValidationError, match="signed by all three and locked"):
        review_services.sign_review(actor=actor(contact), review=review)
    events = AuditEvent.objects.filter(subject=f"apprenticeships.ProgressReview:{review.public_id}",
                                       action=Action.UPDATE)
    assert [event.details.get("signed") for event in events.order_by("pk")][-3:] == ["provider", "apprentice",
                                                                                    "employer"]


def test_the_registered_manager_signs_for_the_employer(reference_data, monkeypatch):
    from carelead.core.permissions import Role

    apprenticeship = ApprenticeshipFactory()
    manager = staff_of(apprenticeship.employer, role=Role.REGISTERED_MANAGER)
    review = written(apprenticeship, monkeypatch)
    review_services.sign_review(actor=actor(apprenticeship.coach), review=review)
    review_services.sign_review(actor=actor(apprenticeship.apprentice), review=review)
    assert review_services.sign_review(actor=actor(manager), review=review).party == Party.EMPLOYER


def test_an_offline_signature_says_who_when_and_how(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    review = written(apprenticeship, monkeypatch)
    review_services.sign_review(actor=actor(apprenticeship.coach), review=review)
    coach = actor(apprenticeship.coach)
    with pytest.raises(ValidationError) as refused:
        review_services.record_offline_signature(actor=coach, review=review, party=Party.PROVIDER, signatory_name=" ",
                                                 obtained_on=None, obtained_how="")
    assert set(refused.value.message_dict) == {"party", "signatory_name", "obtained_on", "obtained_how"}
    with pytest.raises(ValidationError, match="on or after 20 Nov 2025"):
        review_services.record_offline_signature(actor=coach, review=review, party=Party.APPRENTICE,
                                                 signatory_name="A", obtained_on=date(2025, 11, 19), obtained_how="x")
    with pytest.raises(ValidationError, match="The employer signs after the apprentice"):
        review_services.record_offline_signature(actor=coach, review=review, party=Party.EMPLOYER,
                                                 signatory_name="Pat", obtained_on=date(2025, 11, 21),
                                                 obtained_how="Signed paper copy")
    with pytest.raises(NotAllowed):
        review_services.record_offline_signature(actor=actor(apprenticeship.apprentice), review=review,
                                                 party=Party.APPRENTICE, signatory_name="Me",
                                                 obtained_on=date(2025, 11, 21), obtained_how="Paper")
    signature = review_services.record_offline_signature(
        actor=coach, review=review, party=Party.APPRENTICE, signatory_name="Sam Apprentice",
        obtained_on=date(2025, 11, 21), obtained_how="Signed paper copy")
    assert (signature.method, signature.signatory_name, signature.obtained_how) == (
        SignatureMethod.OFFLINE, "Sam Apprentice", "Signed paper copy")
    assert ProgressReview.objects.get().status == ReviewStatus.AWAITING_EMPLOYER


# --- What a review opens with -----------------------------------------------------------------------


def _agreed_plan(apprenticeship):
    plan = TrainingPlanVersionFactory(apprenticeship=apprenticeship, number=1)
    TrainingPlanActivityFactory(plan=plan)  # 18 h of Teams coaching over the first 365 days
    TrainingPlanActivityFactory(plan=plan, activity_type=ActivityType.PROGRESS_REVIEW.value, title="Reviews",
                                planned_hours=Decimal(6), counts_as_otj=False)
    for party in (Party.PROVIDER, Party.APPRENTICE, Party.EMPLOYER):
        Signature.objects.create(plan_version=plan, party=party, signed_by=apprenticeship.coach)
    draft = TrainingPlanVersionFactory(apprenticeship=apprenticeship, number=2)  # unsigned: not the plan
    TrainingPlanActivityFactory(plan=draft, planned_hours=Decimal(500))
    return plan


def test_the_first_review_opens_with_everything_since_the_start(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()  # starts 1 Sep 2025
    _agreed_plan(apprenticeship)
    knowledge = Ksb.objects.filter(version=apprenticeship.standard_version, kind="knowledge").order_by("position")[0]
    skill = Ksb.objects.filter(version=apprenticeship.standard_version, kind="skill").order_by("position")[0]
    first = OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 9, 1), minutes=90,
                                  status=OtjStatus.APPROVED)
    first.ksbs.add(knowledge)
    second = OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, 1), minutes=60,
                                   status=OtjStatus.APPROVED)
    second.ksbs.add(knowledge, skill)
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, 2), minutes=120).ksbs.add(skill)
    attended = TrainingSessionFactory(provider=apprenticeship.provider, title="Coaching: Care Act duties",
                                      starts_at=datetime(2025, 10, 7, 10, tzinfo=UTC))
    SessionAttendee.objects.create(session=attended, apprenticeship=apprenticeship, attended_minutes=55)
    missed = TrainingSessionFactory(provider=apprenticeship.provider, title="Missed")
    SessionAttendee.objects.create(session=missed, apprenticeship=apprenticeship, attended_minutes=None)

    review = started(apprenticeship, monkeypatch, today=date(2025, 11, 30))
    assert (review.number, review.due_on) == (1, date(2025, 12, 31))
    prefill = review.prefill
    assert prefill["window"] == {"from": "2025-09-01", "to": "2025-11-30"}
    assert prefill["last_review"] is None and prefill["last_actions"] == []
    otj = prefill["otj"]
    # 18 h over 365 days, 91 of them in the window: 4.487 h; 150 approved minutes = 2.5 h.
    assert (otj["plan_version"], otj["planned_hours"], otj["actual_hours"], otj["slippage_hours"]) == (
        1, "4.5", "2.5", "2.0")
    assert (otj["actual_to_date_hours"], otj["planned_to_date_hours"]) == ("2.5", "4.5")
    assert "minimum_hours" in otj and "minimum_reason" in otj
    assert prefill["sessions"] == [{"title": "Coaching: Care Act duties", "date": "2025-10-07",
                                    "kind": "Coaching session", "minutes": 55}]
    assert prefill["ksbs"] == [{"code": knowledge.code, "text": knowledge.text},
                               {"code": skill.code, "text": skill.text}]


def test_a_later_review_opens_from_the_day_after_the_last_with_its_actions(reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    last = signed_review(apprenticeship, held_on=date(2025, 11, 20), actions=2)
    ProgressReviewFactory(apprenticeship=apprenticeship, number=0, held_on=date(2025, 10, 1),
                          status=ReviewStatus.AWAITING_EMPLOYER)  # not signed by all: does not count
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 11, 20), minutes=30,
                          status=OtjStatus.APPROVED)  # the last review's own day
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 11, 21), minutes=45,
                          status=OtjStatus.APPROVED)
    ProgressReview.objects.filter(number=0).delete()
    review = started(apprenticeship, monkeypatch, today=date(2026, 2, 10))
    assert (review.number, review.due_on) == (2, date(2026, 2, 28))
    assert review.prefill["window"] == {"from": "2025-11-21", "to": "2026-02-10"}
    assert review.prefill["last_review"] == {"number": 1, "held_on": "2025-11-20"}
    assert review.prefill["otj"]["actual_hours"] == "0.8" and review.prefill["otj"]["actual_to_date_hours"] == "1.3"
    assert review.prefill["otj"]["plan_version"] is None and review.prefill["otj"]["planned_hours"] == "0.0"
    actions = list(last.actions.order_by("position"))
    assert [row["id"] for row in review.prefill["last_actions"]] == [action.pk for action in actions]
    assert review.prefill["last_actions"][0]["owner_label"] == "Apprentice"

    saved = review_services.save_review(actor=actor(apprenticeship.coach), review=review, seen_version=1,
                                        **content(held_on=date(2026, 2, 9), actions=[
                                            {**ACTION, "due_on": date(2026, 4, 1)}, {**ACTION, "owner": "coach",
                                                                                     "due_on": date(2026, 5, 1)}]),
                                        done_action_ids=[actions[0].pk])
    assert [row["done"] for row in saved.prefill["last_actions"]] == [True, False]
    assert [a.completed_on for a in last.actions.order_by("position")] == [date(2026, 2, 9), None]
    assert [(a.owner, a.due_on) for a in saved.actions.order_by("position")] == [
        ("apprentice", date(2026, 4, 1)), ("coach", date(2026, 5, 1))]
    with pytest.raises(ValidationError, match="must be after 20 Nov 2025"):
        review_services.save_review(actor=actor(apprenticeship.coach), review=saved, seen_version=saved.version,
                                    **content(held_on=date(2025, 11, 20)))
    with pytest.raises(ValidationError, match="Choose actions of the last review"):
        review_services.save_review(actor=actor(apprenticeship.coach), review=saved, seen_version=saved.version,
                                    **content(held_on=date(2026, 2, 9)), done_action_ids=[99999])


# --- Selectors for the dashboards -----------------------------------------------------------------


def test_next_reviews_is_one_query_for_1_or_10_apprenticeships(reference_data, django_assert_num_queries):
    first = ApprenticeshipFactory(start_date=date(2025, 7, 31))
    signed_review(first, held_on=date(2025, 10, 20))
    with django_assert_num_queries(1):
        one = review_selectors.next_reviews([first], today=date(2026, 1, 1))
    assert one == {first.pk: {"due_on": date(2026, 1, 12), "state": "due", "last_held_on": date(2025, 10, 20),
                              "label": "Due", "colour": "yellow"}}
    rows = [first] + [ApprenticeshipFactory(start_date=date(2025, 8, 1)) for _ in range(9)]
    with django_assert_num_queries(1):
        ten = review_selectors.next_reviews(rows, today=date(2026, 1, 1))
    assert ten[rows[1].pk]["due_on"] == date(2025, 11, 30) and ten[rows[1].pk]["state"] == "overdue"


def test_awaiting_signature_for_each_party_in_one_query(reference_data, django_assert_num_queries):
    first = ApprenticeshipFactory()
    contact = employer_contact_of(first)
    for_apprentice = ProgressReviewFactory(apprenticeship=first, number=1, status=ReviewStatus.AWAITING_APPRENTICE)
    assert list(review_selectors.awaiting_signature_for(first.apprentice)) == [for_apprentice]
    assert list(review_selectors.awaiting_signature_for(contact.user)) == []
    assert list(review_selectors.awaiting_signature_for(first.coach)) == []
    with django_assert_num_queries(1):
        list(review_selectors.awaiting_signature_for(contact.user))
    others = [ApprenticeshipFactory(employer=first.employer) for _ in range(9)]
    waiting = [ProgressReviewFactory(apprenticeship=a, number=1, status=ReviewStatus.AWAITING_EMPLOYER)
               for a in others]
    ProgressReviewFactory(apprenticeship=ApprenticeshipFactory(), number=1, status=ReviewStatus.AWAITING_EMPLOYER)
    with django_assert_num_queries(1):
        found = [(r.pk, r.apprenticeship.apprentice.full_name) for r in review_selectors.awaiting_signature_for(
            contact.user)]
    assert sorted(pk for pk, _ in found) == sorted(r.pk for r in waiting)
    # An apprentice who also manages never signs their own review for the employer.
    assert list(review_selectors.awaiting_signature_for(others[0].apprentice)) == []
