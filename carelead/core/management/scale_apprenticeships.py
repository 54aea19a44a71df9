"""Scale data for the apprenticeship programme (issues 5 and 6): a training provider with skills
coaches, apprenticeships of the scale group's care staff, off-the-job entries by the hundred thousand
with KSB links, coaching sessions with attendees, signed progress reviews, and portfolio evidence
(about 100 items each, mapped to KSBs and Diploma units, most of it assessed).

Written like the rest of seed_scale: bulk_create in batches of 2,000, one transaction each, a tqdm
bar per stage, no audit rows. Each coach has the same number of apprentices at every scale
(apprenticeships / coaches, 20 by default), so the caseload page can be compared like for like:
a coach's caseload stays the same size while the data around it grows.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from tqdm import tqdm

from carelead.accounts.models import User
from carelead.apprenticeships import rules
from carelead.apprenticeships.importer import load_snapshots
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, EnglishMaths, EvidenceEvent, EvidenceKind, EvidenceMapping, EvidenceStatus,
    MappingStage, OffTheJobEntry, OffTheJobRevision, OtjStatus, Party,
    PortfolioEvidence, ProgrammeChange, ProgressReview, Qualification, ReviewStatus, SessionAttendee, SessionKind,
    Signature, StandardVersion, TrainingPlanVersion, TrainingSession, WeeklyHours,
)
from carelead.apprenticeships.rules import ActivityType
from carelead.core.management.scale_plan import scale_domain
from carelead.core.management.synthetic import uuid_from
from carelead.core.permissions import Role
from carelead.organisations.models import Membership, Organisation, OrganisationKind

BATCH = 2000
APPRENTICES_PER_PERSON = 5  # default: one apprenticeship per 5 people supported (2,000 at 10,000 people)
APPRENTICES_PER_COACH = 20
ENTRIES_PER_APPRENTICESHIP = 200
KSB_LINK_SHARE = 0.4  # entries that name 1 to 3 KSBs
STATUS_WEIGHTS = ((ApprenticeshipStatus.ACTIVE, 90), (ApprenticeshipStatus.BREAK_IN_LEARNING, 5),
                  (ApprenticeshipStatus.COMPLETED, 3), (ApprenticeshipStatus.WITHDRAWN, 2))
ENTRY_STATUS_WEIGHTS = ((OtjStatus.APPROVED, 85), (OtjStatus.SUBMITTED, 10), (OtjStatus.RETURNED, 5))
ACTIVITIES = (ActivityType.SELF_STUDY, ActivityType.TEAMS_COACHING, ActivityType.ZOOM_TAUGHT_SESSION,
              ActivityType.STUDY_DAY, ActivityType.SHADOWING, ActivityType.MENTORING, ActivityType.TRAINING_COURSE)
LEARNED = "Worked through the module on leading safeguarding practice and wrote up what I would do differently."
PROGRAMME_DAYS = 548  # 18 months
EVIDENCE_PER_APPRENTICESHIP = 100
EVIDENCE_STATUS_WEIGHTS = ((EvidenceStatus.ACCEPTED, 60), (EvidenceStatus.SUBMITTED, 15),
                           (EvidenceStatus.NEEDS_MORE_WORK, 10), (EvidenceStatus.DRAFT, 15))
EVIDENCE_KIND_WEIGHTS = ((EvidenceKind.REFLECTIVE_ACCOUNT, 35), (EvidenceKind.FILE, 25),
                         (EvidenceKind.PRACTICE_RECORD, 20), (EvidenceKind.OBSERVATION, 10),
                         (EvidenceKind.WITNESS_TESTIMONY, 5), (EvidenceKind.PROFESSIONAL_DISCUSSION, 5))
REFLECTION = "I led the morning handover and reflected on how the team shared risks; next time I will check understanding."
PRACTICE_SUMMARY = ("Holistic needs assessment in a care home setting, covering 3 areas: Mobility, Nutrition and "
                    "hydration, Skin integrity. Standard tools used: MUST, Waterlow.")
SESSIONS_PER_COACH_PAST, SESSIONS_PER_COACH_FUTURE = 4, 2


def academy_name(prefix: str) -> str:
    return f"{prefix} Academy"


def bench_coach_email(prefix: str) -> str:
    """The first skills coach: their caseload is APPRENTICES_PER_COACH at every scale."""
    return f"coach@{scale_domain(prefix)}"


@dataclass(frozen=True)
class ApprenticeshipScale:
    apprenticeships: int
    coaches: int
    otj_entries: int
    prefix: str
    seed: int = 1
    evidence: int = 0

    @classmethod
    def for_people(cls, people: int, prefix: str, seed: int, *, apprenticeships=None, coaches=None, otj_entries=None,
                   evidence=None):
        """The counts, defaulting in proportion to the people: people / 5 apprenticeships, one coach
        per 20 of them, 200 OTJ entries and 100 items of evidence each (2,000, 100, 400,000 and 200,000
        at 10,000 people)."""
        count = people // APPRENTICES_PER_PERSON if apprenticeships is None else apprenticeships
        return cls(apprenticeships=count,
                   coaches=max(1, -(-count // APPRENTICES_PER_COACH)) if coaches is None else coaches,
                   otj_entries=count * ENTRIES_PER_APPRENTICESHIP if otj_entries is None else otj_entries,
                   evidence=count * EVIDENCE_PER_APPRENTICESHIP if evidence is None else evidence,
                   prefix=prefix, seed=seed)


def _batched(rows, size=BATCH):
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class ApprenticeshipScaleBuilder:
    def __init__(self, options: ApprenticeshipScale, *, progress: bool = True):
        self.options = options
        self.progress = progress
        self.rng = random.Random(f"apprenticeships:{options.seed}")
        self.id_rng = random.Random(f"apprenticeships:{options.prefix}:{options.seed}")
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.counts: dict[str, int] = {}

    def run(self) -> dict[str, float]:
        timings = {}
        if not self.options.apprenticeships:
            return timings
        for stage in (self.provider, self.apprenticeships, self.sessions, self.otj_entries, self.reviews,
                      self.portfolio):
            started = time.perf_counter()
            stage()
            timings[f"apprenticeship_{stage.__name__}"] = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return timings

    def insert(self, model, rows, total: int, label: str) -> list:
        kept = []
        with tqdm(total=total, desc=f"{label:<22}", unit=" rows", disable=not self.progress or None, leave=True,
                  dynamic_ncols=True) as bar:
            for batch in _batched(rows):
                with transaction.atomic():
                    model.objects.bulk_create(batch, batch_size=BATCH)
                kept.extend(batch)
                bar.update(len(batch))
        self.counts[label] = self.counts.get(label, 0) + len(kept)
        return kept

    # --- stages ---
    def provider(self) -> None:
        load_snapshots()
        self.version = StandardVersion.objects.get(standard__reference="ST0007", version="1.1")
        self.ksb_ids = list(self.version.ksbs.filter(retired=False).order_by("pk").values_list("pk", flat=True))
        self.qualification = Qualification.objects.filter(specification_number="4222-34").first()
        self.unit_ids = list(self.qualification.units.filter(retired=False, loaded=True).order_by("position").values_list(
            "pk", flat=True)) if self.qualification else []
        self.academy = Organisation.objects.create(name=academy_name(self.options.prefix),
                                                   kind=OrganisationKind.TRAINING_PROVIDER,
                                                   public_id=uuid_from(self.id_rng))
        domain, password = scale_domain(self.options.prefix), make_password("scale-password-2026")
        emails = [bench_coach_email(self.options.prefix)] + [
            f"coach{n:03d}@{domain}" for n in range(1, self.options.coaches)]
        coaches = self.insert(User, (User(email=email, full_name=f"Coach {n + 1:03d}", password=password,
                                          date_joined=self.now) for n, email in enumerate(emails)),
                              len(emails), "Skills coaches")
        self.coach_ids = [coach.pk for coach in coaches]
        # The employer's signature on the reviews: the bench's registered manager (every location).
        self.manager_id = User.objects.filter(email=f"manager@{domain}").values_list("pk", flat=True).first()
        self.insert(TOTPDevice, (TOTPDevice(user_id=pk, name="Authenticator app", confirmed=True)
                                 for pk in self.coach_ids), len(emails), "Coach authenticators")
        self.insert(Membership, (Membership(user_id=pk, organisation=self.academy, role=Role.SKILLS_COACH,
                                            all_locations=True, job_title="Skills coach",
                                            public_id=uuid_from(self.id_rng)) for pk in self.coach_ids),
                    len(emails), "Coach memberships")

    def apprenticeships(self) -> None:
        care_roles = [Role.CARE_WORKER, Role.SENIOR_CARER, Role.LEAD_PRACTITIONER]
        staff = Membership.objects.filter(
            user__email__endswith=f"@{scale_domain(self.options.prefix)}", user__email__startswith="staff",
            role__in=care_roles, ended_at__isnull=True).order_by("pk").values_list("user_id", "organisation_id")
        staff = list(staff[:self.options.apprenticeships])
        rng, rows = self.rng, []
        for index, (user_id, employer_id) in enumerate(staff):
            start = self.today - timedelta(days=rng.randint(0, 900))
            status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
            end = start + timedelta(days=PROGRAMME_DAYS)
            if status == ApprenticeshipStatus.ACTIVE and end < self.today:
                end = self.today + timedelta(days=rng.randint(10, 120))  # late, still on programme
            coach = self.coach_ids[index % len(self.coach_ids)]
            rows.append(Apprenticeship(
                apprentice_id=user_id, employer_id=employer_id, provider=self.academy, coach_id=coach,
                standard_version=self.version, qualification=self.qualification, start_date=start, practical_period_end=end, status=status,
                english_maths=EnglishMaths.HELD, created_by_id=coach, public_id=uuid_from(self.id_rng),
                epao_name="Highfield Assessment" if rng.random() < 0.5 else ""))
        self.rows = self.insert(Apprenticeship, rows, len(rows), "Apprenticeships")
        hours = (WeeklyHours(apprenticeship_id=a.pk, hours=rng.choice((30, 37.5, 24, 40)), from_date=a.start_date)
                 for a in self.rows)
        self.insert(WeeklyHours, hours, len(self.rows), "Weekly hours")

    def sessions(self) -> None:
        """Each coach's coaching sessions on Teams, past and booked, with all their apprentices invited."""
        by_coach: dict[int, list[int]] = {}
        for a in self.rows:
            by_coach.setdefault(a.coach_id, []).append(a.pk)
        plans = []
        for coach_id in self.coach_ids:
            for n in range(-SESSIONS_PER_COACH_PAST, SESSIONS_PER_COACH_FUTURE):
                starts = self.now + timedelta(days=14 * n + 7 + self.rng.randint(0, 3), hours=self.rng.randint(0, 6))
                plans.append(TrainingSession(
                    provider=self.academy, kind=SessionKind.COACHING, activity_type=ActivityType.TEAMS_COACHING,
                    title="Group coaching on Teams", starts_at=starts, ends_at=starts + timedelta(hours=1),
                    join_url=("https://teams.microsoft.com/l/meetup-join/19%3ameeting_"
                              f"{self.id_rng.getrandbits(64):016x}%40thread.v2/0"), organiser_id=coach_id, created_by_id=coach_id,
                    public_id=uuid_from(self.id_rng)))
        sessions = self.insert(TrainingSession, plans, len(plans), "Sessions")
        attendees = (SessionAttendee(session_id=session.pk, apprenticeship_id=pk,
                                     attended_minutes=55 if session.starts_at < self.now else None)
                     for session in sessions for pk in by_coach.get(session.organiser_id, []))
        self.insert(SessionAttendee, attendees, sum(len(by_coach.get(s.organiser_id, [])) for s in sessions),
                    "Session attendees")

    def entries_for(self, a: Apprenticeship, count: int):
        rng = self.rng
        last = min(self.today, a.practical_period_end)
        span = max((last - a.start_date).days, 0)
        for _ in range(count):
            status = rng.choices([s for s, _ in ENTRY_STATUS_WEIGHTS], [w for _, w in ENTRY_STATUS_WEIGHTS])[0]
            yield OffTheJobEntry(
                apprenticeship_id=a.pk, entry_date=a.start_date + timedelta(days=rng.randint(0, span)),
                minutes=rng.choice((30, 45, 60, 90, 120, 150, 180, 240, 360, 420)),
                activity_type=rng.choice(ACTIVITIES), what_learned=LEARNED, status=status,
                created_by_id=a.apprentice_id, public_id=uuid_from(self.id_rng),
                decided_by_id=a.coach_id if status != OtjStatus.SUBMITTED else None,
                decided_at=self.now if status != OtjStatus.SUBMITTED else None)

    def otj_entries(self) -> None:
        """About otj_entries / apprenticeships entries each; KSB links for KSB_LINK_SHARE of them."""
        if not self.rows:  # no apprenticeships were made (no care staff to enrol): nothing to log
            self.counts["Off-the-job entries"] = self.counts["KSB links"] = 0
            return
        per, extra = divmod(self.options.otj_entries, len(self.rows))
        entries = (entry for index, a in enumerate(self.rows)
                   for entry in self.entries_for(a, per + (1 if index < extra else 0)))
        through, rng, links, made = OffTheJobEntry.ksbs.through, self.rng, 0, 0
        with tqdm(total=self.options.otj_entries, desc=f"{'Off-the-job entries':<22}", unit=" rows",
                  disable=not self.progress or None, leave=True, dynamic_ncols=True) as bar:
            for batch in _batched(entries):
                rows = []
                with transaction.atomic():
                    OffTheJobEntry.objects.bulk_create(batch, batch_size=BATCH)
                    for entry in batch:
                        if rng.random() < KSB_LINK_SHARE:
                            rows += [through(offthejobentry_id=entry.pk, ksb_id=ksb)
                                     for ksb in rng.sample(self.ksb_ids, rng.randint(1, 3))]
                    through.objects.bulk_create(rows, batch_size=BATCH)
                links += len(rows)
                made += len(batch)
                bar.update(len(batch))
        self.counts["Off-the-job entries"] = made
        self.counts["KSB links"] = links

    def reviews(self) -> None:
        """Signed progress reviews by the rule since each start (coach, apprentice, employer signed);
        about one in twenty latest reviews waits for the employer, one in ten is overdue (not held)."""
        reviews, signers = [], []
        for a in self.rows:
            previous, number = a.start_date, 1
            skip_last = self.rng.random() < 0.1
            while (due := rules.next_review_due(start=a.start_date, previous_review=previous)) <= min(
                    self.today, a.practical_period_end):
                held = due - timedelta(days=self.rng.randint(0, 10))
                later = rules.next_review_due(start=a.start_date, previous_review=held) > self.today
                if later and skip_last:
                    break
                awaiting = later and self.rng.random() < 0.05
                reviews.append(ProgressReview(
                    apprenticeship_id=a.pk, number=number, due_on=due, held_on=held, created_by_id=a.coach_id,
                    status=ReviewStatus.AWAITING_EMPLOYER if awaiting else ReviewStatus.SIGNED,
                    progress="On track with coaching and taught sessions.", public_id=uuid_from(self.id_rng)))
                signers.append((a, held, awaiting))
                previous, number = held, number + 1
        self.insert(ProgressReview, reviews, len(reviews), "Progress reviews")
        signatures = (Signature(review_id=review.pk, party=party, signed_by_id=user_id,
                                signed_at=timezone.make_aware(datetime.combine(held, datetime.min.time())))
                      for review, (a, held, awaiting) in zip(reviews, signers)
                      for party, user_id in ((Party.PROVIDER, a.coach_id), (Party.APPRENTICE, a.apprentice_id),
                                             (Party.EMPLOYER, self.manager_id or a.coach_id))
                      if not (awaiting and party == Party.EMPLOYER))
        self.insert(Signature, signatures, sum(2 if awaiting else 3 for _, _, awaiting in signers), "Review signatures")


    def practice_snapshot(self, on) -> dict:
        """What attaching a needs assessment from the evidence registry keeps (practice_evidence.py)."""
        return {"source": "assessments.needs_assessment", "source_label": "Needs assessments",
                "title": "Led a holistic needs assessment", "summary": PRACTICE_SUMMARY,
                "themes": ["Tasks and responsibilities", "Health and wellbeing"], "occurred_on": on.isoformat(),
                "taken_at": self.now.isoformat()}

    def portfolio(self) -> None:
        """About `evidence` / apprenticeships items each, dated within the programme so far, each mapped
        to 1 to 3 KSBs and, for half of them, one Diploma unit; most assessed by the coach (no events:
        like the OTJ entries, scale rows skip their history)."""
        if not self.rows or not self.options.evidence:
            self.counts["Portfolio evidence"] = self.counts["Evidence mappings"] = 0
            return
        rng, statuses, kinds = self.rng, [s for s, _ in EVIDENCE_STATUS_WEIGHTS], [k for k, _ in EVIDENCE_KIND_WEIGHTS]
        status_weights, kind_weights = [w for _, w in EVIDENCE_STATUS_WEIGHTS], [w for _, w in EVIDENCE_KIND_WEIGHTS]
        per, extra = divmod(self.options.evidence, len(self.rows))

        def items():
            for index, a in enumerate(self.rows):
                span = max((min(self.today, a.practical_period_end) - a.start_date).days, 0)
                for n in range(per + (1 if index < extra else 0)):
                    status, kind = rng.choices(statuses, status_weights)[0], rng.choices(kinds, kind_weights)[0]
                    assessed = status in (EvidenceStatus.ACCEPTED, EvidenceStatus.NEEDS_MORE_WORK)
                    practice = kind == EvidenceKind.PRACTICE_RECORD
                    on = a.start_date + timedelta(days=rng.randint(0, span))
                    yield PortfolioEvidence(
                        apprenticeship_id=a.pk, kind=kind, title=f"Evidence {n + 1}: leading practice",
                        occurred_on=on, body="" if practice else REFLECTION,
                        source_key="assessments.needs_assessment" if practice else "",
                        source_record_id=str(uuid_from(self.id_rng)) if practice else "",
                        source_snapshot=self.practice_snapshot(on) if practice else {},
                        status=status, submitted_at=self.now if status != EvidenceStatus.DRAFT else None,
                        assessed_by_id=a.coach_id if assessed else None, assessed_at=self.now if assessed else None,
                        feedback="Add how you checked the team understood." if status == EvidenceStatus.NEEDS_MORE_WORK else "",
                        locked_at=self.now if status == EvidenceStatus.ACCEPTED else None,
                        # A testimony reaches the coach only once its witness has confirmed it.
                        witness_name="A colleague" if kind == EvidenceKind.WITNESS_TESTIMONY else "",
                        witness_role="Senior carer" if kind == EvidenceKind.WITNESS_TESTIMONY else "",
                        witness_confirmed_at=self.now if kind == EvidenceKind.WITNESS_TESTIMONY
                        and status != EvidenceStatus.DRAFT else None,
                        created_by_id=a.coach_id if kind in (EvidenceKind.OBSERVATION, EvidenceKind.PROFESSIONAL_DISCUSSION)
                        else a.apprentice_id, public_id=uuid_from(self.id_rng))

        made, mapped = 0, 0
        with tqdm(total=self.options.evidence, desc=f"{'Portfolio evidence':<22}", unit=" rows",
                  disable=not self.progress or None, leave=True, dynamic_ncols=True) as bar:
            for batch in _batched(items()):
                mappings = []
                with transaction.atomic():
                    PortfolioEvidence.objects.bulk_create(batch, batch_size=BATCH)
                    for item in batch:
                        mappings += [EvidenceMapping(evidence_id=item.pk, ksb_id=ksb, added_by_id=item.created_by_id,
                                                     stage=MappingStage.CLAIMED, added_at=self.now)
                                     for ksb in rng.sample(self.ksb_ids, min(len(self.ksb_ids), rng.randint(1, 3)))]
                        if self.unit_ids and rng.random() < 0.5:
                            mappings.append(EvidenceMapping(evidence_id=item.pk, unit_id=rng.choice(self.unit_ids),
                                                            added_by_id=item.created_by_id, stage=MappingStage.CLAIMED,
                                                            added_at=self.now))
                    EvidenceMapping.objects.bulk_create(mappings, batch_size=BATCH)
                made, mapped = made + len(batch), mapped + len(mappings)
                bar.update(len(batch))
        self.counts["Portfolio evidence"] = made
        self.counts["Evidence mappings"] = mapped


def delete_scale_apprenticeships(prefix: str) -> dict[str, int]:
    """Remove the programme records seed_scale made for this prefix (before its staff are removed:
    the apprenticeships protect their apprentices and coaches). Large tables are deleted by SQL
    without loading rows (Django's _raw_delete), children first."""
    domain = scale_domain(prefix)
    academy = Organisation.objects.filter(name=academy_name(prefix))
    mine = Apprenticeship.objects.filter(Q(provider__in=academy) | Q(apprentice__email__endswith=f"@{domain}"))
    entries = OffTheJobEntry.objects.filter(apprenticeship__in=mine)
    reviews = ProgressReview.objects.filter(apprenticeship__in=mine)
    plans = TrainingPlanVersion.objects.filter(apprenticeship__in=mine)
    sessions = TrainingSession.objects.filter(provider__in=academy)

    def raw(queryset) -> int:
        return queryset._raw_delete(queryset.db)

    evidence = PortfolioEvidence.objects.filter(apprenticeship__in=mine)
    removed = {"evidence mappings": raw(EvidenceMapping.objects.filter(evidence__in=evidence))}
    raw(EvidenceEvent.objects.filter(evidence__in=evidence))
    removed["portfolio evidence"] = raw(evidence)
    removed["KSB links"] = raw(OffTheJobEntry.ksbs.through.objects.filter(offthejobentry__in=entries))
    raw(OffTheJobRevision.objects.filter(entry__in=entries))
    removed["off-the-job entries"] = raw(entries)
    raw(SessionAttendee.objects.filter(Q(apprenticeship__in=mine) | Q(session__in=sessions)))
    removed["sessions"] = sessions.delete()[0]
    raw(Signature.objects.filter(Q(review__in=reviews) | Q(plan_version__in=plans)))
    removed["progress reviews"] = reviews.delete()[0]
    plans.delete()
    ProgrammeChange.objects.filter(apprenticeship__in=mine).delete()
    removed["apprenticeships"] = mine.delete()[0]
    Membership.objects.filter(organisation__in=academy).delete()
    academy.delete()
    return removed

