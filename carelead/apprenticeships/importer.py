"""Importing reference data: standards in the official Skills England JSON shape (§1.4) and
qualifications in carelead's shape. The only writer of the reference-data models.

Each import reads and checks the whole file first (`parse_*`, no database), then writes everything in
one transaction: a bad file changes nothing.

Standards (`import_standards`): the file holds one version object or a list of them, with
`referenceNumber`, `version` (or `versionNumber`), `title`, `level`, `typicalDuration`, `ePALength`,
`minimumHoursForCompliance`, `earliestStartDate`, `latestStartDate`, `latestEndDate`,
`standardPageUrl`, `status`, `route` and the lists `knowledges`, `skills`, `behaviours`. A KSB is a
string ("K1: text", or the text alone) or an object with `code` (optional) and `detail` (or `text` /
`title`); without a code it takes its kind's letter and its place in the list (the third skill is S3).
carelead's snapshot adds, per KSB, `theme` and `carelead_code: true`, and per version an object
`carelead` (`fundingStatus`, `fundingNote`, `notes`, `sourceUrl`, `occupation`).

KSBs are matched to the rows already held for the version, per kind: by code, then by the same text
(case, spacing and punctuation ignored), then by place in the list. A matched row keeps its primary key
and takes the new code, text and theme, so evidence mapped to it stays mapped when the official codes
replace carelead's; a row matching nothing in the new list is marked retired, never deleted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships.models import (
    CARELEAD_CODE_PREFIX,
    KIND_PREFIX,
    FundingStatus,
    Ksb,
    KsbKind,
    Qualification,
    QualificationUnit,
    Standard,
    StandardVersion,
    Theme,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
STANDARD_SNAPSHOTS = (DATA_DIR / "st0007.json",)
QUALIFICATION_SNAPSHOTS = (DATA_DIR / "diploma-ncfe-603-2614-1.json", DATA_DIR / "diploma-cg-4222-34.json")

LISTS = (("knowledges", KsbKind.KNOWLEDGE), ("skills", KsbKind.SKILL), ("behaviours", KsbKind.BEHAVIOUR))
CODED_TEXT = re.compile(r"^\s*((?:CL-)?[KSB]\d+)\s*[:.\-–]\s*(.+)$", re.S)
WITHDRAWN_STATUSES = {"withdrawn", "retired"}

# What happened to each KSB or unit row.
ADDED, UPDATED, UNCHANGED, RETIRED = "added", "updated", "unchanged", "retired"


class ImportProblem(Exception):
    """The file cannot be imported; `problems` says where and why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class KsbData:
    kind: str
    position: int
    code: str
    text: str
    theme: str
    carelead_code: bool


@dataclass(frozen=True)
class VersionData:
    reference: str
    version: str
    title: str
    level: int
    route: str | None
    occupation: str | None
    typical_duration_months: int | None
    epa_length_months: int | None
    minimum_otj_hours: Decimal | None
    earliest_start_date: date | None
    latest_start_date: date | None
    latest_end_date: date | None
    funding_status: str | None
    funding_note: str | None
    notes: str | None
    source_url: str | None
    ksbs: tuple[KsbData, ...]


@dataclass
class RowReport:
    outcome: str  # ADDED, UPDATED, UNCHANGED, RETIRED
    code: str
    pk: int
    matched_by: str = ""  # code, text or position, for a matched row
    previous_code: str = ""

    def line(self) -> str:
        if self.outcome == ADDED:
            return f"  added      {self.code}"
        if self.outcome == RETIRED:
            return f"  retired    {self.code} (kept, marked retired)"
        change = f"{self.previous_code} -> {self.code}" if self.previous_code != self.code else self.code
        return f"  {self.outcome:<10} {change} (matched by {self.matched_by})"


@dataclass
class VersionReport:
    label: str
    created: bool
    rows: list[RowReport] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(row.outcome == outcome for row in self.rows)

    def lines(self) -> list[str]:
        head = (f"{self.label}: {'created' if self.created else 'updated'}; {self.count(ADDED)} added, "
                f"{self.count(UPDATED)} updated, {self.count(UNCHANGED)} unchanged, {self.count(RETIRED)} retired")
        return [head, *(row.line() for row in self.rows)]


# --- Reading and checking (no database) -----------------------------------------------------------

def read_json(path: str | Path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as error:
        raise ImportProblem([f"{path}: no such file"]) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportProblem([f"{path}: not valid JSON ({error})"]) from error


class _Checker:
    def __init__(self):
        self.problems: list[str] = []

    def text(self, where: str, value, *, required: bool = True) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.append(f"{where}: is required")
            return None
        if not isinstance(value, str):
            self.problems.append(f"{where}: must be text")
            return None
        return value.strip()

    def whole(self, where: str, value, *, required: bool = False, minimum: int = 0) -> int | None:
        if value is None:
            if required:
                self.problems.append(f"{where}: is required")
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problems.append(f"{where}: must be a whole number of at least {minimum}")
            return None
        return value

    def day(self, where: str, value) -> date | None:
        if value is None or value == "":
            return None
        try:
            return datetime.fromisoformat(value).date() if "T" in str(value) else date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problems.append(f"{where}: must be a date as YYYY-MM-DD")
            return None

    def hours(self, where: str, value) -> Decimal | None:
        if value is None or value == "":
            return None
        try:
            hours = Decimal(str(value).strip())
        except InvalidOperation:
            self.problems.append(f"{where}: must be a number of hours")
            return None
        if not hours.is_finite() or hours <= 0 or hours >= Decimal(100_000):
            self.problems.append(f"{where}: must be more than 0 and under 100,000 hours")
            return None
        return hours.quantize(Decimal("0.01"))


def _version_text(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return f"{value:.1f}" if float(value).is_integer() else str(value)
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)*", value.strip()):
        return value.strip()
    return None


def _ksb(check: _Checker, where: str, item, kind: str, position: int) -> KsbData | None:
    prefix = KIND_PREFIX[kind]
    if isinstance(item, str):
        item = {"detail": item}
    if not isinstance(item, dict):
        check.problems.append(f"{where}: must be text or an object")
        return None
    code = check.text(f"{where}.code", item.get("code"), required=False)
    body = item.get("detail", item.get("text", item.get("title")))
    body = check.text(f"{where}.detail", body)
    if body is None:
        return None
    coded = CODED_TEXT.match(body)
    if coded and (code is None or code == coded.group(1)):
        code, body = coded.group(1), coded.group(2).strip()
    carelead_code = item.get("carelead_code", False)
    if not isinstance(carelead_code, bool):
        check.problems.append(f"{where}.carelead_code: must be true or false")
        return None
    code = code or f"{CARELEAD_CODE_PREFIX if carelead_code else ''}{prefix}{position}"
    expected = f"{CARELEAD_CODE_PREFIX}{prefix}" if carelead_code else prefix
    if not re.fullmatch(rf"{re.escape(expected)}\d+", code):
        check.problems.append(f"{where}.code: {code!r} must be {expected} and a number "
                              f"({'carelead' if carelead_code else 'official'} {kind} code)")
        return None
    theme = item.get("theme") or (Theme.BEHAVIOURS if kind == KsbKind.BEHAVIOUR else "")
    if theme and theme not in Theme.values:
        check.problems.append(f"{where}.theme: {theme!r} is not one of {', '.join(Theme.values)}")
        return None
    return KsbData(kind=kind, position=position, code=code, text=body, theme=theme, carelead_code=carelead_code)


def parse_standards(document) -> list[VersionData]:
    """Every version in an official-shape document (one object or a list), or ImportProblem."""
    check = _Checker()
    entries = document if isinstance(document, list) else [document]
    if not entries or not all(isinstance(entry, dict) for entry in entries):
        raise ImportProblem(["the file must hold a standard version object or a list of them"])
    versions, seen = [], set()
    for index, entry in enumerate(entries):
        reference = check.text(f"[{index}].referenceNumber", entry.get("referenceNumber"))
        number = _version_text(entry.get("version", entry.get("versionNumber")))
        if number is None:
            check.problems.append(f"[{index}].version: is required, as a number such as 1.1")
        where = f"{reference or index} v{number or '?'}"
        if (reference, number) in seen:
            check.problems.append(f"{where}: appears twice in the file")
        seen.add((reference, number))
        extra = entry.get("carelead") or {}
        if not isinstance(extra, dict):
            check.problems.append(f"{where}.carelead: must be an object")
            extra = {}
        funding = extra.get("fundingStatus")
        if funding is None and str(entry.get("status") or "").strip().lower() in WITHDRAWN_STATUSES:
            funding = FundingStatus.WITHDRAWN
        if funding is not None and funding not in FundingStatus.values:
            check.problems.append(f"{where}.carelead.fundingStatus: must be one of {', '.join(FundingStatus.values)}")
        ksbs, codes = [], set()
        for key, kind in LISTS:
            items = entry.get(key) or []
            if not isinstance(items, list):
                check.problems.append(f"{where}.{key}: must be a list")
                continue
            for position, item in enumerate(items, 1):
                ksb = _ksb(check, f"{where}.{key}[{position - 1}]", item, kind, position)
                if ksb is None:
                    continue
                if ksb.code in codes:
                    check.problems.append(f"{where}.{key}[{position - 1}].code: {ksb.code} is used twice")
                codes.add(ksb.code)
                ksbs.append(ksb)
        data = VersionData(
            reference=reference or "", version=number or "",
            title=check.text(f"{where}.title", entry.get("title")) or "",
            level=check.whole(f"{where}.level", entry.get("level"), required=True, minimum=1) or 0,
            route=check.text(f"{where}.route", entry.get("route"), required=False),
            occupation=check.text(f"{where}.carelead.occupation", extra.get("occupation"), required=False),
            typical_duration_months=check.whole(f"{where}.typicalDuration", entry.get("typicalDuration"), minimum=1),
            epa_length_months=check.whole(f"{where}.ePALength", entry.get("ePALength"), minimum=1),
            minimum_otj_hours=check.hours(f"{where}.minimumHoursForCompliance", entry.get("minimumHoursForCompliance")),
            earliest_start_date=check.day(f"{where}.earliestStartDate", entry.get("earliestStartDate")),
            latest_start_date=check.day(f"{where}.latestStartDate", entry.get("latestStartDate")),
            latest_end_date=check.day(f"{where}.latestEndDate", entry.get("latestEndDate")),
            funding_status=funding if funding in FundingStatus.values else None,
            funding_note=check.text(f"{where}.carelead.fundingNote", extra.get("fundingNote"), required=False),
            notes=check.text(f"{where}.carelead.notes", extra.get("notes"), required=False),
            source_url=(check.text(f"{where}.carelead.sourceUrl", extra.get("sourceUrl"), required=False)
                        or check.text(f"{where}.standardPageUrl", entry.get("standardPageUrl"), required=False)),
            ksbs=tuple(ksbs),
        )
        if data.earliest_start_date and data.latest_start_date and data.latest_start_date < data.earliest_start_date:
            check.problems.append(f"{where}.latestStartDate: must not be before earliestStartDate")
        versions.append(data)
    if check.problems:
        raise ImportProblem(check.problems)
    return versions


# --- Writing ----------------------------------------------------------------------------------------

def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _match(incoming: tuple[KsbData, ...], existing: list[Ksb]) -> dict[KsbData, tuple[Ksb, str]]:
    """Each incoming KSB's existing row and how it was matched: by code, then text, then place."""
    matches: dict[KsbData, tuple[Ksb, str]] = {}
    free = {row.pk: row for row in existing}
    rules = (
        ("code", lambda item, row: row.code == item.code),
        ("text", lambda item, row: _normalised(row.text) == _normalised(item.text)),
        ("position", lambda item, row: row.position == item.position and not row.retired),
    )
    for basis, same in rules:
        for item in incoming:
            if item in matches:
                continue
            row = next((row for row in free.values() if row.kind == item.kind and same(item, row)), None)
            if row is not None:
                matches[item] = (row, basis)
                del free[row.pk]
    return matches


def _apply_version(data: VersionData, now) -> VersionReport:
    standard, _ = Standard.objects.get_or_create(
        reference=data.reference, defaults={"title": data.title, "level": data.level})
    standard.title, standard.level = data.title, data.level
    standard.route = data.route if data.route is not None else standard.route
    standard.occupation = data.occupation if data.occupation is not None else standard.occupation
    standard.full_clean()
    standard.save()
    version = StandardVersion.objects.filter(standard=standard, version=data.version).first()
    created = version is None
    if created:
        # A new version takes the funding status of the standard's latest version until told otherwise.
        latest = max(standard.versions.all(), key=lambda held: held.as_rule().version_key, default=None)
        version = StandardVersion(standard=standard, version=data.version)
        if latest is not None:
            version.funding_status, version.funding_note = latest.funding_status, latest.funding_note
    for name in ("typical_duration_months", "epa_length_months", "minimum_otj_hours", "earliest_start_date",
                 "latest_start_date", "latest_end_date"):
        setattr(version, name, getattr(data, name))
    for name in ("funding_status", "funding_note", "notes", "source_url"):
        if getattr(data, name) is not None:
            setattr(version, name, getattr(data, name))
    version.imported_at = now
    version.full_clean()
    version.save()

    report = VersionReport(label=str(version), created=created)
    existing = list(Ksb.objects.filter(version=version).order_by("kind", "position", "pk"))
    matches = _match(data.ksbs, existing)
    changing = [row.pk for item, (row, _) in matches.items() if row.code != item.code]
    for pk in changing:  # free the codes first, so two rows may swap codes within the unique constraint
        Ksb.objects.filter(pk=pk).update(code=f"~{pk}")
    for item in data.ksbs:
        if item in matches:
            row, basis = matches[item]
            previous = (row.code, row.text, row.theme, row.carelead_code, row.position, row.retired)
            row.code, row.text, row.theme = item.code, item.text, item.theme
            row.carelead_code, row.position, row.retired = item.carelead_code, item.position, False
            outcome = UNCHANGED if previous == (row.code, row.text, row.theme, row.carelead_code, row.position,
                                                False) else UPDATED
            if row.pk in changing or outcome == UPDATED:
                row.full_clean()
                row.save()
            report.rows.append(RowReport(outcome, item.code, row.pk, matched_by=basis, previous_code=previous[0]))
        else:
            row = Ksb(version=version, kind=item.kind, theme=item.theme, code=item.code, text=item.text,
                      carelead_code=item.carelead_code, position=item.position)
            row.full_clean()
            row.save()
            report.rows.append(RowReport(ADDED, item.code, row.pk))
    matched = {row.pk for row, _ in matches.values()}
    for row in existing:
        if row.pk not in matched and not row.retired:
            row.retired = True
            row.save(update_fields=["retired"])
            report.rows.append(RowReport(RETIRED, row.code, row.pk))
    return report


@transaction.atomic
def import_standards(document) -> list[VersionReport]:
    """Create or update each version in the document and its KSBs; all or nothing."""
    versions = parse_standards(document)
    now = timezone.now()
    return [_apply_version(data, now) for data in versions]


def import_standard_file(path: str | Path) -> list[VersionReport]:
    return import_standards(read_json(path))


# --- Qualifications -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitData:
    position: int
    title: str
    credits: int | None
    level: int | None
    mandatory: bool
    loaded: bool


def parse_qualification(document) -> tuple[dict, tuple[UnitData, ...]]:
    check = _Checker()
    if not isinstance(document, dict):
        raise ImportProblem(["the file must hold one qualification object"])
    fields = {
        "title": check.text("title", document.get("title")),
        "awarding_organisation": check.text("awardingOrganisation", document.get("awardingOrganisation")),
        "specification_number": check.text("specificationNumber", document.get("specificationNumber")),
        "level": check.whole("level", document.get("level"), required=True, minimum=1),
        "credits": check.whole("credits", document.get("credits"), minimum=1),
        "glh": check.whole("glh", document.get("glh"), minimum=1),
        "tqt": check.whole("tqt", document.get("tqt"), minimum=1),
        "rule_of_combination": check.text("ruleOfCombination", document.get("ruleOfCombination"), required=False) or "",
        "source_url": check.text("sourceUrl", document.get("sourceUrl"), required=False) or "",
        "notes": check.text("notes", document.get("notes"), required=False) or "",
    }
    units = document.get("units") or []
    if not isinstance(units, list):
        check.problems.append("units: must be a list")
        units = []
    parsed = []
    for position, unit in enumerate(units, 1):
        where = f"units[{position - 1}]"
        if not isinstance(unit, dict):
            check.problems.append(f"{where}: must be an object")
            continue
        loaded = unit.get("loaded", True)
        mandatory = unit.get("mandatory")
        if not isinstance(loaded, bool):
            check.problems.append(f"{where}.loaded: must be true or false")
        if not isinstance(mandatory, bool):
            check.problems.append(f"{where}.mandatory: is required, true or false")
        title = check.text(f"{where}.title", unit.get("title"), required=loaded is True) or ""
        parsed.append(UnitData(
            position=position, title=title, mandatory=mandatory is True, loaded=loaded is True,
            credits=check.whole(f"{where}.credits", unit.get("credits"), minimum=1),
            level=check.whole(f"{where}.level", unit.get("level"), minimum=1),
        ))
    if check.problems:
        raise ImportProblem(check.problems)
    return fields, tuple(parsed)


@transaction.atomic
def import_qualification(document) -> VersionReport:
    """Create or update a qualification (by specification number) and its units, matched by place;
    a unit no longer listed is marked retired, never deleted."""
    fields, units = parse_qualification(document)
    qualification = Qualification.objects.filter(specification_number=fields["specification_number"]).first()
    created = qualification is None
    qualification = qualification or Qualification()
    for name, value in fields.items():
        setattr(qualification, name, value)
    qualification.imported_at = timezone.now()
    qualification.full_clean()
    qualification.save()
    report = VersionReport(label=str(qualification), created=created)
    existing = {unit.position: unit for unit in qualification.units.all()}
    for data in units:
        unit = existing.pop(data.position, None)
        values = {"title": data.title, "credits": data.credits, "level": data.level, "mandatory": data.mandatory,
                  "loaded": data.loaded, "retired": False}
        code = data.title or f"unit {data.position} (not loaded)"
        if unit is None:
            unit = QualificationUnit(qualification=qualification, position=data.position, **values)
            unit.full_clean()
            unit.save()
            report.rows.append(RowReport(ADDED, code, unit.pk))
            continue
        changed = any(getattr(unit, name) != value for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(unit, name, value)
            unit.full_clean()
            unit.save()
        report.rows.append(RowReport(UPDATED if changed else UNCHANGED, code, unit.pk, matched_by="position",
                                     previous_code=code))
    for unit in existing.values():
        if not unit.retired:
            unit.retired = True
            unit.save(update_fields=["retired"])
            report.rows.append(RowReport(RETIRED, unit.title or f"unit {unit.position}", unit.pk))
    return report


def import_qualification_file(path: str | Path) -> VersionReport:
    return import_qualification(read_json(path))


def load_snapshots() -> tuple[list[VersionReport], list[VersionReport]]:
    """The checked-in snapshots (ST0007; the Level 4 Diplomas) for seed_demo and tests: only the versions and
    qualifications not yet held, so a later official import is never overwritten by the snapshot's own codes.
    Running it again changes nothing."""
    standards = []
    for path in STANDARD_SNAPSHOTS:
        document = read_json(path)
        missing = [entry for entry in (document if isinstance(document, list) else [document])
                   if not StandardVersion.objects.filter(standard__reference=entry.get("referenceNumber"),
                                                         version=_version_text(entry.get("version"))).exists()]
        if missing:
            standards += import_standards(missing)
    qualifications = []
    for path in QUALIFICATION_SNAPSHOTS:
        document = read_json(path)
        if not Qualification.objects.filter(specification_number=document.get("specificationNumber")).exists():
            qualifications.append(import_qualification(document))
    return standards, qualifications
