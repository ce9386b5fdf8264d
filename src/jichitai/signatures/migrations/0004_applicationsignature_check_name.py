from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("signatures", "0003_applicationsignature_data_sha256"),
    ]

    operations = [
        # Every signature kept so far was verified by the one applicant check there was, "cms".
        migrations.AddField(
            model_name="applicationsignature",
            name="check_name",
            field=models.CharField(default="cms", max_length=32, verbose_name="検証方式"),
            preserve_default=False,
        ),
    ]
