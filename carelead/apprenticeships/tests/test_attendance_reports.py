"""Reading Teams and Zoom attendance reports (attendance_reports: pure, no database). The sample
files in tests/data/ are laid out as Teams and Zoom export them; the session they describe ran
11:00 to 12:00 (UK time) on 7 Oct 2025."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from carelead.apprenticeships import attendance_reports as reports
from carelead.apprenticeships.attendance_reports import (
    COMBINED, COUNTED, DUPLICATE, MALFORMED, OUTSIDE, ReportError, minutes_of, parse_timestamp, read_report,
)

DATA = Path(__file__).parent / "data"
ON = date(2025, 10, 7)
STARTS, ENDS = datetime(2025, 10, 7, 11, 0), datetime(2025, 10, 7, 12, 0)
GRACE = timedelta(minutes=15)


def read(name: str) -> reports.Report:
    return read_report((DATA / name).read_bytes(), on=ON)


def check(report, **kwargs):
    return reports.check_rows(report.rows, starts=STARTS, ends=ENDS, grace=GRACE,
                              one_row_each=report.format == reports.TEAMS, **kwargs)


def test_teams_utf16_tab_separated_report_reads_only_the_participants_section():
    report = read("teams_attendance_utf16.csv")
    assert report.format == reports.TEAMS
    assert report.title == "Coaching: person-centred planning"
    assert [(row.row_number, row.email, row.minutes) for row in report.rows] == [
        (11, "sam.coach@provider.example", 66), (12, "amara.okafor@example.org", 59),
        (13, "ben.hughes@example.org", 45), (14, "visitor@elsewhere.example", 30)]  # emails lower case
    assert report.rows[1].join == datetime(2025, 10, 7, 11, 1, 15)
    assert report.rows[1].leave == datetime(2025, 10, 7, 12, 0, 30)
    assert report.rows[0].role == "Organizer"


def test_teams_utf8_csv_with_uk_dates_and_a_bom():
    report = read("teams_attendance_uk.csv")
    assert report.format == reports.TEAMS
    assert report.rows[0].join == datetime(2025, 10, 7, 10, 58, 2)  # 07/10/2025 read day first: no AM/PM
    assert [row.row_number for row in report.rows] == [10, 11, 12, 13, 14, 15, 16]


def test_every_parser_outcome_in_the_uk_teams_sample():
    checks, people = check(read("teams_attendance_uk.csv"))
    outcomes = {c.row.row_number: c.outcome for c in checks}
    assert outcomes == {10: COUNTED, 11: COUNTED, 12: COUNTED, 13: DUPLICATE, 14: OUTSIDE, 15: MALFORMED, 16: COUNTED}
    details = {c.row.row_number: c.detail for c in checks}
    assert details[13] == "Repeats row 11: not counted twice."
    assert "Joined at 09:20 on 7 Oct 2025, more than 15 minutes before the session started" in details[14]
    assert "'07/10/2025, 25:70:00' could not be read" in details[15]
    assert people["sam.coach@provider.example"].minutes == 60  # 66 in the report, capped at the session's 60
    assert people["sam.coach@provider.example"].capped is True
    assert people["amara.okafor@example.org"].minutes == 59


def test_older_teams_format_pairs_joined_and_left_rows_per_person():
    report = read("teams_legacy.csv")
    assert report.format == reports.TEAMS_EVENTS
    assert report.has_emails is False
    checks, people = check(report)
    assert [(c.row.row_number, c.outcome) for c in checks] == [(2, COUNTED), (3, COUNTED), (4, COUNTED), (6, COMBINED)]
    assert people["amara okafor"].minutes == 28 + 25  # left at 11:30, back at 11:35
    assert people["amara okafor"].row_numbers == [3, 6]


def test_zoom_report_after_a_meeting_header_block():
    report = read("zoom_participants.csv")
    assert report.format == reports.ZOOM
    assert report.title == "Taught session: safeguarding adults"
    checks, people = check(report)
    outcomes = {c.row.row_number: c.outcome for c in checks}
    assert outcomes == {5: COUNTED, 6: COUNTED, 7: COMBINED, 8: DUPLICATE, 9: COUNTED, 10: COUNTED, 11: MALFORMED}
    assert people["amara.okafor@example.org"].minutes == 32 + 27  # rejoined: Zoom's own minutes added up
    assert people["ben.hughes@example.org"].minutes == 56
    malformed = next(c for c in checks if c.row.row_number == 11)
    assert "'not recorded'" in malformed.detail and "'abc'" in malformed.detail


def test_overlapping_joins_from_two_devices_count_once():
    at = lambda hour, minute: datetime(2025, 10, 7, hour, minute)  # noqa: E731
    rows = [reports.ReportRow(2, "Amara", "a@example.org", at(11, 0), at(11, 40), 40),
            reports.ReportRow(3, "Amara", "a@example.org", at(11, 30), at(11, 50), 20)]
    _, people = reports.check_rows(rows, starts=STARTS, ends=ENDS, grace=GRACE, one_row_each=False)
    assert people["a@example.org"].minutes == 50


@pytest.mark.parametrize(("join", "leave", "outcome"), [
    (datetime(2025, 10, 7, 10, 45), datetime(2025, 10, 7, 11, 30), COUNTED),  # exactly 15 minutes early
    (datetime(2025, 10, 7, 10, 44, 59), datetime(2025, 10, 7, 11, 30), OUTSIDE),
    (datetime(2025, 10, 7, 11, 30), datetime(2025, 10, 7, 12, 15), COUNTED),  # exactly 15 minutes late
    (datetime(2025, 10, 7, 11, 30), datetime(2025, 10, 7, 12, 15, 1), OUTSIDE),
    (datetime(2025, 10, 8, 11, 0), datetime(2025, 10, 8, 12, 0), OUTSIDE),  # another day's meeting
])
def test_the_session_window_allows_15_minutes_either_side(join, leave, outcome):
    rows = [reports.ReportRow(2, "Amara", "a@example.org", join, leave, 30)]
    checks, _ = reports.check_rows(rows, starts=STARTS, ends=ENDS, grace=GRACE, one_row_each=True)
    assert checks[0].outcome == outcome


@pytest.mark.parametrize(("text", "expected"), [
    ("10/7/25, 11:01:15 AM", datetime(2025, 10, 7, 11, 1, 15)),  # Teams, US English
    ("10/7/25, 1:05:00 PM", datetime(2025, 10, 7, 13, 5)),
    ("10/7/25, 12:30:00 AM", datetime(2025, 10, 7, 0, 30)),
    ("07/10/2025, 11:01:15", datetime(2025, 10, 7, 11, 1, 15)),  # Teams, UK English
    ("10/07/2025 11:00:05 AM", datetime(2025, 10, 7, 11, 0, 5)),  # Zoom, US
    ("2025-10-07 11:00:05", datetime(2025, 10, 7, 11, 0, 5)),
    ("07.10.2025, 11:00", datetime(2025, 10, 7, 11, 0)),
    ("13/10/2025 11:00", datetime(2025, 10, 13, 11, 0)),  # only one reading is a date
    ("10/13/2025 11:00 AM", datetime(2025, 10, 13, 11, 0)),
    ("31/02/2025 11:00", None), ("07/10/2025 25:00", None), ("13:00 PM 07/10/2025", None), ("yesterday", None),
])
def test_timestamps_in_both_date_styles(text, expected):
    assert parse_timestamp(text, on=ON) == expected


def test_a_date_that_reads_both_ways_is_settled_by_the_sessions_date():
    # 10/07/2025 with no AM/PM would be read as 10 July (UK); the session on 7 Oct settles it.
    assert parse_timestamp("10/07/2025 11:00:00", on=date(2025, 10, 7)) == datetime(2025, 10, 7, 11, 0)
    assert parse_timestamp("10/07/2025 11:00:00", on=None) == datetime(2025, 7, 10, 11, 0)
    assert parse_timestamp("10/07/2025 11:00:00 AM", on=None) == datetime(2025, 10, 7, 11, 0)


@pytest.mark.parametrize(("text", "minutes"), [
    ("1h 4m 28s", 64), ("52m 10s", 52), ("45s", 0), ("59m 59s", 59), ("2h", 120), ("71", 71), ("1:04:28", 64),
    ("37.9", 37), ("abc", None), ("", None), ("1 h 2 m", 62),
])
def test_durations_round_down_to_whole_minutes(text, minutes):
    assert minutes_of(text) == minutes


def test_encodings_are_tolerated():
    text = ("Name,First Join,Last Leave,In-Meeting Duration,Email\r\n"
            "Zoë Brontë,10/7/25 11:00 AM,10/7/25 11:30 AM,30m,z@x.org\r\n")
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("utf-16"), text.encode("utf-16-le"),
                 text.encode("cp1252")):
        report = read_report(data, on=ON)
        assert report.rows[0].name == "Zoë Brontë", data[:8]
        assert report.rows[0].minutes == 30


@pytest.mark.parametrize(("data", "message"), [
    (b"", reports.EMPTY_FILE), (b"\xef\xbb\xbf\r\n", reports.EMPTY_FILE),
    (b"Date,Amount\r\n1/1/25,10\r\n", reports.NOT_A_REPORT),
    (b"Name,First Join,Last Leave,Email\r\n\r\n", reports.NO_ROWS),
])
def test_files_that_are_not_reports_are_refused_in_words(data, message):
    with pytest.raises(ReportError, match=message[:30].replace("(", r"\(")):
        read_report(data)


def test_a_leave_before_join_or_unpaired_event_is_malformed():
    report = read_report(b"Full Name,User Action,Timestamp\r\nA,Joined,10/7/25 11:00 AM\r\nB,Left,10/7/25 11:10 AM\r\n"
                         b"C,Joined,10/7/25 11:20 AM\r\nC,Left,10/7/25 11:10 AM\r\n", on=ON)
    errors = {row.row_number: row.error for row in report.rows}
    assert errors == {2: reports.NO_LEAVE, 3: reports.NO_JOIN, 4: reports.LEAVE_BEFORE_JOIN}


def test_the_module_is_pure():
    import ast

    tree = ast.parse(Path(reports.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"csv", "re", "dataclasses", "datetime"}


@pytest.mark.parametrize("data", [
    b"\xff\xfeN\x00a",  # a UTF-16 byte-order mark with an odd number of bytes after it (a cut-off file)
    b"\xff\xfe\x00\xd8N\x00",  # a lone UTF-16 surrogate
    b"Name,First Join,Last Leave,In-Meeting Duration,Email\nA," + b"x" * 200_000 + b",b,c,d\n",  # a huge cell
    b"Name,Join Time,Leave Time,Duration (Minutes),User Email\n"
    b"A,10/7/25 11:00 AM,10/7/25 11:30 AM," + b"9" * 400 + b",a@example.org\n",  # a duration past a float
])
def test_damaged_files_are_refused_or_read_never_crash(data):
    try:
        report = read_report(data, on=ON)
    except ReportError:
        return
    check(report)
