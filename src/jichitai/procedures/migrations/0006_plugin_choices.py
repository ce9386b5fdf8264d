import jichitai.procedures.registry
from django.db import migrations, models


def choices_from_settings(apps, schema_editor):
    """Procedures that needed a signature used the CMS check; procedures with a fee offered the
    online gateway (whenever it was configured)."""
    Procedure = apps.get_model("procedures", "Procedure")
    Procedure.objects.filter(needs_signature=True).update(signature_check="cms")
    Procedure.objects.exclude(fee_kind="none").update(payment_method="gateway")


def settings_from_choices(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    Procedure.objects.exclude(signature_check="").update(needs_signature=True)


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0005_idempotency_key_per_procedure"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="signature_check",
            field=models.CharField(
                blank=True,
                choices=jichitai.procedures.registry.signature_check_choices,
                help_text="マイナンバーカードなどの電子証明書による署名付きで受け付けるときの検証方式。空欄なら署名は不要です。",
                max_length=32,
                verbose_name="電子署名",
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="payment_method",
            field=models.CharField(
                blank=True,
                choices=jichitai.procedures.registry.payment_method_choices,
                help_text="空欄なら登録されている最初のオンライン納付の方法を使います。",
                max_length=32,
                verbose_name="オンライン納付",
            ),
        ),
        migrations.RunPython(choices_from_settings, settings_from_choices),
        migrations.RemoveField(model_name="procedure", name="needs_signature"),
    ]
