from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0014_draft_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="emailverification",
            name="language",
            field=models.CharField(default="ja", max_length=8, verbose_name="確認メールの言語"),
        ),
    ]
