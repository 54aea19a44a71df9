# Adds ApiToken.public_id in three steps (nullable, fill, unique), as Django's docs advise for
# a unique field on a table that may already hold rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
