"""Reading Microsoft Teams attendance reports and Zoom participants reports (issue 5, "Import
attendance"). Pure: stdlib only, bytes in, rows out; matching rows to apprentices is
`attendance_services`' job.

Formats read (as the products export them; see tests/data/ for realistic samples):

- Teams, current (2021 on): UTF-16 LE tab-separated ("Download attendance list") or UTF-8 CSV, in
  sections "1. Summary", "2. Participants" (Name, First Join, Last Leave, In-Meeting Duration,
  Email, Participant ID (UPN), Role) and "3. In-Meeting Activities". Only section 2 is read: it
  already sums each person's time, and section 3 repeats it join by join.
- Teams, older (2020): "Full Name, User Action, Timestamp" with one row per Joined / Left event
  (and "Joined before" for people already there when the organiser downloaded it). It has no
  email column: rows are paired Joined -> Left per person and matched to apprentices by name.
- Zoom participants report: "Name (Original Name), User Email, Join Time, Leave Time, Duration
  (Minutes), Guest", one row per join (a person who rejoined has several), sometimes after a
  meeting header block (Meeting ID, Topic, Start Time, ...) and a blank line.

Assumptions, stated so a coach can check them against their report:
- Times are wall-clock times in the organiser's own time zone, taken to be Europe/London (the
  caller attaches the zone). Both date styles are read: US (M/D/YY, h:mm:ss AM/PM, as Teams and
  Zoom write for US-English accounts) and UK (D/M/YYYY, HH:MM:SS). A date such as 07/10/2025 that
  reads both ways is settled by the session's own date when one of the readings is it; otherwise a
  time with AM/PM is read as US, one without as UK. ISO dates (2025-10-07) and dotted dates
  (07.10.2025) are read too.
- Teams durations ("1h 4m 28s") are rounded DOWN to whole minutes, so a report never overstates
  the time attended; Zoom's "Duration (Minutes)" is taken as Zoom wrote it.
- Bytes are decoded as UTF-16 when they start with its byte-order mark (or look like UTF-16 with
  no mark), else UTF-8 (with or without a BOM), else Windows-1252, which never fails.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

TEAMS = "teams"
TEAMS_EVENTS = "teams_events"  # the older Joined / Left format
ZOOM = "zoom"
FORMAT_LABELS = {TEAMS: "Microsoft Teams attendance report", TEAMS_EVENTS: "Microsoft Teams attendance report "
                 "(older format, one row per join and leave)", ZOOM: "Zoom participants report"}
SOURCE_OF_FORMAT = {TEAMS: "teams", TEAMS_EVENTS: "teams", ZOOM: "zoom"}

NOT_A_REPORT = ("This file is not a Teams attendance report or a Zoom participants report: no row of column "
                "headings was found (Teams: Name, First Join, Last Leave; Zoom: Name (Original Name), Join Time, "
                "Leave Time).")
EMPTY_FILE = "The file is empty."
NO_ROWS = "The report lists nobody: there are no rows under its column headings."
BAD_TIME = "The time {value!r} could not be read as a date and time."
BAD_DURATION = "The duration {value!r} could not be read as a number of minutes."
LEAVE_BEFORE_JOIN = "The time leaving is before the time joining."
NO_LEAVE = "Joined with no matching Left row after it."
NO_JOIN = "Left with no matching Joined row before it."
NO_TIMES = "The row has no join or leave time."

_NAME = ("name", "full name", "name (original name)", "participant", "display name")
_EMAIL = ("email", "user email", "e-mail", "email address")
_UPN = ("participant id (upn)", "upn")
_JOIN = ("first join", "join time", "first join time", "joined")
_LEAVE = ("last leave", "leave time", "last leave time", "left")
_DURATION = ("in-meeting duration", "duration", "duration (minutes)", "attendance duration", "time in meeting")
_ACTION = ("user action", "action")
_TIMESTAMP = ("timestamp", "time stamp")
_ROLE = ("role",)
_GUEST = ("guest",)
_SECTION = re.compile(r"^\s*\d+\.\s+\S")  # "2. Participants"
_DATE = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp]\.?[Mm]\.?)?$")
_HMS = re.compile(r"^(?:(\d+)\s*h(?:rs?|ours?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?\s*(?:(\d+)\s*s(?:ec(?:ond)?s?)?)?$",
                  re.IGNORECASE)


class ReportError(ValueError):
    """The file as a whole cannot be read as a report (the message says why, in words)."""


@dataclass(frozen=True)
class ReportRow:
    """One person's time in the meeting as one row of the file says it (row_number = the file's line
    number, as a spreadsheet shows it). `error` says why the row could not be read, if it could not."""

    row_number: int
    name: str
    email: str = ""
    join: datetime | None = None
    leave: datetime | None = None
    minutes: int | None = None
    role: str = ""
    error: str = ""


@dataclass
class Report:
    format: str
    rows: list[ReportRow]
    title: str = ""
    has_emails: bool = True
    notes: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The file's text: UTF-16 (with a BOM, or with no BOM but NULs in every other byte), UTF-8
    (BOM or not), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a cut-off file or a lone surrogate must not crash
        return data.decode("utf-16", errors="replace")
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0] != 0:
        return data.decode("utf-16-le", errors="replace")
    if len(data) >= 4 and data[0:4:2] == b"\x00\x00" and data[1] != 0:
        return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _cells(line: str) -> list[str]:
    delimiter = "\t" if "\t" in line else ","
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a cell past the csv module's size limit, or a stray NUL: split it plainly
        cells = line.replace("\x00", "").split(delimiter)
    return [cell.strip().strip("\ufeff").strip() for cell in cells]


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [header.lower() for header in headers]
    return next((lowered.index(name) for name in names if name in lowered), None)


def _is_header(cells: list[str]) -> bool:
    if _column(cells, _NAME) is None:
        return False
    return (_column(cells, _JOIN) is not None and _column(cells, _LEAVE) is not None) or (
        _column(cells, _ACTION) is not None and _column(cells, _TIMESTAMP) is not None)


def read_report(data: bytes, *, on: date | None = None) -> Report:
    """The rows of a Teams or Zoom report. `on` is the session's date, used to settle dates that
    read both ways (see the module docstring). ReportError when the file is not such a report."""
    if not data.strip(b"\x00\r\n\t ,\xef\xbb\xbf\xff\xfe"):
        raise ReportError(EMPTY_FILE)
    lines = decode(data).splitlines()
    title = _title(lines)
    for index, line in enumerate(lines):
        cells = _cells(line)
        if not _is_header(cells):
            continue
        body = []
        for number, text in enumerate(lines[index + 1:], start=index + 2):
            if not text.strip(" \t,") or _SECTION.match(text):
                break
            body.append((number, _cells(text)))
        if not body:
            raise ReportError(NO_ROWS)
        if _column(cells, _ACTION) is not None and _column(cells, _JOIN) is None:
            return Report(TEAMS_EVENTS, _event_rows(cells, body, on), title,
                          has_emails=_column(cells, _EMAIL) is not None)
        zoom = _column(cells, ("name (original name)",)) is not None or _column(cells, _GUEST) is not None
        kind = ZOOM if zoom else TEAMS
        return Report(kind, _interval_rows(cells, body, on), title,
                      has_emails=_column(cells, _EMAIL + _UPN) is not None)
    raise ReportError(NOT_A_REPORT)


def _title(lines: list[str]) -> str:
    """The meeting's title from a Teams summary ("Meeting title") or a Zoom header block ("Topic")."""
    for index, line in enumerate(lines[:20]):
        cells = _cells(line)
        if len(cells) >= 2 and cells[0].lower() in ("meeting title", "title"):
            return cells[1]
        topic = _column(cells, ("topic",))
        if topic is not None and index + 1 < len(lines):
            values = _cells(lines[index + 1])
            return values[topic] if topic < len(values) else ""
    return ""


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _interval_rows(headers, body, on) -> list[ReportRow]:
    at = {name: _column(headers, names) for name, names in (
        ("name", _NAME), ("email", _EMAIL), ("upn", _UPN), ("join", _JOIN), ("leave", _LEAVE),
        ("duration", _DURATION), ("role", _ROLE))}
    rows = []
    for number, cells in body:
        name = _cell(cells, at["name"])
        email = (_cell(cells, at["email"]) or _cell(cells, at["upn"])).lower()
        if "@" not in email:
            email = ""
        role = _cell(cells, at["role"])
        errors = []
        join = _timestamp_or_error(_cell(cells, at["join"]), on, errors)
        leave = _timestamp_or_error(_cell(cells, at["leave"]), on, errors)
        if join and leave and leave < join:
            errors.append(LEAVE_BEFORE_JOIN)
        duration_text = _cell(cells, at["duration"])
        minutes = None
        if duration_text:
            minutes = minutes_of(duration_text)
            if minutes is None:
                errors.append(BAD_DURATION.format(value=duration_text))
        elif join and leave and leave >= join:
            minutes = int((leave - join).total_seconds() // 60)
        if not errors and (join is None or leave is None):
            errors.append(NO_TIMES)
        rows.append(ReportRow(number, name, email, join, leave, minutes, role, " ".join(errors)))
    return rows


def _event_rows(headers, body, on) -> list[ReportRow]:
    """Pair each person's Joined row with their next Left row (the older Teams format)."""
    name_at, action_at = _column(headers, _NAME), _column(headers, _ACTION)
    time_at, email_at = _column(headers, _TIMESTAMP), _column(headers, _EMAIL)
    open_rows: dict[str, tuple[int, str, str, datetime]] = {}
    rows = []
    for number, cells in body:
        name, action = _cell(cells, name_at), _cell(cells, action_at).lower()
        email = _cell(cells, email_at).lower()
        key = email or name.casefold()
        errors: list[str] = []
        when = _timestamp_or_error(_cell(cells, time_at), on, errors)
        if errors:
            rows.append(ReportRow(number, name, email, error=" ".join(errors)))
        elif action.startswith("join"):
            if key in open_rows:
                rows.append(_unclosed(open_rows.pop(key)))
            open_rows[key] = (number, name, email, when)
        elif action.startswith(("left", "leave")):
            if key not in open_rows:
                rows.append(ReportRow(number, name, email, leave=when, error=NO_JOIN))
                continue
            start_number, start_name, start_email, joined = open_rows.pop(key)
            error = LEAVE_BEFORE_JOIN if when < joined else ""
            minutes = None if error else int((when - joined).total_seconds() // 60)
            rows.append(ReportRow(start_number, start_name, start_email, joined, when, minutes, error=error))
        else:
            rows.append(ReportRow(number, name, email, error=f"The action {action!r} is neither Joined nor Left."))
    rows.extend(_unclosed(opened) for opened in open_rows.values())
    return sorted(rows, key=lambda row: row.row_number)


def _unclosed(opened) -> ReportRow:
    number, name, email, joined = opened
    return ReportRow(number, name, email, join=joined, error=NO_LEAVE)


def _timestamp_or_error(text: str, on: date | None, errors: list[str]) -> datetime | None:
    if not text:
        return None
    value = parse_timestamp(text, on=on)
    if value is None:
        errors.append(BAD_TIME.format(value=text))
    return value


def parse_timestamp(text: str, *, on: date | None = None) -> datetime | None:
    """A report's date and time as a naive datetime, or None when it cannot be read (see the
    module docstring for how a date that reads both ways is settled)."""
    text = re.sub(r"\s+", " ", text.replace(",", " ").replace("T", " ")).strip()
    date_text, _, time_text = text.partition(" ")
    time_match, date_match = _TIME.match(time_text.strip()), _DATE.match(date_text)
    if not time_match or not date_match:
        return None
    hour, minute, second = int(time_match[1]), int(time_match[2]), int(time_match[3] or 0)
    meridiem = (time_match[4] or "").replace(".", "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    day = _date_of(date_match, us_style=bool(meridiem), on=on)
    if day is None or hour > 23 or minute > 59 or second > 59:
        return None
    return datetime(day.year, day.month, day.day, hour, minute, second)


def _date_of(match: re.Match, *, us_style: bool, on: date | None) -> date | None:
    first, second, third = (int(part) for part in match.groups())
    if len(match[1]) == 4:  # ISO: 2025-10-07
        return _safe_date(first, second, third)
    year = third + 2000 if len(match[3]) <= 2 else third
    day_first, month_first = _safe_date(year, second, first), _safe_date(year, first, second)
    if day_first and month_first and day_first != month_first:
        if on in (day_first, month_first):
            return on
        return month_first if us_style else day_first
    return day_first or month_first


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def minutes_of(text: str) -> int | None:
    """Minutes in a duration: "1h 4m 28s", "52m 10s", "45s", "1:04:28", "64" (Zoom's minutes).
    Seconds are rounded down; None when it cannot be read."""
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):  # Zoom: whole minutes (a decimal is rounded down)
        return int(text.partition(".")[0])  # not via float: a long run of digits would overflow it
    clock = re.fullmatch(r"(\d+):(\d{2})(?::\d{2})?", text)  # h:mm or h:mm:ss
    if clock:
        return int(clock[1]) * 60 + int(clock[2])
    match = _HMS.fullmatch(text)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return (hours * 3600 + minutes * 60 + seconds) // 60


# --- Each person's time: rows summed, checked against the session's times ---

DUPLICATE = "duplicate"
OUTSIDE = "outside"
MALFORMED = "malformed"
COUNTED = "counted"
COMBINED = "combined"


@dataclass
class PersonTime:
    """One person's rows, summed: `row_number` is the row that carries their total."""

    key: str
    row_number: int
    name: str
    email: str
    minutes: int = 0
    row_numbers: list[int] = field(default_factory=list)
    capped: bool = False


@dataclass(frozen=True)
class RowCheck:
    """What became of one row: `outcome` is one of the constants above, `detail` words for the coach."""

    row: ReportRow
    outcome: str
    detail: str = ""
    counted_with: int | None = None


def check_rows(rows: list[ReportRow], *, starts: datetime, ends: datetime, grace: timedelta,
               one_row_each: bool) -> tuple[list[RowCheck], dict[str, PersonTime]]:
    """Check each row against the session (naive local datetimes) and sum each person's time.

    A row that could not be read is MALFORMED; one repeating an earlier row (or, where a report
    has one row per person, naming someone already listed) is a DUPLICATE; one with a time before
    `starts - grace` or after `ends + grace` is OUTSIDE the session. The rest count: a person's
    overlapping joins (two devices at once) are counted once, and their total is capped at the
    session's length.
    """
    checks: list[RowCheck] = []
    people: dict[str, PersonTime] = {}
    intervals: dict[str, list[tuple[datetime, datetime, int]]] = {}
    seen: dict[tuple, int] = {}
    earliest, latest = starts - grace, ends + grace
    for row in rows:
        key = row.email or row.name.casefold()
        identity = (key, row.join, row.leave, row.minutes)
        if row.error:
            checks.append(RowCheck(row, MALFORMED, row.error))
        elif identity in seen or (one_row_each and key in people):
            first = seen.get(identity) or people[key].row_number
            checks.append(RowCheck(row, DUPLICATE, f"Repeats row {first}: not counted twice.", counted_with=first))
        elif row.join < earliest or row.leave > latest:
            checks.append(RowCheck(row, OUTSIDE, _outside_words(row, earliest, grace)))
        else:
            seen[identity] = row.row_number
            person = people.get(key)
            if person is None:
                person = people[key] = PersonTime(key, row.row_number, row.name, row.email)
                checks.append(RowCheck(row, COUNTED))
            else:
                checks.append(RowCheck(row, COMBINED, f"Counted with row {person.row_number}.",
                                       counted_with=person.row_number))
            person.row_numbers.append(row.row_number)
            intervals.setdefault(key, []).append((row.join, row.leave, row.minutes or 0))
    session_minutes = int((ends - starts).total_seconds() // 60)
    for key, person in people.items():
        total = _union_minutes(intervals[key])
        person.capped = total > session_minutes
        person.minutes = min(total, session_minutes)
    return checks, people


def _union_minutes(spans: list[tuple[datetime, datetime, int]]) -> int:
    """A person's minutes across their rows: the report's own minutes added up, unless two joins
    overlap (two devices at once), when the overlapping time is counted once."""
    total, current_start, current_end = 0, None, None
    for start, end, _ in sorted(spans):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += int((current_end - current_start).total_seconds())
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    total += int((current_end - current_start).total_seconds())
    reported = sum(minutes for _, _, minutes in spans)
    apart = sum(int((end - start).total_seconds()) for start, end, _ in spans)
    return reported if total >= apart else min(total // 60, reported)


def _outside_words(row: ReportRow, earliest: datetime, grace: timedelta) -> str:
    allowed = f"{int(grace.total_seconds() // 60)} minutes"
    if row.join < earliest:
        return (f"Joined at {_clock(row.join)} on {_day(row.join)}, more than {allowed} before the session "
                "started: outside the session, not counted.")
    return (f"Left at {_clock(row.leave)} on {_day(row.leave)}, more than {allowed} after the session ended: "
            "outside the session, not counted.")


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"
