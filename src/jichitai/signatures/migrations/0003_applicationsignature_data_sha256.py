from django.db import migrations, models


def fingerprint_unchanged_data(apps, schema_editor):
    """Signatures kept so far were verified over the data as first submitted. Where the
    application was corrected after its signature was verified, the data is no longer what was
    signed: those get no fingerprint and are shown as not covering the data."""
    from jichitai.signatures.canonical import data_sha256

    ApplicationSignature = apps.get_model("signatures", "ApplicationSignature")
    ApplicationEvent = apps.get_model("procedures", "ApplicationEvent")
    for signature in ApplicationSignature.objects.select_related("application").iterator():
        corrected = ApplicationEvent.objects.filter(
            application_id=signature.application_id,
            kind="resubmitted",
            at__gte=signature.verified_at,
        ).exists()
        if not corrected:
            signature.data_sha256 = data_sha256(signature.application.data)
            signature.save(update_fields=["data_sha256"])


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0004_application_purged_at"),
        ("signatures", "0002_validation_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationsignature",
            name="data_sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(fingerprint_unchanged_data, migrations.RunPython.noop),
    ]
