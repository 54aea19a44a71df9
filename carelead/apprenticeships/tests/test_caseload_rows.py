"""caseload.caseload_rows against known data: what is aggregated (approved minutes, distinct KSBs,
current hours, last signed review, next session, reviews to sign) and the RAG it gives."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.apprenticeships import rules, selectors
from carelead.apprenticeships.caseload import caseload_rows, rag_counts, sort_rows
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, Ksb, OtjStatus, ReviewStatus, SessionAttendee, StandardVersion, WeeklyHours,
)
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, ProgressReviewFactory, TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

# A two-year programme under the 6-hours-a-week rule (starts 1 Aug 2022 - 31 Jul 2025), half gone.
START, END = date(2023, 8, 1), date(2025, 8, 1)
TODAY = START + (END - START) / 2
NOW = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)


def version() -> StandardVersion:
    return StandardVersion.objects.get(standard__reference="ST0007", version="1.1")


def ksbs(n: int) -> list[Ksb]:
    return list(version().ksbs.filter(retired=False).order_by("pk")[:n])


def total_ksbs() -> int:
    return version().ksbs.filter(retired=False).count()


def required(hours=Decimal(30)) -> Decimal:
    return rules.minimum_otj_hours(start=START, practical_period_end=END, weekly_hours=hours)


def apprenticeship(**kwargs) -> Apprenticeship:
    kwargs.setdefault("start_date", START)
    kwargs.setdefault("practical_period_end", END)
    return ApprenticeshipFactory(standard_version=version(), hours=30, **kwargs)


def approved(a, minutes: int, ksb_list=(), status=OtjStatus.APPROVED, day=None):
    entry = OffTheJobEntryFactory(apprenticeship=a, minutes=minutes, status=status,
                                  entry_date=day or a.start_date + timedelta(days=10))
    entry.ksbs.set(ksb_list)
    return entry


def log_share(a, otj_share: float, ksb_share: float) -> None:
    """Approved entries adding up to `otj_share` of the minimum, naming `ksb_share` of the KSBs."""
    minutes = int(float(required()) * 60 * otj_share) + 1
    chosen = ksbs(round(total_ksbs() * ksb_share))
    count = max(4, -(-minutes // 1200))  # an entry is at most a day (1,440 minutes)
    per_entry = minutes // count
    for n in range(count):
        approved(a, per_entry + (minutes - count * per_entry if n == count - 1 else 0), chosen[n::count],
                 day=a.start_date + timedelta(days=10 + n))


def row_of(a):
    [row] = caseload_rows(Apprenticeship.objects.filter(pk=a.pk).select_related("apprentice", "employer",
                                                                              "standard_version"), TODAY, NOW)
    return row


@pytest.mark.parametrize(("otj_share", "ksb_share", "rag"), [
    (0.45, 0.45, rules.GREEN),  # both trail 50% time by 5 points
    (0.35, 0.60, rules.AMBER),  # OTJ trails by 15 points
    (0.60, 0.25, rules.RED),  # KSBs trail by 25 points
])
def test_the_rag_follows_the_larger_gap_between_time_gone_and_otj_or_ksbs(reference_data, otj_share, ksb_share, rag):
    a = apprenticeship()
    log_share(a, otj_share, ksb_share)
    row = row_of(a)
    assert round(float(row.time_percent)) == 50
    assert abs(float(row.otj_percent) - otj_share * 100) < 0.5
    assert abs(float(row.ksb_percent) - ksb_share * 100) < 100 / total_ksbs()
    assert row.required.hours == required() and row.rag == rag
    assert row.rag_label == rules.RAG_LABELS[rag] and row.rag_colour == rules.RAG_COLOURS[rag]


def test_in_the_first_quarter_everyone_is_on_track(reference_data):
    a = apprenticeship()
    row = caseload_rows(Apprenticeship.objects.filter(pk=a.pk), START + timedelta(days=150), NOW)[0]
    assert row.otj_hours == 0 and row.ksbs_evidenced == 0 and row.rag == rules.GREEN


def test_only_approved_entries_and_distinct_current_ksbs_count(reference_data):
    a = apprenticeship()
    first, second, third = ksbs(3)
    approved(a, 60, [first, second])
    approved(a, 30, [second])
    approved(a, 600, [third], status=OtjStatus.SUBMITTED)
    approved(a, 600, [third], status=OtjStatus.RETURNED)
    approved(ApprenticeshipFactory(), 600, [third])  # someone else's
    row = row_of(a)
    assert row.otj_hours == Decimal("1.5") and row.ksbs_evidenced == 2 and row.ksbs_total == total_ksbs()
    Ksb.objects.filter(pk=first.pk).update(retired=True)
    row = row_of(a)
    assert row.ksbs_evidenced == 1 and row.ksbs_total == total_ksbs()


def test_minimum_not_known_after_aug_2025_shows_not_known_and_rags_on_ksbs_only(reference_data):
    # v1.1 has no published minimum
    a = ApprenticeshipFactory(start_date=date(2025, 9, 1), practical_period_end=date(2027, 3, 1))
    chosen = ksbs(round(total_ksbs() * 0.2))
    for n in range(5):
        approved(a, 1200, chosen[n::5], day=a.start_date + timedelta(days=n))
    today = date(2026, 6, 1)  # about 55% of the time gone
    [row] = caseload_rows(Apprenticeship.objects.filter(pk=a.pk), today, NOW)
    assert row.required.hours is None
    # The OTJ page's own reason (selectors.minimum_otj), naming the version
    assert row.required.reason == selectors.MINIMUM_UNKNOWN.format(version=a.standard_version)
    assert row.otj_percent is None and row.otj_hours == 100
    assert row.rag == rules.RED  # KSBs at 20% trail 55% by more than 20 points, whatever the hours
    StandardVersion.objects.filter(pk=a.standard_version_id).update(minimum_otj_hours=Decimal(400))
    [row] = caseload_rows(Apprenticeship.objects.filter(pk=a.pk), today, NOW)
    assert row.required.hours == 400 and row.otj_pct == 25


def test_the_current_weekly_hours_are_the_latest_from_on_or_before_today(reference_data):
    a = apprenticeship()
    WeeklyHours.objects.create(apprenticeship=a, hours=Decimal(20), from_date=TODAY - timedelta(days=1))
    WeeklyHours.objects.create(apprenticeship=a, hours=Decimal(10), from_date=TODAY + timedelta(days=1))
    assert row_of(a).required.hours == required(Decimal(20))


def test_the_next_review_is_due_by_the_rule_from_the_last_signed_review(reference_data):
    a = apprenticeship()
    assert row_of(a).next_review_due == START + timedelta(days=84)  # none held: from the start
    assert row_of(a).review_state == rules.OVERDUE
    ProgressReviewFactory(apprenticeship=a, number=1, status=ReviewStatus.SIGNED, held_on=TODAY - timedelta(days=80))
    ProgressReviewFactory(apprenticeship=a, number=2, status=ReviewStatus.AWAITING_EMPLOYER, held_on=TODAY)
    ProgressReviewFactory(apprenticeship=a, number=3, status=ReviewStatus.AWAITING_APPRENTICE, held_on=TODAY)
    row = row_of(a)
    assert row.last_review_on == TODAY - timedelta(days=80)
    assert row.next_review_due == TODAY + timedelta(days=4) and row.review_state == rules.DUE
    assert row.reviews_to_sign == 2


def test_withdrawn_has_no_next_review_and_no_epao_flag(reference_data):
    a = apprenticeship(status=ApprenticeshipStatus.WITHDRAWN)
    row = row_of(a)
    assert row.next_review_due is None and row.review_state is None and row.epao_flag is None


def test_the_next_session_is_the_soonest_future_one_the_apprentice_is_invited_to(reference_data):
    a = apprenticeship()
    soon, later, past, cancelled = (
        TrainingSessionFactory(starts_at=NOW + timedelta(days=2)),
        TrainingSessionFactory(starts_at=NOW + timedelta(days=9)),
        TrainingSessionFactory(starts_at=NOW - timedelta(days=2)),
        TrainingSessionFactory(starts_at=NOW + timedelta(days=1), cancelled_at=NOW))
    TrainingSessionFactory(starts_at=NOW + timedelta(hours=1))  # not invited
    for session in (later, soon, past, cancelled):
        SessionAttendee.objects.create(session=session, apprenticeship=a)
    assert row_of(a).next_session_at == soon.starts_at


def test_caseload_rows_make_one_query_for_1_or_10_apprenticeships(reference_data):
    first = apprenticeship()
    log_share(first, 0.4, 0.4)
    ProgressReviewFactory(apprenticeship=first, status=ReviewStatus.SIGNED, held_on=TODAY)
    scope = Apprenticeship.objects.filter(coach=first.coach)  # caseload_rows joins what the rows read
    with CaptureQueriesContext(connection) as one:
        assert len(caseload_rows(scope, TODAY, NOW)) == 1
    for n in range(9):
        other = apprenticeship(coach=first.coach, provider=first.provider, memberships=False)
        log_share(other, 0.1 * n + 0.01, 0.05 * n)
        ProgressReviewFactory(apprenticeship=other, status=ReviewStatus.SIGNED, held_on=TODAY)
    with CaptureQueriesContext(connection) as ten:
        rows = caseload_rows(scope, TODAY, NOW)
        assert {row.apprenticeship.apprentice.full_name for row in rows} and rows[0].required.hours
    assert len(rows) == 10 and len(one) == len(ten) == 1
    assert sum(rag_counts(rows).values()) == 10
    ordered = sort_rows(rows, "rag")
    assert [rules.RED, rules.GREEN].index(ordered[0].rag) == 0 and ordered[-1].rag == rules.GREEN
    by_otj = sort_rows(rows, "otj")
    assert [row.otj_percent for row in by_otj] == sorted(row.otj_percent for row in rows)


def test_rows_whose_minimum_is_not_known_make_no_query_each(reference_data):
    # The reason names the version and its standard (selectors.minimum_otj): joined, not read per row.
    first = ApprenticeshipFactory(start_date=date(2025, 9, 1), practical_period_end=date(2027, 3, 1))
    scope = Apprenticeship.objects.filter(coach=first.coach).select_related(None)  # a bare queryset
    with CaptureQueriesContext(connection) as one:
        [row] = caseload_rows(scope, TODAY, NOW)
    assert row.required.hours is None and str(first.standard_version.standard.reference) in row.required.reason
    for _ in range(4):
        ApprenticeshipFactory(start_date=date(2025, 9, 1), practical_period_end=date(2027, 3, 1),
                              coach=first.coach, provider=first.provider)
    with CaptureQueriesContext(connection) as five:
        rows = caseload_rows(scope, TODAY, NOW)
    assert len(rows) == 5 and all(row.required.reason for row in rows)
    assert len(one) == len(five) == 1


def test_ksbs_of_another_version_are_not_counted_as_evidence(reference_data):
    a = apprenticeship()
    other = StandardVersion.objects.get(standard__reference="ST0007", version="1.0").ksbs.filter(retired=False)
    approved(a, 60, [*ksbs(1), *other.order_by("pk")[:3]])  # e.g. named before a change of version
    row = row_of(a)
    assert row.ksbs_evidenced == 1 and row.ksb_percent == 100 * Fraction(1, total_ksbs())

