"""A readable difference between two versions of a care plan (pure: plain dicts in, Changes out).

Compares two snapshots written by `plan_services.snapshot`:
    {"plan": {field: value, ...},
     "sections": [{"id", "title", "area", "assessed_need", "strengths", "outcome", "review_on",
                   "actions": [{"id", "what", "who", "when", "how"}], "risks": [{"id", "title"}]}]}
Sections, actions and risks are matched by their public id, so a renamed section is "changed", not
"removed and added". Text is compared word by word (difflib), so a reader sees exactly which words
went and which came, marked as deleted or inserted, not only by colour.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

PLAN_FIELDS = {
    "summary": "What matters most to the person",
    "person_involvement": "How the person was involved",
    "agreement": "The person's agreement",
    "agreement_notes": "Why, or who agreed on the person's behalf",
    "review_interval_days": "Review every (days)",
    "resident_of_the_day": "Resident of the day",
    "review_on": "Plan review date",
    "last_reviewed_on": "Last reviewed",
}
SECTION_FIELDS = {
    "title": "Title",
    "area": "Area",
    "assessed_need": "Assessed need",
    "strengths": "Strengths",
    "outcome": "The outcome the person wants",
    "review_on": "Section review date",
}
ACTION_FIELDS = {"what": "What", "who": "Who", "when": "When", "how": "How"}
ADDED, REMOVED, CHANGED, LINKED, UNLINKED = "added", "removed", "changed", "linked", "unlinked"
SAME, DELETED, INSERTED = "same", "deleted", "inserted"
_WORDS = re.compile(r"^\s+|\S+\s*")  # each word with the space after it


@dataclass(frozen=True)
class Change:
    """One difference: `kind` happened to `what` (a field, section, action or risk) in `where`."""

    kind: str  # added, removed, changed, linked, unlinked
    where: str  # "The plan", or 'Section "Skin"'
    what: str  # a field's label, "Section", "Support action", "Risk"
    before: str = ""
    after: str = ""
    words: tuple = field(default=())  # ((SAME | DELETED | INSERTED, text), ...) for a changed text

    @property
    def sentence(self) -> str:
        """The change in plain English, for screen readers, lists and the audit of a conflict."""
        if self.kind == CHANGED:
            return f"{self.where}: {self.what} changed"
        return f"{self.where}: {self.what} {self.kind}: {self.after or self.before}"


def words(before: str, after: str) -> tuple:
    """Word-level edits turning `before` into `after`: runs of same, deleted and inserted text."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    matcher = difflib.SequenceMatcher(a=[word.strip() for word in old], b=[word.strip() for word in new],
                                      autojunk=False)
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":  # the words match whatever the spacing: shown as the new text has them
            runs.append((SAME, "".join(new[j1:j2])))
            continue
        if op in ("delete", "replace"):
            runs.append((DELETED, "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            runs.append((INSERTED, "".join(new[j1:j2])))
    return tuple(runs)


def show(value) -> str:
    """A snapshot value as a reader sees it: ISO dates as "22 Nov 2026", none as "Not set"."""
    if value is None or value == "":
        return "Not set"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        day = date.fromisoformat(value)
        return f"{day.day} {day:%b %Y}"
    return str(value)


def _fields(old: dict, new: dict, labels: dict, where: str) -> list[Change]:
    changes = []
    for name, label in labels.items():
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        before_text, after_text = show(before), show(after)
        if before in (None, "") or after in (None, ""):  # all of it went, or all of it came
            runs = tuple(run for run in ((DELETED, before_text if before not in (None, "") else ""),
                                         (INSERTED, after_text if after not in (None, "") else "")) if run[1])
        else:
            runs = words(before_text, after_text)
        changes.append(Change(CHANGED, where, label, before_text, after_text, runs))
    return changes


def _by_id(rows: list[dict]) -> dict[str, dict]:
    return {row["id"]: row for row in rows}


def _action_text(action: dict) -> str:
    return " – ".join(part for part in (action.get("what", ""), action.get("who", ""), action.get("when", "")) if part)


def _actions(old: list[dict], new: list[dict], where: str) -> list[Change]:
    before, after = _by_id(old), _by_id(new)
    changes = [Change(REMOVED, where, "Support action", before=_action_text(row))
               for key, row in before.items() if key not in after]
    for number, (key, row) in enumerate(after.items(), start=1):
        if key not in before:
            changes.append(Change(ADDED, where, "Support action", after=_action_text(row)))
        else:
            changes += _fields(before[key], row, ACTION_FIELDS, f"{where}, support action {number}")
    return changes


def _risks(old: list[dict], new: list[dict], where: str) -> list[Change]:
    before, after = _by_id(old), _by_id(new)
    return ([Change(UNLINKED, where, "Risk", before=row["title"]) for key, row in before.items() if key not in after]
            + [Change(LINKED, where, "Risk", after=row["title"]) for key, row in after.items() if key not in before])


def _section(old: dict, new: dict) -> list[Change]:
    where = f'Section "{new["title"]}"'
    return (_fields(old, new, SECTION_FIELDS, where) + _actions(old.get("actions", []), new.get("actions", []), where)
            + _risks(old.get("risks", []), new.get("risks", []), where))


def compare(old: dict, new: dict) -> list[Change]:
    """Every difference from snapshot `old` to snapshot `new`: the plan's fields first, then the
    sections in the new plan's order, then the sections removed."""
    changes = _fields(old.get("plan", {}), new.get("plan", {}), PLAN_FIELDS, "The plan")
    before, after = _by_id(old.get("sections", [])), _by_id(new.get("sections", []))
    for key, section in after.items():
        if key in before:
            changes += _section(before[key], section)
        else:
            changes.append(Change(ADDED, f'Section "{section["title"]}"', "Section", after=section["title"]))
    changes += [Change(REMOVED, f'Section "{section["title"]}"', "Section", before=section["title"])
                for key, section in before.items() if key not in after]
    return changes
