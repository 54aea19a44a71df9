"""One timeline per apprentice (issue 6): what they LED in practice, what they LEARNED and what was
ASSESSED, newest first, grouped by month, a few months a page. Pure: plain values in and out, no
Django, so paging and ordering are tested at every edge without a database or a clock.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

LED, LEARNED, ASSESSED = "led", "learned", "assessed"
STRANDS = (LED, LEARNED, ASSESSED)
STRAND_LABELS = {LED: "Led in practice", LEARNED: "Learned", ASSESSED: "Assessed"}
MONTHS_PER_PAGE = 6


@dataclass(frozen=True)
class Event:
    """One thing on the timeline; `key` makes the order stable when two fall on one day."""

    strand: str
    on: date
    kind: str  # what sort of thing, in words: "Practice record", "Off-the-job training"...
    title: str
    detail: str = ""
    status: str = ""  # in words, when the thing has one ("Accepted", "Waiting for approval")
    url: str = ""
    key: str = ""

    @property
    def strand_label(self) -> str:
        return STRAND_LABELS[self.strand]


@dataclass(frozen=True)
class Month:
    first_day: date
    events: list[Event]

    @property
    def label(self) -> str:
        return f"{self.first_day:%B %Y}"


@dataclass(frozen=True)
class Window:
    """The months one page shows, both ends included, and the pages either side (None: no such page)."""

    since: date
    until: date
    page: int
    newer: int | None
    older: int | None


def parse_strands(values: Iterable[str]) -> tuple[str, ...]:
    """The strands asked for, in the timeline's order; unknown words are ignored, and none means all."""
    wanted = {value for value in values if value in STRANDS}
    return tuple(strand for strand in STRANDS if strand in wanted) or STRANDS


def parse_page(value: str | None) -> int:
    """A page number from the query string: 1 unless it is a whole number of at least 1."""
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first_day: date, months: int) -> date:
    """The first day of the month `months` after (or before, when negative) `first_day`'s month."""
    index = first_day.year * 12 + first_day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def last_page(*, today: date, earliest: date, months: int = MONTHS_PER_PAGE) -> int:
    """The page whose months reach back to `earliest`'s month (1 when `earliest` is this month or later)."""
    span = (today.year - earliest.year) * 12 + today.month - earliest.month
    return max(span // months + 1, 1)


def window(*, today: date, page: int, earliest: date, months: int = MONTHS_PER_PAGE) -> Window:
    """Page 1 is the month of `today` and the `months - 1` before it; each next page is older.

    There is an older page while this one starts after `earliest` (the apprenticeship's start, or the
    earliest thing on the timeline, whichever is sooner). A page past the oldest is the oldest, so a
    tampered ?page= never reaches a date before year 1."""
    page = min(max(page, 1), last_page(today=today, earliest=earliest, months=months))
    newest = add_months(month_start(today), -(page - 1) * months)
    since = add_months(newest, -(months - 1))
    until = add_months(newest, 1) - timedelta(days=1)
    return Window(since=since, until=until, page=page, newer=page - 1 if page > 1 else None,
                  older=page + 1 if since > earliest else None)


def months_of(events: Sequence[Event]) -> list[Month]:
    """The events newest first, grouped by calendar month; on one day, led before learned before assessed."""
    ordered = sorted(events, key=lambda e: (-e.on.toordinal(), STRANDS.index(e.strand), e.kind, e.title, e.key))
    months: list[Month] = []
    for event in ordered:
        first = month_start(event.on)
        if not months or months[-1].first_day != first:
            months.append(Month(first_day=first, events=[]))
        months[-1].events.append(event)
    return months
