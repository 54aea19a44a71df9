"""Reads of the gateway (issue 6 "Gateway", reference/apprenticeship-standard.md §2.1).

The apprenticeship is fetched first through `selectors.apprenticeship_for` (404 out of reach); this
module turns what is recorded about it into `gateway_rules.GatewayFacts` and the checklist, in a
fixed number of queries: the readiness record and its signatures, the portfolio's counts, the
contracted hours and the approved off-the-job total.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from carelead.apprenticeships import gateway_rules, otj_selectors, parties, selectors
from carelead.apprenticeships.gateway_rules import (
    ACHIEVED, HELD, NOT_REQUIRED, NOT_YET, GatewayChecklist, GatewayFacts, GatewayItem, gateway_checklist,
)
from carelead.apprenticeships.models import (
    Apprenticeship, EnglishMaths, EvidenceStatus, GatewayReadiness, Party, PortfolioEvidence, Signature,
)

PARTY_NAMES = {Party.PROVIDER: "Skills coach (training provider)", Party.APPRENTICE: "Apprentice",
               Party.EMPLOYER: "Employer"}
SUBJECTS = ("english", "maths")


def readiness_of(apprenticeship: Apprenticeship) -> GatewayReadiness | None:
    """The apprenticeship's gateway record with who recorded what and its signatures (two queries), or None."""
    readiness = (GatewayReadiness.objects.filter(apprenticeship=apprenticeship)
                 .select_related("portfolio_declared_by", "observation_scope_recorded_by", "confirmed_by")
                 .prefetch_related(Prefetch("signatures", queryset=Signature.objects.select_related("signed_by")
                                            .order_by("signed_at", "pk")))
                 .first())
    if readiness is not None:
        readiness.apprenticeship = apprenticeship
    return readiness


def portfolio_counts(apprenticeship: Apprenticeship) -> dict[str, int]:
    """How many portfolio items are accepted and how many wait for the coach (one query)."""
    return PortfolioEvidence.objects.filter(apprenticeship=apprenticeship).aggregate(
        accepted=Count("pk", filter=Q(status=EvidenceStatus.ACCEPTED)),
        waiting=Count("pk", filter=Q(status=EvidenceStatus.SUBMITTED)))


def otj_progress(apprenticeship: Apprenticeship, today: date) -> dict:
    """Approved off-the-job hours (to 0.1) against the §4 minimum, or why the minimum is not known (two queries)."""
    current = selectors.current_weekly_hours(selectors.weekly_hours_history(apprenticeship), today)
    minimum = selectors.minimum_otj(apprenticeship, current)
    totals = otj_selectors.otj_totals([apprenticeship.pk]).get(apprenticeship.pk, otj_selectors.EMPTY_TOTALS)
    return {"actual": Decimal(otj_selectors.minutes_as_hours(totals["approved_minutes"])),
            "minimum": minimum["hours"], "minimum_reason": minimum["reason"]}


def signatures_by_party(readiness: GatewayReadiness | None) -> dict[str, Signature]:
    return {signature.party: signature for signature in readiness.signatures.all()} if readiness else {}


def waiting_for(signed: dict) -> str | None:
    """The party whose signature is awaited next (provider, apprentice, employer), None when all three signed."""
    return next((party for party in parties.SIGNING_ORDER if party not in signed), None)


def _subject_status(apprenticeship: Apprenticeship, readiness: GatewayReadiness | None, subject: str) -> str:
    """English or maths as enrolled: held, not required (19+ with the decision), else achieved once the
    coach has recorded the date and the certificate, else not yet."""
    if apprenticeship.english_maths == EnglishMaths.HELD:
        return HELD
    if apprenticeship.english_maths == EnglishMaths.NOT_REQUIRED_19_PLUS:
        return NOT_REQUIRED
    if readiness and getattr(readiness, f"{subject}_achieved_on") and getattr(readiness, f"{subject}_certificate"):
        return ACHIEVED
    return NOT_YET


def facts_of(apprenticeship: Apprenticeship, readiness: GatewayReadiness | None, *, otj: dict,
             portfolio: dict) -> GatewayFacts:
    """What is recorded, as the plain facts gateway_rules decides on (no query)."""
    signed = signatures_by_party(readiness)
    decision = bool(apprenticeship.english_maths_decision.strip())
    return GatewayFacts(
        start=apprenticeship.start_date,
        date_of_birth=readiness.apprentice_date_of_birth if readiness else None,
        diploma_achieved=bool(readiness and readiness.diploma_achieved_on),
        diploma_certificate=bool(readiness and readiness.diploma_certificate),
        english=_subject_status(apprenticeship, readiness, "english"), english_decision_recorded=decision,
        maths=_subject_status(apprenticeship, readiness, "maths"), maths_decision_recorded=decision,
        otj_actual_hours=otj["actual"], otj_minimum_hours=otj["minimum"],
        portfolio_submitted=bool(readiness and readiness.portfolio_declared_at),
        portfolio_accepted=portfolio["accepted"], portfolio_waiting=portfolio["waiting"],
        observation_scope_agreed=bool(readiness and readiness.observation_scope.strip()
                                      and readiness.observation_scope_agreed_on),
        epao_chosen=bool(apprenticeship.epao_name.strip()),
        readiness_signed_by_employer=Party.EMPLOYER in signed,
        readiness_signed_by_provider=Party.PROVIDER in signed,
        readiness_signed_by_apprentice=Party.APPRENTICE in signed,
    )


@dataclass(frozen=True)
class GatewayStatus:
    """One apprenticeship's gateway: the record (None until something is recorded), the checklist, and
    the live figures it was decided on."""

    apprenticeship: Apprenticeship
    readiness: GatewayReadiness | None
    checklist: GatewayChecklist
    otj: dict
    portfolio: dict
    signed: dict
    waiting: str | None

    @property
    def confirmed(self) -> bool:
        """The gateway date is set: the checklist and off-the-job logging after it are locked."""
        return self.apprenticeship.gateway_date is not None

    @property
    def items_before_signing(self) -> list:
        """Every item but the readiness signatures: all must be met before the provider signs."""
        return [item for item in self.checklist.items if item.key != gateway_rules.READINESS]

    def signature_rows(self) -> list[dict]:
        return parties.signature_rows(self.signed, waiting=self.waiting, names=PARTY_NAMES)


def checklist_snapshot(status: GatewayStatus) -> dict:
    """The checklist and the figures it was decided on, as JSON, kept when the gateway date is confirmed."""
    otj = status.otj
    return {"items": [{"key": item.key, "label": item.label, "met": item.met, "reason": item.reason}
                      for item in status.checklist.items],
            "otj": {"actual": str(otj["actual"]), "minimum": None if otj["minimum"] is None else str(otj["minimum"]),
                    "minimum_reason": otj["minimum_reason"]},
            "portfolio": dict(status.portfolio)}


def _from_snapshot(snapshot: dict) -> tuple[GatewayChecklist, dict, dict]:
    otj = snapshot["otj"]
    return (GatewayChecklist(items=tuple(GatewayItem(**item) for item in snapshot["items"])),
            {"actual": Decimal(otj["actual"]), "minimum": None if otj["minimum"] is None else Decimal(otj["minimum"]),
             "minimum_reason": otj["minimum_reason"]},
            snapshot["portfolio"])


def gateway_status(apprenticeship: Apprenticeship, today: date) -> GatewayStatus:
    """The checklist of one apprenticeship, each item met or not with why (six queries, whatever the size of the
    portfolio or the off-the-job record). Once the gateway date is confirmed, the checklist as it stood then
    (two queries): later changes to the portfolio or the hours do not rewrite what gateway was decided on."""
    readiness = readiness_of(apprenticeship)
    signed = signatures_by_party(readiness)
    if apprenticeship.gateway_date is not None and readiness is not None and readiness.confirmed_checklist:
        checklist, otj, portfolio = _from_snapshot(readiness.confirmed_checklist)
        return GatewayStatus(apprenticeship=apprenticeship, readiness=readiness, checklist=checklist, otj=otj,
                             portfolio=portfolio, signed=signed, waiting=waiting_for(signed))
    otj = otj_progress(apprenticeship, today)
    portfolio = portfolio_counts(apprenticeship)
    checklist = gateway_checklist(facts_of(apprenticeship, readiness, otj=otj, portfolio=portfolio))
    return GatewayStatus(apprenticeship=apprenticeship, readiness=readiness, checklist=checklist, otj=otj,
                         portfolio=portfolio, signed=signed, waiting=waiting_for(signed))
