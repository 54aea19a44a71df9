"""Needs assessments, capacity assessments and DoLS applications carry the person's location, so
the location status page counts each by one index range scan instead of joining through people
(issue 4, docs/benchmarks.md). Added nullable, filled from the person, then made required; the
indexes that served the cross-location counts give way to ones led by location."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_location(apps, schema_editor):
    """One UPDATE per table: each record's location is its person's."""
    Person = apps.get_model("people", "Person")
    persons_location = Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("location_id")[:1])
    for name in ("NeedsAssessment", "CapacityAssessment", "DolsApplication"):
        apps.get_model("assessments", name).objects.filter(location__isnull=True).update(location=persons_location)
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign keys now: PostgreSQL refuses the ALTER TABLE below while checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def _location(*, null: bool) -> models.ForeignKey:
    return models.ForeignKey(blank=True, db_index=False, editable=False, null=null,
                             on_delete=django.db.models.deletion.PROTECT, related_name="+",
                             to="organisations.location")


MODELS = ("needsassessment", "capacityassessment", "dolsapplication")


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0005_dols_version"),
        ("organisations", "0002_plan_review_interval"),
        ("people", "0003_person_name_trigram_indexes"),
    ]

    operations = [
        *[migrations.AddField(model_name=name, name="location", field=_location(null=True)) for name in MODELS],
        migrations.RunPython(fill_location, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name, name="location", field=_location(null=False)) for name in MODELS],
        migrations.RemoveIndex(model_name="dolsapplication", name="assessments_status_250a28_idx"),
        migrations.RemoveIndex(model_name="needsassessment", name="assessments_status_c892bc_idx"),
        migrations.AddIndex(
            model_name="capacityassessment",
            index=models.Index(fields=["location", "review_on"], name="assessments_locatio_d1d5a5_idx"),
        ),
        migrations.AddIndex(
            model_name="dolsapplication",
            index=models.Index(fields=["location", "status", "authorised_until"],
                               name="assessments_locatio_4340ab_idx"),
        ),
        migrations.AddIndex(
            model_name="needsassessment",
            index=models.Index(fields=["location", "status", "review_on"], name="assessments_locatio_4796a7_idx"),
        ),
    ]
