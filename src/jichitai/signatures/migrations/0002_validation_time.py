from django.db import migrations, models
from django.db.models import F


def receipt_from_verification(apps, schema_editor):
    # Signatures were verified while the application was being received: that moment is the
    # receipt, and what they were validated at is unknown, so the receipt stands for it.
    ApplicationSignature = apps.get_model("signatures", "ApplicationSignature")
    ApplicationSignature.objects.update(
        received_at=F("verified_at"), validation_time=F("verified_at")
    )


class Migration(migrations.Migration):
    dependencies = [("signatures", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="applicationsignature",
            name="received_at",
            field=models.DateTimeField(null=True, verbose_name="受信日時"),
        ),
        migrations.AddField(
            model_name="applicationsignature",
            name="validation_time",
            field=models.DateTimeField(null=True, verbose_name="検証の基準日時"),
        ),
        migrations.AddField(
            model_name="applicationsignature",
            name="timestamped",
            field=models.BooleanField(
                default=False, verbose_name="タイムスタンプで基準日時を確認"
            ),
        ),
        migrations.AddField(
            model_name="applicationsignature",
            name="rechecked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="再検証日時"),
        ),
        migrations.AddField(
            model_name="applicationsignature",
            name="recheck_passed",
            field=models.BooleanField(null=True, verbose_name="再検証の結果"),
        ),
        migrations.AddField(
            model_name="applicationsignature",
            name="recheck_message",
            field=models.CharField(
                blank=True, max_length=500, verbose_name="再検証の結果の説明"
            ),
        ),
        migrations.RunPython(receipt_from_verification, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="applicationsignature",
            name="received_at",
            field=models.DateTimeField(verbose_name="受信日時"),
        ),
        migrations.AlterField(
            model_name="applicationsignature",
            name="validation_time",
            field=models.DateTimeField(verbose_name="検証の基準日時"),
        ),
        migrations.AlterField(
            model_name="applicationsignature",
            name="signing_time",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="署名日時(署名者の申告)"
            ),
        ),
    ]
