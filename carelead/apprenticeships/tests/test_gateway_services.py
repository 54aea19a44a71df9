"""Gateway services (issue 6 "Gateway", §2.1, §4): each item recorded by the right party and met or not with
its reason, the readiness decision signed in order provider, apprentice, employer, the gateway date confirmed
only when everything is met, then the checklist and off-the-job logging after that date are locked."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from carelead.apprenticeships import gateway_selectors, gateway_services, otj, otj_services
from carelead.apprenticeships.gateway_rules import (
    DIPLOMA, ENGLISH, EPAO, MATHS, OBSERVATION_SCOPE, OTJ, PORTFOLIO, READINESS,
)
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, EnglishMaths, EvidenceStatus, GatewayReadiness, Party, Signature,
)
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_gateway import (
    accepted_evidence, approved_hours, ready_but_unsigned, with_minimum,
)
from carelead.apprenticeships.tests.factories_otj import media, upload  # noqa: F401
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import AuditEvent
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "media")]
TODAY = date(2026, 12, 4)


def items(apprenticeship):
    return {item.key: item for item in gateway_selectors.gateway_status(apprenticeship, TODAY).checklist.items}


def sign_all(apprenticeship):
    employer = employer_contact_of(apprenticeship).user
    for user in (apprenticeship.coach, apprenticeship.apprentice, employer):
        gateway_services.sign_readiness(actor=Actor(user), apprenticeship=apprenticeship)
    return employer


# --- Each item met or not, with the reason from gateway_rules -----------------------------------------------


def test_a_new_apprenticeship_meets_nothing_but_english_and_maths_held():
    apprenticeship = ApprenticeshipFactory()
    found = items(apprenticeship)
    assert [key for key, item in found.items() if item.met] == [ENGLISH, MATHS]
    assert found[DIPLOMA].reason == "The Diploma is not yet achieved."
    assert found[OTJ].reason.startswith("The minimum off-the-job hours are not known yet")
    assert found[PORTFOLIO].reason == "The portfolio is not yet submitted: no item is accepted by the coach yet."
    assert found[OBSERVATION_SCOPE].reason == "The observation scope is not yet agreed."
    assert found[EPAO].reason == "No end-point assessment organisation is chosen yet."
    assert found[READINESS].reason == "Waiting for the employer, the training provider and the apprentice to sign."
    assert not GatewayReadiness.objects.exists()  # reading makes nothing


def test_every_item_but_the_signatures_met():
    found = items(ready_but_unsigned())
    assert [key for key, item in found.items() if not item.met] == [READINESS]
    assert found[OTJ].reason == "192 hours done of the 187 hours minimum."
    assert found[PORTFOLIO].reason == "The portfolio is submitted: 1 item accepted."


def test_otj_below_the_minimum_says_how_many_more_hours():
    with_minimum()
    apprenticeship = ApprenticeshipFactory()
    approved_hours(apprenticeship, days=7)
    assert items(apprenticeship)[OTJ].reason == "168 hours done: 19 more needed to reach the 187 hours minimum."


def test_the_coach_records_the_diploma_with_its_certificate_audited():
    apprenticeship = ApprenticeshipFactory()
    readiness = gateway_services.record_diploma(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                                achieved_on=date(2026, 11, 2), certificate=upload("diploma.pdf"))
    assert readiness.diploma_certificate.name.startswith(f"gateway/{readiness.public_id}/")
    assert readiness.diploma_certificate_name == "diploma.pdf" and readiness.version == 2
    assert items(apprenticeship)[DIPLOMA].met
    event = AuditEvent.objects.get(action="update", subject=f"apprenticeships.GatewayReadiness:{readiness.public_id}")
    assert "diploma_certificate" in event.details["fields"] and event.details["certificate"] is True


@pytest.mark.parametrize(("achieved_on", "certificate", "field", "message"), [
    (None, "diploma.pdf", "achieved_on", "Enter the date the diploma was achieved"),
    (date(2099, 1, 1), "diploma.pdf", "achieved_on", "The date the Diploma was achieved must be today or in the past"),
    (date(2025, 8, 31), "diploma.pdf", "achieved_on",
     "The date the Diploma was achieved must be on or after 1 Sep 2025, the start of the apprenticeship"),
    (date(2026, 11, 2), None, "certificate", "Upload the certificate"),
    (date(2026, 11, 2), "diploma.exe", "certificate", otj_services.EVIDENCE_TYPE_MESSAGE),
])
def test_a_diploma_without_a_good_date_or_certificate_is_refused(achieved_on, certificate, field, message):
    apprenticeship = ApprenticeshipFactory()
    with pytest.raises(ValidationError) as refused:
        gateway_services.record_diploma(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                        achieved_on=achieved_on, certificate=certificate and upload(certificate),
                                        today=TODAY)
    assert refused.value.message_dict[field] == [message]
    assert not items(apprenticeship)[DIPLOMA].met


def test_a_diploma_marked_achieved_without_a_certificate_is_not_met():
    apprenticeship = ApprenticeshipFactory()
    GatewayReadiness.objects.create(apprenticeship=apprenticeship, created_by=apprenticeship.coach,
                                    diploma_achieved_on=date(2026, 11, 2))
    assert items(apprenticeship)[DIPLOMA].reason == "The Diploma is marked achieved, but no certificate is recorded."


@pytest.mark.parametrize("who", ["apprentice", "employer", "other coach"])
def test_only_the_coach_records_the_diploma(who):
    apprenticeship = ApprenticeshipFactory()
    user = {"apprentice": apprenticeship.apprentice, "employer": employer_contact_of(apprenticeship).user,
            "other coach": ApprenticeshipFactory().coach}[who]
    with pytest.raises(NotAllowed):
        gateway_services.record_diploma(actor=Actor(user), apprenticeship=apprenticeship,
                                        achieved_on=date(2026, 11, 2), certificate=upload())
    assert not GatewayReadiness.objects.exists()


# --- English and maths: held, achieved (date and certificate) or not required with the decision, by age ------


def test_working_towards_english_and_maths_are_met_once_each_is_achieved_with_a_certificate():
    apprenticeship = ApprenticeshipFactory(english_maths=EnglishMaths.IN_PROGRESS)
    assert not items(apprenticeship)[ENGLISH].met
    gateway_services.record_english_maths(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                          english_achieved_on=date(2026, 5, 1), english_certificate=upload("e.pdf"))
    found = items(apprenticeship)
    assert found[ENGLISH].met and found[ENGLISH].reason == "English at Level 2 achieved."
    assert not found[MATHS].met


def test_an_achievement_needs_its_date_and_certificate():
    apprenticeship = ApprenticeshipFactory(english_maths=EnglishMaths.IN_PROGRESS)
    with pytest.raises(ValidationError) as refused:
        gateway_services.record_english_maths(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                              english_achieved_on=date(2026, 5, 1), maths_certificate=upload())
    assert refused.value.message_dict == {"english_certificate": ["Upload the certificate"],
                                          "maths_achieved_on": [gateway_services.CERTIFICATE_WITHOUT_DATE]}


def test_an_achievement_is_refused_when_enrolled_as_held():
    apprenticeship = ApprenticeshipFactory(english_maths=EnglishMaths.HELD)
    with pytest.raises(ValidationError) as refused:
        gateway_services.record_english_maths(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                              english_achieved_on=date(2026, 5, 1), english_certificate=upload())
    assert "change the enrolment" in refused.value.message_dict["english_achieved_on"][0]


@pytest.mark.parametrize(("born", "met"), [(date(2006, 9, 1), True), (date(2006, 9, 2), False), (None, False)])
def test_not_required_is_met_only_for_19_or_over_at_the_start(born, met):
    apprenticeship = ApprenticeshipFactory(english_maths=EnglishMaths.NOT_REQUIRED_19_PLUS,
                                           english_maths_decision="Agreed with the employer: already works at L2")
    gateway_services.record_english_maths(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                          date_of_birth=born)
    found = items(apprenticeship)
    assert found[ENGLISH].met is met and found[MATHS].met is met
    if born == date(2006, 9, 2):
        assert "the apprentice was 18 at the start" in found[MATHS].reason


def test_not_required_without_the_decision_recorded_is_not_met():
    apprenticeship = ApprenticeshipFactory(english_maths=EnglishMaths.NOT_REQUIRED_19_PLUS, english_maths_decision="")
    gateway_services.record_english_maths(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                          date_of_birth=date(1990, 1, 1))
    assert "the decision is not recorded" in items(apprenticeship)[ENGLISH].reason


# --- Portfolio, observation scope, EPAO ------------------------------------------------------------------------


def test_the_apprentice_declares_the_portfolio_only_with_one_accepted_and_none_waiting():
    apprenticeship = ApprenticeshipFactory()
    apprentice = Actor(apprenticeship.apprentice)
    with pytest.raises(ValidationError) as refused:
        gateway_services.declare_portfolio_submitted(actor=apprentice, apprenticeship=apprenticeship)
    assert refused.value.messages == ["You cannot declare the portfolio complete yet: no item is accepted by the "
                                      "coach yet."]
    accepted_evidence(apprenticeship)
    waiting = PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        gateway_services.declare_portfolio_submitted(actor=apprentice, apprenticeship=apprenticeship)
    waiting.status = EvidenceStatus.DRAFT  # taken back by the apprentice: drafts are not part of it
    waiting.save()
    gateway_services.declare_portfolio_submitted(actor=apprentice, apprenticeship=apprenticeship)
    assert items(apprenticeship)[PORTFOLIO].met
    PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.SUBMITTED)  # sent after
    assert items(apprenticeship)[PORTFOLIO].reason == ("The portfolio was declared complete, but 1 item is waiting "
                                                       "for the coach.")


def test_the_coach_cannot_declare_the_portfolio_for_the_apprentice():
    apprenticeship = ApprenticeshipFactory()
    accepted_evidence(apprenticeship)
    with pytest.raises(NotAllowed):
        gateway_services.declare_portfolio_submitted(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship)


def test_the_observation_scope_needs_the_activity_and_the_date_agreed():
    apprenticeship = ApprenticeshipFactory()
    with pytest.raises(ValidationError) as refused:
        gateway_services.record_observation_scope(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                                  scope="  ", agreed_on=None)
    assert set(refused.value.message_dict) == {"scope", "agreed_on"}
    gateway_services.record_observation_scope(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                              scope="Leads a handover", agreed_on=date(2026, 11, 3))
    assert items(apprenticeship)[OBSERVATION_SCOPE].met


def test_the_epao_comes_from_the_enrolment():
    apprenticeship = ApprenticeshipFactory(epao_name="Example EPA Ltd")
    assert items(apprenticeship)[EPAO].met


def test_a_stale_version_is_refused():
    apprenticeship = ApprenticeshipFactory()
    coach = Actor(apprenticeship.coach)
    gateway_services.record_observation_scope(actor=coach, apprenticeship=apprenticeship, scope="A",
                                              agreed_on=date(2026, 11, 3), seen_version=1)
    with pytest.raises(StaleEdit):
        gateway_services.record_observation_scope(actor=coach, apprenticeship=apprenticeship, scope="B",
                                                  agreed_on=date(2026, 11, 3), seen_version=1)
    assert GatewayReadiness.objects.get().observation_scope == "A"


# --- The readiness decision: provider, apprentice, employer -----------------------------------------------------


def test_the_coach_cannot_sign_until_every_other_item_is_met():
    apprenticeship = ApprenticeshipFactory(epao_name="Example EPA Ltd")
    with pytest.raises(ValidationError) as refused:
        gateway_services.sign_readiness(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship)
    assert "The Diploma is not yet achieved." in refused.value.messages[0]
    assert not Signature.objects.exists()


def test_the_three_sign_in_order_provider_apprentice_employer():
    apprenticeship = ready_but_unsigned()
    employer = employer_contact_of(apprenticeship).user
    with pytest.raises(ValidationError) as refused:
        gateway_services.sign_readiness(actor=Actor(apprenticeship.apprentice), apprenticeship=apprenticeship)
    assert refused.value.message_dict["party"] == [
        "The apprentice signs after the training provider: waiting for the training provider to sign first."]
    gateway_services.sign_readiness(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship)
    with pytest.raises(ValidationError):
        gateway_services.sign_readiness(actor=Actor(employer), apprenticeship=apprenticeship)
    gateway_services.sign_readiness(actor=Actor(apprenticeship.apprentice), apprenticeship=apprenticeship)
    signature = gateway_services.sign_readiness(actor=Actor(employer), apprenticeship=apprenticeship)
    assert signature.party == Party.EMPLOYER and signature.gateway.apprenticeship == apprenticeship
    assert list(Signature.objects.values_list("party", flat=True)) == ["provider", "apprentice", "employer"]
    assert items(apprenticeship)[READINESS].met
    assert AuditEvent.objects.filter(details__signed="employer").exists()
    with pytest.raises(ValidationError):
        gateway_services.sign_readiness(actor=Actor(employer), apprenticeship=apprenticeship)


def test_someone_unrelated_cannot_sign():
    apprenticeship = ready_but_unsigned()
    with pytest.raises(NotAllowed):
        gateway_services.sign_readiness(actor=Actor(MembershipFactory().user), apprenticeship=apprenticeship)


def test_the_coach_records_offline_signatures_in_turn():
    apprenticeship = ready_but_unsigned()
    coach = Actor(apprenticeship.coach)
    offline = {"signatory_name": "Sam Jones", "obtained_on": date(2026, 12, 1), "obtained_how": "Signed paper copy"}
    with pytest.raises(ValidationError):
        gateway_services.record_offline_readiness_signature(actor=coach, apprenticeship=apprenticeship,
                                                            party=Party.APPRENTICE, **offline)
    gateway_services.sign_readiness(actor=coach, apprenticeship=apprenticeship)
    for party in (Party.APPRENTICE, Party.EMPLOYER):
        gateway_services.record_offline_readiness_signature(actor=coach, apprenticeship=apprenticeship, party=party,
                                                            **offline)
    assert Signature.objects.filter(method="offline").count() == 2 and items(apprenticeship)[READINESS].met


def test_signing_freezes_what_was_signed():
    apprenticeship = ready_but_unsigned()
    gateway_services.sign_readiness(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship)
    with pytest.raises(ValidationError) as refused:
        gateway_services.record_observation_scope(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                                  scope="Something else", agreed_on=date(2026, 11, 3))
    assert refused.value.messages == [gateway_services.SIGNED_FROZEN]


# --- The gateway date ---------------------------------------------------------------------------------------------


def confirm(apprenticeship, on=date(2026, 11, 20), **kwargs):
    return gateway_services.confirm_gateway(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                            gateway_date=on, seen_version=kwargs.pop("seen_version", 1), **kwargs)


def test_confirming_is_refused_until_every_item_is_met_and_all_three_signed():
    apprenticeship = ready_but_unsigned()
    with pytest.raises(ValidationError) as refused:
        confirm(apprenticeship)
    assert "Waiting for the employer, the training provider and the apprentice to sign." in refused.value.messages[0]
    assert Apprenticeship.objects.get().gateway_date is None


@pytest.mark.parametrize(("on", "message"), [
    (date(2099, 1, 1), "The gateway date must be today or in the past"),
    (date(2025, 8, 1), "The gateway date must be on or after 1 Sep 2025, the start of the apprenticeship"),
    (None, "Enter the gateway date"),
])
def test_the_gateway_date_is_not_in_the_future_nor_before_the_start(on, message):
    apprenticeship = ready_but_unsigned()
    sign_all(apprenticeship)
    with pytest.raises(ValidationError) as refused:
        confirm(apprenticeship, on=on)
    assert refused.value.message_dict["gateway_date"] == [message]
    assert Apprenticeship.objects.get().gateway_date is None


def test_only_the_coach_confirms():
    apprenticeship = ready_but_unsigned()
    employer = sign_all(apprenticeship)
    for user in (apprenticeship.apprentice, employer):
        with pytest.raises(NotAllowed):
            gateway_services.confirm_gateway(actor=Actor(user), apprenticeship=apprenticeship,
                                             gateway_date=date(2026, 11, 20), seen_version=1)


def test_a_stale_confirmation_is_refused():
    apprenticeship = ready_but_unsigned()
    sign_all(apprenticeship)
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(version=5)
    with pytest.raises(StaleEdit):
        confirm(apprenticeship, seen_version=1)
    assert Apprenticeship.objects.get().gateway_date is None


def test_confirming_sets_the_gateway_date_and_locks_the_checklist_and_otj_logging():
    apprenticeship = ready_but_unsigned()
    sign_all(apprenticeship)
    confirm(apprenticeship, on=date(2026, 11, 20))
    apprenticeship = Apprenticeship.objects.get()
    assert apprenticeship.gateway_date == date(2026, 11, 20) and apprenticeship.version == 2
    readiness = GatewayReadiness.objects.get()
    assert readiness.confirmed_by == apprenticeship.coach and readiness.confirmed_at is not None
    assert AuditEvent.objects.filter(subject=f"apprenticeships.Apprenticeship:{apprenticeship.public_id}",
                                     action="update", details__fields=["gateway_date"]).exists()
    apprentice = Actor(apprenticeship.apprentice)
    entry = {"minutes": 60, "activity_type": "self_study", "what_learned": "Read the guidance"}
    with pytest.raises(ValidationError) as refused:
        otj_services.log_off_the_job_hours(actor=apprentice, apprenticeship=apprenticeship,
                                           entry_date=date(2026, 11, 21), **entry)
    assert refused.value.message_dict["entry_date"] == [otj.ENTRY_AFTER_GATEWAY]
    otj_services.log_off_the_job_hours(actor=apprentice, apprenticeship=apprenticeship,
                                       entry_date=date(2026, 11, 20), **entry)  # on the gateway date: allowed (§4)
    for write in (lambda: confirm(apprenticeship, seen_version=2),
                  lambda: gateway_services.record_observation_scope(
                      actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship, scope="X",
                      agreed_on=date(2026, 11, 3)),
                  lambda: gateway_services.declare_portfolio_submitted(actor=apprentice,
                                                                       apprenticeship=apprenticeship)):
        with pytest.raises(ValidationError) as refused:
            write()
        assert refused.value.messages == [gateway_services.CONFIRMED_MESSAGE]


def test_a_withdrawn_apprenticeship_is_locked():
    apprenticeship = ApprenticeshipFactory(status=ApprenticeshipStatus.WITHDRAWN)
    with pytest.raises(ValidationError):
        gateway_services.record_observation_scope(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                                  scope="X", agreed_on=date(2026, 11, 3))
    assert not GatewayReadiness.objects.exists()


def test_the_minimum_is_checked_again_at_confirmation():
    apprenticeship = ready_but_unsigned()
    sign_all(apprenticeship)
    apprenticeship.otj_entries.filter(entry_date=date(2025, 10, 1)).update(status="returned")  # 168 h now
    with pytest.raises(ValidationError) as refused:
        confirm(apprenticeship)
    assert "19 more needed" in refused.value.messages[0]


def test_after_confirmation_the_checklist_reads_as_it_stood_then():
    apprenticeship = ready_but_unsigned()
    sign_all(apprenticeship)
    confirm(apprenticeship, on=date(2026, 11, 20))
    apprenticeship = Apprenticeship.objects.get()
    PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.SUBMITTED)  # sent after gateway
    approved_hours(apprenticeship, days=2)
    status = gateway_selectors.gateway_status(apprenticeship, TODAY)
    assert status.checklist.ready and status.confirmed
    found = {item.key: item for item in status.checklist.items}
    assert found[PORTFOLIO].reason == "The portfolio is submitted: 1 item accepted."
    assert found[OTJ].reason == "192 hours done of the 187 hours minimum." and status.otj["actual"] == 192
    assert GatewayReadiness.objects.get().confirmed_checklist["portfolio"] == {"accepted": 1, "waiting": 0}


def test_a_gateway_date_before_logged_off_the_job_entries_is_refused():
    # §4: nothing counts after gateway. An entry already logged (waiting or approved) for a day after the chosen
    # date would otherwise count towards the minimum and could be approved after gateway.
    apprenticeship = ready_but_unsigned()
    sign_all(apprenticeship)
    otj_services.log_off_the_job_hours(actor=Actor(apprenticeship.apprentice), apprenticeship=apprenticeship,
                                       entry_date=date(2026, 11, 25), minutes=60, activity_type="self_study",
                                       what_learned="Read the guidance")
    with pytest.raises(ValidationError) as refused:
        confirm(apprenticeship, on=date(2026, 11, 20))
    assert refused.value.message_dict["gateway_date"] == [
        "1 off-the-job entry is dated after 20 Nov 2026, and nothing counts after gateway: choose a gateway date "
        "on or after 25 Nov 2026, or return the entry to the apprentice to change its date"]
    assert Apprenticeship.objects.get().gateway_date is None
    confirm(Apprenticeship.objects.get(), on=date(2026, 11, 25))  # on the entry's date: allowed
    assert Apprenticeship.objects.get().gateway_date == date(2026, 11, 25)


# --- Withdrawing the signatures to correct what was signed on ----------------------------------------------------


def test_the_coach_withdraws_the_signatures_with_a_reason_then_corrects_and_all_sign_again():
    apprenticeship = ready_but_unsigned()
    employer = sign_all(apprenticeship)
    coach = Actor(apprenticeship.coach)
    with pytest.raises(ValidationError) as refused:
        gateway_services.withdraw_readiness_signatures(actor=coach, apprenticeship=apprenticeship, reason="  ")
    assert refused.value.message_dict["reason"] == [gateway_services.WITHDRAW_REASON_REQUIRED]
    assert Signature.objects.count() == 3
    assert gateway_services.withdraw_readiness_signatures(
        actor=coach, apprenticeship=apprenticeship, reason="The Diploma date was wrong") == 3
    assert not Signature.objects.exists() and not items(apprenticeship)[READINESS].met
    readiness = GatewayReadiness.objects.get()
    event = AuditEvent.objects.filter(subject=f"apprenticeships.GatewayReadiness:{readiness.public_id}",
                                      details__reason="The Diploma date was wrong").get()
    assert [row["party"] for row in event.details["signatures_withdrawn"]] == ["provider", "apprentice", "employer"]
    assert event.details["signatures_withdrawn"][2]["signed_by"] == employer.pk
    gateway_services.record_diploma(actor=coach, apprenticeship=apprenticeship, achieved_on=date(2026, 11, 9))
    sign_all(apprenticeship)
    confirm(apprenticeship)
    assert Apprenticeship.objects.get().gateway_date == date(2026, 11, 20)


def test_only_the_coach_withdraws_and_never_after_gateway():
    apprenticeship = ready_but_unsigned()
    employer = sign_all(apprenticeship)
    for user in (apprenticeship.apprentice, employer, ApprenticeshipFactory().coach):
        with pytest.raises(NotAllowed):
            gateway_services.withdraw_readiness_signatures(actor=Actor(user), apprenticeship=apprenticeship,
                                                           reason="Mistake")
    confirm(apprenticeship)
    with pytest.raises(ValidationError) as refused:
        gateway_services.withdraw_readiness_signatures(actor=Actor(apprenticeship.coach),
                                                       apprenticeship=Apprenticeship.objects.get(pk=apprenticeship.pk),
                                                       reason="Mistake")
    assert refused.value.messages == [gateway_services.CONFIRMED_MESSAGE]
    assert Signature.objects.count() == 3


def test_withdrawing_when_nobody_has_signed_says_so():
    apprenticeship = ready_but_unsigned()
    with pytest.raises(ValidationError) as refused:
        gateway_services.withdraw_readiness_signatures(actor=Actor(apprenticeship.coach),
                                                       apprenticeship=apprenticeship, reason="Mistake")
    assert refused.value.message_dict["reason"] == [gateway_services.NOTHING_SIGNED]
