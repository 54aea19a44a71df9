import json
from io import StringIO

import pytest
from django.core.management import call_command

from carelead.apprenticeships.importer import STANDARD_SNAPSHOTS, import_standards, load_snapshots
from carelead.apprenticeships.models import Ksb, Qualification, StandardVersion

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_reference_data_once():
    call_command("seed_demo", stdout=StringIO())
    assert StandardVersion.objects.filter(standard__reference="ST0007").count() == 2
    assert Ksb.objects.count() == 90 and Qualification.objects.count() == 2
    stamps = list(StandardVersion.objects.values_list("imported_at", flat=True))
    call_command("seed_demo", stdout=StringIO())
    assert Ksb.objects.count() == 90 and Qualification.objects.count() == 2
    assert list(StandardVersion.objects.values_list("imported_at", flat=True)) == stamps  # not even re-stamped


def test_the_snapshot_never_overwrites_official_codes_imported_since():
    load_snapshots()
    version = json.loads(STANDARD_SNAPSHOTS[0].read_text())[1]
    official = {**version, "carelead": {}, "knowledges": [item["detail"] for item in version["knowledges"]],
                "skills": [item["detail"] for item in version["skills"]],
                "behaviours": [{"code": f"B{n}", "detail": item["detail"]} for n, item in
                               enumerate(version["behaviours"], 1)]}
    import_standards(official)
    assert load_snapshots() == ([], [])
    assert not StandardVersion.objects.get(version="1.1").ksbs.filter(carelead_code=True).exists()


def test_seed_demo_enrols_two_meadowbank_apprentices_with_the_academys_coaches_once():
    from carelead.apprenticeships.models import Apprenticeship
    from carelead.apprenticeships.selectors import apprenticeships_for
    from carelead.core.management.demo_apprenticeships import ACADEMY

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "coach@demo.carelead.test" in out.getvalue() and "coach2@demo.carelead.test" in out.getvalue()
    assert f"Skills coach ({ACADEMY})" in out.getvalue()
    apprenticeships = list(Apprenticeship.objects.select_related("coach", "apprentice", "employer"))
    assert {(a.apprentice.email, a.coach.email) for a in apprenticeships} == {
        ("senior@demo.carelead.test", "coach@demo.carelead.test"),
        ("homecare@demo.carelead.test", "coach2@demo.carelead.test")}
    coach = apprenticeships[0].coach
    assert set(apprenticeships_for(coach)) == {apprenticeships[0]}
    call_command("seed_demo", stdout=StringIO())
    assert Apprenticeship.objects.count() == 2
