"""One demo apprentice's programme records (issue 5): Teams coaching and Zoom taught sessions with
their attendees, off-the-job entries (approved, waiting, one returned) naming KSBs, a signed
training plan, and progress reviews signed by all three with SMART actions.

Built from a `Stage` (how far in, how far behind), relative to today, so the demo shows the same
picture whenever it is loaded. Saved in bulk, without audit rows, like the rest of the demo.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from carelead.apprenticeships import rules
from carelead.apprenticeships.models import (
    ActionOwner, Apprenticeship, OffTheJobEntry, OffTheJobRevision, OtjEvent, OtjStatus, Party, ProgressReview,
    ResponsibleParty, ReviewAction, ReviewStatus, SessionAttendee, SessionKind, Signature, SignatureMethod,
    TrainingPlanActivity, TrainingPlanVersion, TrainingSession,
)
from carelead.apprenticeships.rules import ActivityType
from carelead.apprenticeships.selectors import ksbs_of

TEAMS_MINUTES, ZOOM_MINUTES = 60, 150
WAITING_DAYS = 14  # entries of the last fortnight are still waiting for the coach
RETURNED_COMMENT = ("Thanks, Please add what you learned and which of the KSBs it showed, not only what you did: "
                    "then I can approve it.")
LEARNED = {
    ActivityType.SELF_STUDY: "Read the Care Act 2014 statutory guidance on safeguarding adults and wrote a summary "
                             "of the six principles with an example of each from my service.",
    ActivityType.STUDY_DAY: "Study day on leading person-centred practice: how to run a strengths-based review "
                            "with the person and their family.",
    ActivityType.SHADOWING: "Shadowed the registered manager through a CQC-style audit of medicines records.",
    ActivityType.MENTORING: "Mentoring with our deputy manager on supervising a new senior carer.",
    ActivityType.TEAMS_COACHING: "One-to-one coaching on Teams: reflected on a difficult conversation with a "
                                 "relative and planned how to use it as evidence for communication.",
    ActivityType.ZOOM_TAUGHT_SESSION: "Taught session on Zoom about the Mental Capacity Act: the five principles and "
                                      "recording a best-interests decision.",
}
FILLERS = (ActivityType.SELF_STUDY, ActivityType.STUDY_DAY, ActivityType.SELF_STUDY, ActivityType.SHADOWING,
           ActivityType.SELF_STUDY, ActivityType.MENTORING)
PLAN = (  # (activity, title, hours, responsible, share of the programme it runs over)
    (ActivityType.INDUCTION, "Induction and initial assessment", Decimal(6), ResponsibleParty.PROVIDER, 0.04),
    (ActivityType.TEAMS_COACHING, "Monthly one-to-one coaching on Microsoft Teams", Decimal(18),
     ResponsibleParty.PROVIDER, 1.0),
    (ActivityType.ZOOM_TAUGHT_SESSION, "Monthly taught sessions on Zoom", Decimal(45), ResponsibleParty.PROVIDER, 1.0),
    (ActivityType.STUDY_DAY, "Study days", Decimal(42), ResponsibleParty.PROVIDER, 1.0),
    (ActivityType.SELF_STUDY, "Self-study and written assignments", Decimal(240), ResponsibleParty.APPRENTICE, 1.0),
    (ActivityType.MENTORING, "Mentoring with the deputy manager", Decimal(20), ResponsibleParty.EMPLOYER, 1.0),
    (ActivityType.SHADOWING, "Shadowing the registered manager", Decimal(14), ResponsibleParty.EMPLOYER, 0.5),
    (ActivityType.PROGRESS_REVIEW, "Progress reviews", Decimal(9), ResponsibleParty.PROVIDER, 1.0),
)


@dataclass(frozen=True)
class Stage:
    """How the programme has gone: `otj` and `ksbs` scale the off-the-job minutes and the KSBs named
    against the timeline (1.0 on track); `reviews_stop_days_ago` leaves the latest review undone."""

    otj: float = 1.0
    ksbs: float = 1.0
    employer_signed_plan: bool = True
    last_review_awaits_employer: bool = False
    reviews_stop_days_ago: int = 0
    until: date | None = None  # the last day of learning (the day before a break)


@dataclass
class Party3:
    coach: object
    apprentice: object
    employer: object  # the employer contact who signs


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _link(kind: str, seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest()
    if kind == "teams":
        return f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{digest[:32]}%40thread.v2/0"
    return f"https://us06web.zoom.us/j/{int(digest[:10], 16) % 10**11:011d}?pwd={digest[32:54]}"


class ProgrammeBuilder:
    """Builds one apprenticeship's records; the group Zoom sessions are shared across apprentices."""

    def __init__(self, academy, today: date):
        self.academy = academy
        self.today = today
        self.zoom_sessions: dict[tuple[int, int], TrainingSession] = {}

    def zoom_session(self, year: int, month: int, organiser) -> TrainingSession:
        """The academy's taught session of the month on Zoom, on its second Tuesday (one for the cohort)."""
        if (year, month) not in self.zoom_sessions:
            first = date(year, month, 1)
            day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
            self.zoom_sessions[year, month] = TrainingSession.objects.create(
                provider=self.academy, kind=SessionKind.TAUGHT, activity_type=ActivityType.ZOOM_TAUGHT_SESSION,
                title=f"Taught session: leading safe, person-centred care ({day:%B %Y})",
                starts_at=_at(day, 13), ends_at=_at(day, 13) + timedelta(minutes=ZOOM_MINUTES),
                join_url=_link("zoom", f"zoom-{year}-{month}"), organiser=organiser, created_by=organiser,
                description="Bring a recent example from your service to discuss in breakout rooms.")
        return self.zoom_sessions[year, month]

    def build(self, apprenticeship: Apprenticeship, parties: Party3, stage: Stage) -> None:
        ksbs = [ksb for ksb in ksbs_of(apprenticeship.standard_version) if not ksb.retired]
        self.plan(apprenticeship, parties, stage, ksbs)
        self.sessions_and_entries(apprenticeship, parties, stage, ksbs)
        self.reviews(apprenticeship, parties, stage)

    # --- the training plan ---
    def plan(self, a: Apprenticeship, parties: Party3, stage: Stage, ksbs: list) -> None:
        plan = TrainingPlanVersion.objects.create(apprenticeship=a, number=1, created_by=parties.coach,
                                                  change_summary="The first plan, agreed at induction.")
        total_days = (a.practical_period_end - a.start_date).days
        for position, (kind, title, hours, responsible, share) in enumerate(PLAN):
            activity = TrainingPlanActivity.objects.create(
                plan=plan, activity_type=kind, title=title, planned_hours=hours, planned_from=a.start_date,
                planned_to=a.start_date + timedelta(days=max(int(total_days * share), 1)),
                counts_as_otj=rules.counts_as_otj(kind), responsible=responsible, position=position)
            activity.ksbs.set(ksbs[position::len(PLAN)])
        signed = _at(a.start_date + timedelta(days=3), 15)
        Signature.objects.create(plan_version=plan, party=Party.PROVIDER, signed_by=parties.coach, signed_at=signed)
        Signature.objects.create(plan_version=plan, party=Party.APPRENTICE, signed_by=parties.apprentice,
                                 signed_at=signed + timedelta(days=1))
        if stage.employer_signed_plan:
            Signature.objects.create(
                plan_version=plan, party=Party.EMPLOYER, method=SignatureMethod.OFFLINE, signed_by=parties.coach,
                signed_at=signed + timedelta(days=2), signatory_name=parties.employer.full_name,
                obtained_on=(signed + timedelta(days=2)).date(), obtained_how="Signed the printed plan at induction")

    # --- sessions, attendance and off-the-job entries ---
    def sessions_and_entries(self, a: Apprenticeship, parties: Party3, stage: Stage, ksbs: list) -> None:
        """Coaching on Teams every 4 weeks, the cohort's taught session on Zoom each month, and self-study,
        study days, shadowing and mentoring in the other weeks; the next sessions booked (not on a break)."""
        last_day = min(self.today, stage.until or self.today)
        sessions: list[tuple[date, TrainingSession, str, int]] = []
        week = 0
        while (day := a.start_date + timedelta(days=28 * week + 1)) <= a.practical_period_end:
            if day > last_day:
                if stage.until is None:
                    sessions.append((day, self.teams_session(a, parties, day, week), ActivityType.TEAMS_COACHING, 0))
                break
            sessions.append((day, self.teams_session(a, parties, day, week), ActivityType.TEAMS_COACHING,
                             TEAMS_MINUTES))
            week += 1
        month = date(a.start_date.year, a.start_date.month, 1)
        while month <= min(a.practical_period_end, self.today + timedelta(days=40)):
            session = self.zoom_session(month.year, month.month, parties.coach)
            day = session.starts_at.date()
            if a.start_date <= day <= last_day:
                sessions.append((day, session, ActivityType.ZOOM_TAUGHT_SESSION, ZOOM_MINUTES))
            elif day > self.today and stage.until is None and day <= a.practical_period_end:
                sessions.append((day, session, ActivityType.ZOOM_TAUGHT_SESSION, 0))
            month = (month + timedelta(days=32)).replace(day=1)
        SessionAttendee.objects.bulk_create([SessionAttendee(session=session, apprenticeship=a,
                                                             attended_minutes=minutes or None)
                                             for _, session, _, minutes in sessions])
        # Self-study and the rest fill each week up to the stage's share of 6 hours (§4: 20% of 30 h).
        filler = max(30, int(360 * stage.otj - TEAMS_MINUTES / 4 - ZOOM_MINUTES * 12 / 52))
        planned = [(day, session, kind, minutes) for day, session, kind, minutes in sessions if minutes]
        week = 0
        while (day := a.start_date + timedelta(days=7 * week + 3)) <= last_day:
            planned.append((day, None, FILLERS[week % len(FILLERS)], filler))
            week += 1
        planned.sort(key=lambda item: item[0])
        entries = self.entries(a, parties, stage, ksbs, planned)
        OffTheJobEntry.objects.bulk_create([entry for entry, _ in entries])
        through = OffTheJobEntry.ksbs.through
        through.objects.bulk_create([through(offthejobentry_id=entry.pk, ksb_id=ksb.pk)
                                     for entry, named in entries for ksb in named])
        OffTheJobRevision.objects.bulk_create(self.revisions(entries, parties))

    def entries(self, a: Apprenticeship, parties: Party3, stage: Stage, ksbs: list, planned: list) -> list[tuple]:
        """The entries, each naming the next KSBs along the timeline (scaled by the stage's share)."""
        total_days = (a.practical_period_end - a.start_date).days
        rows, covered = [], 0
        for day, session, kind, minutes in planned:
            target = int(stage.ksbs * (day - a.start_date).days / total_days * len(ksbs))
            named = ksbs[covered:max(target, covered)] or ksbs[max(covered - 1, 0):max(covered, 1)]
            covered = max(target, covered)
            age = (self.today - day).days
            status = OtjStatus.SUBMITTED if age <= WAITING_DAYS else OtjStatus.APPROVED
            if 35 <= age < 42 and session is None:
                status = OtjStatus.RETURNED
            decided = status != OtjStatus.SUBMITTED
            rows.append((OffTheJobEntry(
                apprenticeship=a, entry_date=day, minutes=minutes, activity_type=kind, what_learned=LEARNED[kind],
                status=status, session=session, created_by=parties.apprentice,
                decided_by=parties.coach if decided else None,
                decided_at=_at(day + timedelta(days=3), 16) if decided else None,
                decision_comment=RETURNED_COMMENT if status == OtjStatus.RETURNED else ""), named))
        return rows

    def teams_session(self, a: Apprenticeship, parties: Party3, day: date, week: int) -> TrainingSession:
        return TrainingSession.objects.create(
            provider=self.academy, kind=SessionKind.COACHING, activity_type=ActivityType.TEAMS_COACHING,
            title=f"Coaching with {parties.coach.full_name}", starts_at=_at(day),
            ends_at=_at(day) + timedelta(minutes=TEAMS_MINUTES), join_url=_link("teams", f"{a.public_id}-{week}"),
            organiser=parties.coach, created_by=parties.coach)

    @staticmethod
    def revisions(entries, parties: Party3) -> list[OffTheJobRevision]:
        rows = []
        for entry, named in entries:
            codes = [ksb.code for ksb in named]
            created = _at(entry.entry_date, 18)
            rows.append(OffTheJobRevision(entry=entry, number=1, event=OtjEvent.CREATED, changed_by=parties.apprentice,
                                          changed_at=created, snapshot={**entry.snapshot(codes),
                                                                        "status": OtjStatus.SUBMITTED,
                                                                        "decision_comment": ""}))
            if entry.status != OtjStatus.SUBMITTED:
                event = OtjEvent.APPROVED if entry.status == OtjStatus.APPROVED else OtjEvent.RETURNED
                rows.append(OffTheJobRevision(entry=entry, number=2, event=event, changed_by=parties.coach,
                                              changed_at=entry.decided_at, comment=entry.decision_comment,
                                              snapshot=entry.snapshot(codes)))
        return rows

    # --- progress reviews ---
    def reviews(self, a: Apprenticeship, parties: Party3, stage: Stage) -> None:
        previous, number = a.start_date, 1
        last_day = min(self.today - timedelta(days=stage.reviews_stop_days_ago), stage.until or self.today)
        while (held := (due := rules.next_review_due(start=a.start_date, previous_review=previous))
               - timedelta(days=5)) <= last_day:
            nxt = rules.next_review_due(start=a.start_date, previous_review=held)
            latest = nxt - timedelta(days=5) > last_day
            awaiting = latest and stage.last_review_awaits_employer
            review = ProgressReview.objects.create(
                apprenticeship=a, number=number, due_on=due, held_on=held, created_by=parties.coach,
                status=ReviewStatus.AWAITING_EMPLOYER if awaiting else ReviewStatus.SIGNED,
                prefill={"since": previous.isoformat(), "note": "Pre-filled from the records since the last review"},
                progress=f"Review {number}: {a.apprentice.full_name} has kept up coaching and taught sessions and "
                         "added evidence for the communication and safeguarding themes.",
                employer_comments="Growing in confidence leading shift handovers; the team notices it.",
                wellbeing="Managing work and study; agreed protected study time on Wednesday afternoons.",
                safeguarding_notes="Asked about safeguarding and Prevent: no concerns raised.",
                changes_of_circumstance="None.")
            parties_signing = [(Party.PROVIDER, parties.coach), (Party.APPRENTICE, parties.apprentice)]
            if not awaiting:
                parties_signing.append((Party.EMPLOYER, parties.employer))
            Signature.objects.bulk_create([Signature(review=review, party=party, signed_by=user,
                                                     signed_at=_at(held, 15 + n))
                                           for n, (party, user) in enumerate(parties_signing)])
            done = None if latest else nxt - timedelta(days=5)
            ReviewAction.objects.bulk_create([
                ReviewAction(review=review, position=0, owner=ActionOwner.APPRENTICE, due_on=held + timedelta(days=42),
                             description="Write a reflective account of leading a team handover, mapped to the KSBs",
                             measure="Uploaded as an off-the-job entry and discussed at coaching", completed_on=done),
                ReviewAction(review=review, position=1, owner=ActionOwner.EMPLOYER, due_on=held + timedelta(days=14),
                             description="Arrange two shadowing sessions with the registered manager",
                             measure="Dates in the rota and logged as off-the-job", completed_on=done),
            ])
            previous, number = held, number + 1
