import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone


def received_on_the_day_created(apps, schema_editor):
    """Batches scanned before 受付日 existed were received, as far as anyone recorded, on the day
    they were scanned."""
    Batch = apps.get_model("ocr", "Batch")
    for batch in Batch.objects.only("created_at").iterator():
        Batch.objects.filter(pk=batch.pk).update(
            received_on=timezone.localdate(batch.created_at)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ocr", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="batch",
            name="received_on",
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name="受付日"),
        ),
        migrations.RunPython(received_on_the_day_created, migrations.RunPython.noop),
    ]
