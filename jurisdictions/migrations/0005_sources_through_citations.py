"""Records name the documents they cite through their citations (state only: no column)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jurisdictions", "0004_importer_fields_history"),
        ("policytracker", "0006_citations"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="sources",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                through="policytracker.Citation",
                to="policytracker.source",
            ),
        ),
        migrations.AddField(
            model_name="jurisdiction",
            name="sources",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                through="policytracker.Citation",
                to="policytracker.source",
            ),
        ),
        migrations.AddField(
            model_name="ordinance",
            name="sources",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                through="policytracker.Citation",
                to="policytracker.source",
            ),
        ),
    ]
