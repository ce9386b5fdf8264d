"""The public catalog newest first and its size from one partial index (``Dataset.Meta``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("opendata", "0006_catalog_version_title_keys")]

    operations = [
        migrations.AddIndex(
            model_name="dataset",
            index=models.Index(
                fields=["-modified_at", "id"],
                condition=models.Q(private=False, deleted_at__isnull=True),
                name="opendata_public_newest",
            ),
        ),
    ]
