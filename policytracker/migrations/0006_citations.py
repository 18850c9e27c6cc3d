"""Citations: the link between a record and a source, with its own excerpt, place and note.

Migration 0007 fills them from the sources; 0008 then drops the sources' own record columns."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Editors cite sources in the records they write; Reviewers may also remove a citation.
EDITORS = ["add_citation", "change_citation", "view_citation"]
REVIEWERS = [*EDITORS, "delete_citation"]


def let_staff_cite(apps, schema_editor):
    app_config = apps.get_app_config("policytracker")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Reviewers", REVIEWERS)):
        permissions = Permission.objects.filter(
            content_type__app_label="policytracker", codename__in=codenames
        )
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_importer_fields_history"),
        ("jurisdictions", "0004_importer_fields_history"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("policytracker", "0005_review_flags"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Citation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "locator",
                    models.CharField(
                        blank=True,
                        help_text="A page, section or row: where in the document the fact is.",
                        max_length=200,
                        verbose_name="where in it",
                    ),
                ),
                (
                    "excerpt",
                    models.TextField(
                        blank=True,
                        help_text="The passage, quoted exactly, that supports the record.",
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, help_text="Anything a reader should know about this citation."
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "citation",
                "verbose_name_plural": "citations",
                "ordering": [
                    models.OrderBy(models.F("source__published_on"), nulls_last=True),
                    "source__title",
                    "source_id",
                    "pk",
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCitation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "locator",
                    models.CharField(
                        blank=True,
                        help_text="A page, section or row: where in the document the fact is.",
                        max_length=200,
                        verbose_name="where in it",
                    ),
                ),
                (
                    "excerpt",
                    models.TextField(
                        blank=True,
                        help_text="The passage, quoted exactly, that supports the record.",
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, help_text="Anything a reader should know about this citation."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="created"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="updated"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                        max_length=1,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical citation",
                "verbose_name_plural": "historical citations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="citation",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="citations",
                to="jurisdictions.agency",
            ),
        ),
        migrations.AddField(
            model_name="citation",
            name="agreement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="citations",
                to="agreements.agreement",
            ),
        ),
        migrations.AddField(
            model_name="citation",
            name="jurisdiction",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="citations",
                to="jurisdictions.jurisdiction",
            ),
        ),
        migrations.AddField(
            model_name="citation",
            name="ordinance",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="citations",
                to="jurisdictions.ordinance",
            ),
        ),
        migrations.AddField(
            model_name="citation",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="citations",
                to="policytracker.source",
            ),
        ),
        migrations.AddField(
            model_name="citation",
            name="statement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="citations",
                to="agreements.statement",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="jurisdictions.agency",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="agreement",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="agreements.agreement",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="jurisdiction",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="jurisdictions.jurisdiction",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="ordinance",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="jurisdictions.ordinance",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="policytracker.source",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="statement",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="agreements.statement",
            ),
        ),
        migrations.AddConstraint(
            model_name="citation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("agency__isnull", True),
                        ("agreement__isnull", True),
                        ("jurisdiction__isnull", False),
                        ("ordinance__isnull", True),
                        ("statement__isnull", True),
                    ),
                    models.Q(
                        ("agency__isnull", False),
                        ("agreement__isnull", True),
                        ("jurisdiction__isnull", True),
                        ("ordinance__isnull", True),
                        ("statement__isnull", True),
                    ),
                    models.Q(
                        ("agency__isnull", True),
                        ("agreement__isnull", True),
                        ("jurisdiction__isnull", True),
                        ("ordinance__isnull", False),
                        ("statement__isnull", True),
                    ),
                    models.Q(
                        ("agency__isnull", True),
                        ("agreement__isnull", False),
                        ("jurisdiction__isnull", True),
                        ("ordinance__isnull", True),
                        ("statement__isnull", True),
                    ),
                    models.Q(
                        ("agency__isnull", True),
                        ("agreement__isnull", True),
                        ("jurisdiction__isnull", True),
                        ("ordinance__isnull", True),
                        ("statement__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="citation_cites_exactly_one_record",
            ),
        ),
        migrations.RunPython(let_staff_cite, migrations.RunPython.noop),
    ]
