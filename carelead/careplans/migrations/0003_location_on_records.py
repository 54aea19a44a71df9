"""Care plans, their sections and risk assessments carry the person's location, so the location
status page counts each by one index range scan instead of joining through people (issue 4,
docs/benchmarks.md). Added nullable, filled from the person (a section from its plan), then made
required; the indexes that served the cross-location counts give way to ones led by location."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_location(apps, schema_editor):
    """One UPDATE per table: each record's location is its person's; a section's is its plan's."""
    Person = apps.get_model("people", "Person")
    CarePlan = apps.get_model("careplans", "CarePlan")
    persons_location = Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("location_id")[:1])
    for name in ("CarePlan", "RiskAssessment"):
        apps.get_model("careplans", name).objects.filter(location__isnull=True).update(location=persons_location)
    plans_location = Subquery(CarePlan.objects.filter(pk=OuterRef("plan_id")).values("location_id")[:1])
    apps.get_model("careplans", "CarePlanSection").objects.filter(location__isnull=True).update(location=plans_location)
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign keys now: PostgreSQL refuses the ALTER TABLE below while checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def _location(*, null: bool) -> models.ForeignKey:
    return models.ForeignKey(blank=True, db_index=False, editable=False, null=null,
                             on_delete=django.db.models.deletion.PROTECT, related_name="+",
                             to="organisations.location")


MODELS = ("careplan", "careplansection", "riskassessment")


class Migration(migrations.Migration):

    dependencies = [
        ("careplans", "0002_care_plans"),
        ("organisations", "0002_plan_review_interval"),
        ("people", "0003_person_name_trigram_indexes"),
    ]

    operations = [
        *[migrations.AddField(model_name=name, name="location", field=_location(null=True)) for name in MODELS],
        migrations.RunPython(fill_location, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name, name="location", field=_location(null=False)) for name in MODELS],
        migrations.RemoveIndex(model_name="careplan", name="careplans_c_status_e8a099_idx"),
        migrations.RemoveIndex(model_name="careplansection", name="careplans_c_review__fc556a_idx"),
        migrations.AddIndex(
            model_name="careplan",
            index=models.Index(fields=["location", "status", "review_on"], name="careplans_c_locatio_0d795a_idx"),
        ),
        migrations.AddIndex(
            model_name="careplansection",
            index=models.Index(fields=["location", "review_on"], name="careplans_c_locatio_207f98_idx"),
        ),
        migrations.AddIndex(
            model_name="riskassessment",
            index=models.Index(fields=["location", "status", "review_on"], name="careplans_r_locatio_051588_idx"),
        ),
    ]
