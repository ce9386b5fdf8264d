from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("signatures", "0004_applicationsignature_check_name"),
    ]

    operations = [
        # Results kept before are read from their summary, as they were written.
        migrations.AddField(
            model_name="attachmentsignature",
            name="verdict",
            field=models.CharField(blank=True, max_length=40),
        ),
    ]
