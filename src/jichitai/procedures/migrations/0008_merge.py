from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0007_application_indexes_written_by_every_submission"),
        ("procedures", "0007_form_imports"),
        ("procedures", "0007_processing_period_and_closed_days"),
    ]

    operations = []
