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
