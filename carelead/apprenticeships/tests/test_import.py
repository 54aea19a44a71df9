"""The import commands: fresh, again (nothing changes), official codes replacing carelead's in place
(same primary keys), retiring, and bad files changing nothing."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from carelead.apprenticeships import importer
from carelead.apprenticeships.importer import STANDARD_SNAPSHOTS, ImportProblem, import_standards, parse_standards
from carelead.apprenticeships.models import (
    FundingStatus, Ksb, KsbKind, Qualification, QualificationUnit, StandardVersion, Theme,
)

pytestmark = pytest.mark.django_db

SNAPSHOT = STANDARD_SNAPSHOTS[0]


def snapshot() -> list[dict]:
    return json.loads(SNAPSHOT.read_text())


def run(command: str, path) -> str:
    out = StringIO()
    call_command(command, str(path), stdout=out)
    return out.getvalue()


def state() -> list[tuple]:
    """Everything the imports write, to compare before and after."""
    return ([tuple(row) for row in StandardVersion.objects.values_list(
                "pk", "version", "funding_status", "typical_duration_months", "earliest_start_date")]
            + [tuple(row) for row in Ksb.objects.values_list("pk", "code", "text", "theme", "carelead_code", "retired")]
            + [tuple(row) for row in QualificationUnit.objects.values_list("pk", "title", "mandatory", "retired")])


def write(tmp_path, document, name="file.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_a_fresh_import_loads_both_versions_with_carelead_codes_by_theme():
    output = run("import_standard", SNAPSHOT)
    assert "ST0007 v1.0: created; 45 added" in output and "ST0007 v1.1: created; 45 added" in output
    version = StandardVersion.objects.get(standard__reference="ST0007", version="1.1")
    assert version.standard.title == "Lead practitioner in adult care" and version.standard.level == 4
    ksbs = version.ksbs.all()
    assert {kind: ksbs.filter(kind=kind).count() for kind in KsbKind.values} == {
        "knowledge": 13, "skill": 26, "behaviour": 6}
    assert all(ksb.carelead_code and ksb.code.startswith("CL-") for ksb in ksbs)
    assert set(ksbs.exclude(kind=KsbKind.BEHAVIOUR).values_list("theme", flat=True)) == set(Theme.values) - {
        Theme.BEHAVIOURS}  # all six themes of §1.2
    assert ksbs.get(code="CL-B3").text.startswith("Courage")
    assert ksbs.get(code="CL-S1").text == "Applying professional judgement, standards and codes of practice relevant to the role"


def test_importing_the_same_file_again_changes_nothing():
    run("import_standard", SNAPSHOT)
    before = state()
    output = run("import_standard", SNAPSHOT)
    assert state() == before
    assert "0 added, 0 updated, 45 unchanged, 0 retired" in output
    assert "  unchanged  CL-K1 (matched by code)" in output


def official(version: dict) -> dict:
    """The version as the official API might give it: codes K1..., no themes, some statements moved or changed."""
    entry = {key: value for key, value in version.items() if key not in ("carelead", "knowledges", "skills",
                                                                         "behaviours")}
    knowledge = [item["detail"] for item in version["knowledges"]]
    knowledge[0], knowledge[1] = knowledge[1], knowledge[0]  # listed the other way round: matched by text
    knowledge[2] = "Principles of assessment, and of outcomes, in adult social care"  # reworded: matched by place
    entry["knowledges"] = [f"K{n}: {text}" for n, text in enumerate(knowledge[:12], 1)]  # the 13th is gone
    entry["skills"] = [{"detail": item["detail"].upper()} for item in version["skills"]]  # no codes: S1... by place
    entry["behaviours"] = [{"code": f"B{n}", "detail": item["detail"]} for n, item in enumerate(version["behaviours"], 1)]
    entry["behaviours"].append({"code": "B7", "detail": "A behaviour added in the official list"})
    entry["minimumHoursForCompliance"] = "400"
    return entry


def test_official_codes_replace_carelead_codes_in_the_same_rows(tmp_path):
    run("import_standard", SNAPSHOT)
    version = StandardVersion.objects.get(version="1.1")
    pks = dict(version.ksbs.values_list("code", "pk"))
    output = run("import_standard", write(tmp_path, official(snapshot()[1])))

    def row(code):
        return version.ksbs.get(code=code)

    assert row("K1").pk == pks["CL-K2"] and row("K2").pk == pks["CL-K1"]  # matched by text, codes swapped
    assert row("K3").pk == pks["CL-K3"] and row("K3").text.startswith("Principles of assessment, and")
    assert row("S26").pk == pks["CL-S26"] and not row("S26").carelead_code
    assert row("B1").pk == pks["CL-B1"] and row("B1").theme == Theme.BEHAVIOURS
    assert row("B7").pk not in pks.values()
    assert row("K4").theme == ""  # the official list has no themes
    assert "  updated    CL-K2 -> K1 (matched by text)" in output
    assert "  updated    CL-K3 -> K3 (matched by position)" in output
    assert "  added      B7" in output
    assert "  retired    CL-K13 (kept, marked retired)" in output
    assert "1 added, 44 updated, 0 unchanged, 1 retired" in output
    version.refresh_from_db()
    assert version.minimum_otj_hours == 400
    assert version.funding_status == FundingStatus.CLOSED_TO_NEW_FUNDED_STARTS  # official data does not reset it
    assert StandardVersion.objects.get(version="1.0").ksbs.filter(carelead_code=True).count() == 45  # untouched


def test_a_ksb_missing_from_the_new_list_is_retired_never_deleted(tmp_path):
    run("import_standard", SNAPSHOT)
    count = Ksb.objects.count()
    gone = Ksb.objects.get(version__version="1.1", code="CL-K13")
    run("import_standard", write(tmp_path, official(snapshot()[1])))
    gone.refresh_from_db()
    assert gone.retired and gone.code == "CL-K13"
    assert Ksb.objects.count() == count + 1  # one added, none deleted
    # Importing it again brings nothing back and retires nothing twice
    output = run("import_standard", write(tmp_path, official(snapshot()[1])))
    assert "0 added, 0 updated, 45 unchanged, 0 retired" in output


def test_a_file_that_is_not_json_is_refused_and_changes_nothing(tmp_path):
    run("import_standard", SNAPSHOT)
    before = state()
    path = tmp_path / "broken.json"
    path.write_text('{"referenceNumber": "ST0007", ')
    with pytest.raises(CommandError, match="(?s)Nothing was imported.*not valid JSON"):
        run("import_standard", path)
    assert state() == before


def test_one_bad_field_anywhere_refuses_the_whole_file_naming_each_problem(tmp_path):
    run("import_standard", SNAPSHOT)
    before = state()
    document = snapshot()
    document[0]["typicalDuration"] = 24  # a good change in the first version...
    document[1]["earliestStartDate"] = "31/07/2025"  # ...and bad ones in the second
    document[1]["skills"][2]["detail"] = " "
    with pytest.raises(CommandError) as error:
        run("import_standard", write(tmp_path, document))
    assert "ST0007 v1.1.earliestStartDate: must be a date as YYYY-MM-DD" in str(error.value)
    assert "ST0007 v1.1.skills[2].detail: is required" in str(error.value)
    assert state() == before


def test_a_failure_while_writing_rolls_back_the_versions_already_written(monkeypatch):
    apply = importer._apply_version
    calls = []

    def failing(data, now):
        calls.append(data.version)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return apply(data, now)

    monkeypatch.setattr(importer, "_apply_version", failing)
    with pytest.raises(RuntimeError):
        import_standards(snapshot())
    assert calls == ["1.0", "1.1"]
    assert not StandardVersion.objects.exists() and not Ksb.objects.exists()


@pytest.mark.parametrize(("change", "problem"), [
    ({"referenceNumber": None}, "[0].referenceNumber: is required"),
    ({"version": "one"}, "[0].version: is required, as a number such as 1.1"),
    ({"level": 0}, "level: must be a whole number of at least 1"),
    ({"minimumHoursForCompliance": "0"}, "minimumHoursForCompliance: must be more than 0"),
    ({"minimumHoursForCompliance": "lots"}, "minimumHoursForCompliance: must be a number of hours"),
    ({"earliestStartDate": "2025-08-01", "latestStartDate": "2025-07-31"}, "latestStartDate: must not be before"),
    ({"knowledges": [{"code": "S1", "detail": "a skill code on knowledge"}]}, "knowledges[0].code: 'S1' must be K"),
    ({"knowledges": ["K1: one", "K1: two"]}, "knowledges[1].code: K1 is used twice"),
    ({"skills": [{"detail": "x", "theme": "cooking"}]}, "skills[0].theme: 'cooking' is not one of"),
    ({"carelead": {"fundingStatus": "free"}}, "carelead.fundingStatus: must be one of"),
])
def test_each_bad_value_is_named(change, problem):
    document = {**copy.deepcopy(snapshot()[0]), **change}
    with pytest.raises(ImportProblem) as error:
        parse_standards(document)
    assert any(problem in line for line in error.value.problems), error.value.problems


def test_a_single_official_version_object_is_accepted_and_datetimes_read_as_dates():
    document = official(snapshot()[1]) | {"version": 1.2, "earliestStartDate": "2025-12-01T00:00:00",
                                          "status": "Approved for delivery"}
    run("import_standard", SNAPSHOT)
    reports = import_standards(document)
    assert [report.label for report in reports] == ["ST0007 v1.2"]
    version = StandardVersion.objects.get(version="1.2")
    assert str(version.earliest_start_date) == "2025-12-01"
    # A new version takes the standard's funding status until data says otherwise
    assert version.funding_status == FundingStatus.CLOSED_TO_NEW_FUNDED_STARTS
    assert version.ksbs.get(code="K1").text.startswith("Theories")


def test_an_official_withdrawn_status_marks_the_version_withdrawn():
    [data] = parse_standards(official(snapshot()[1]) | {"status": "Withdrawn"})
    assert data.funding_status == FundingStatus.WITHDRAWN


# --- Qualifications ---

def test_qualifications_import_with_their_figures_and_units():
    for path in importer.QUALIFICATION_SNAPSHOTS:
        run("import_qualification", path)
    ncfe = Qualification.objects.get(specification_number="603/2614/1")
    assert (ncfe.awarding_organisation, ncfe.level, ncfe.credits, ncfe.glh, ncfe.tqt) == ("NCFE", 4, 70, 514, 700)
    assert "36" in ncfe.rule_of_combination and "55 credits at Level 4" in ncfe.rule_of_combination
    cg = Qualification.objects.get(specification_number="4222-34")
    units = list(cg.units.all())
    assert len(units) == 12 and all(unit.mandatory for unit in units)
    assert [unit.loaded for unit in units[-2:]] == [False, False] and units[-1].title == ""
    assert units[1].title == "Advanced communication skills"


def test_a_qualification_reimport_matches_units_by_place_and_retires_the_rest(tmp_path):
    path = importer.QUALIFICATION_SNAPSHOTS[1]
    run("import_qualification", path)
    before = state()
    assert "0 added, 0 updated, 12 unchanged, 0 retired" in run("import_qualification", path)
    assert state() == before
    document = json.loads(path.read_text())
    document["units"] = document["units"][:10]
    document["units"][0]["credits"] = 3
    output = run("import_qualification", write(tmp_path, document))
    assert "0 added, 1 updated, 9 unchanged, 2 retired" in output
    assert QualificationUnit.objects.filter(retired=True).count() == 2
    assert QualificationUnit.objects.count() == 12


def test_a_bad_qualification_file_names_each_problem_and_changes_nothing(tmp_path):
    document = {"title": "Q", "awardingOrganisation": "AO", "level": 4,
                "units": [{"title": "", "mandatory": True}, {"title": "Unit", "mandatory": "yes"}]}
    with pytest.raises(CommandError) as error:
        run("import_qualification", write(tmp_path, document))
    message = str(error.value)
    assert "specificationNumber: is required" in message
    assert "units[0].title: is required" in message
    assert "units[1].mandatory: is required, true or false" in message
    assert not Qualification.objects.exists()
