from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0013_application_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="language",
            field=models.CharField(default="ja", max_length=8, verbose_name="一時保存の言語"),
        ),
    ]
