"""Sources are documents: their record columns and excerpt now live on citations (0007)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("policytracker", "0007_sources_as_documents"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalsource",
            name="agency",
        ),
        migrations.RemoveField(
            model_name="historicalsource",
            name="agreement",
        ),
        migrations.RemoveField(
            model_name="historicalsource",
            name="excerpt",
        ),
        migrations.RemoveField(
            model_name="historicalsource",
            name="jurisdiction",
        ),
        migrations.RemoveField(
            model_name="historicalsource",
            name="ordinance",
        ),
        migrations.RemoveField(
            model_name="historicalsource",
            name="statement",
        ),
        migrations.RemoveField(
            model_name="source",
            name="agency",
        ),
        migrations.RemoveField(
            model_name="source",
            name="agreement",
        ),
        migrations.RemoveField(
            model_name="source",
            name="excerpt",
        ),
        migrations.RemoveField(
            model_name="source",
            name="jurisdiction",
        ),
        migrations.RemoveField(
            model_name="source",
            name="ordinance",
        ),
        migrations.RemoveField(
            model_name="source",
            name="statement",
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="notes",
            field=models.TextField(
                blank=True,
                help_text="Anything a reader should know about the document as a whole.",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="notes",
            field=models.TextField(
                blank=True,
                help_text="Anything a reader should know about the document as a whole.",
            ),
        ),
    ]
