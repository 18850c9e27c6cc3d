"""Sources are search entries of their own, so that a document's text is indexed once.

On SQLite, adding the column and changing the check constraints rebuilds
search_searchentry, and the rebuilt table has none of the triggers of migrations 0002
(the full-text index) and 0003 (the index version): they are made again last, and the
full-text table read again from the rows. Undoing the migration rebuilds the table again,
so it ends the same way. On PostgreSQL the table is altered in place: its generated
search_vector column, its indexes and its trigger stay as they were.

Entries of sources are written by `rebuild_search_index`, which an upgraded site runs
once after this migration (it also drops the documents' text from records' entries).
"""

import django.db.models.deletion
from django.db import migrations, models

from policytracker.search.engines import RESTORE_STATEMENTS

RECORD_TYPES = ["jurisdiction", "agency", "ordinance", "agreement", "statement", "source"]


def one_record(record_type):
    """The row of the given type has its own record column set, and only that one."""
    return models.Q(
        record_type=record_type,
        **{f"{column}_record__isnull": column != record_type for column in RECORD_TYPES},
    )


def restore_triggers(apps, schema_editor):
    for statement in RESTORE_STATEMENTS.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


def delete_source_entries(apps, schema_editor):
    """Before undoing: the old constraints allow no entry of a source."""
    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchEntry.objects.using(schema_editor.connection.alias).filter(
        record_type="source"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_sources_through_citations"),
        ("jurisdictions", "0005_sources_through_citations"),
        ("policytracker", "0008_source_drops_record_columns"),
        ("search", "0004_drop_duplicate_indexes"),
    ]

    operations = [
        # Undone last: the triggers of the table as SQLite rebuilt it on the way back.
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.RemoveConstraint(model_name="searchentry", name="search_entry_type_valid"),
        migrations.RemoveConstraint(model_name="searchentry", name="search_entry_one_record"),
        migrations.AddField(
            model_name="searchentry",
            name="source_record",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="search_entry",
                to="policytracker.source",
            ),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="record_type",
            field=models.CharField(
                choices=[
                    ("jurisdiction", "Jurisdiction"),
                    ("agency", "Agency"),
                    ("ordinance", "Ordinance"),
                    ("agreement", "Agreement"),
                    ("statement", "Statement"),
                    ("source", "Source"),
                ],
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="slug",
            field=models.SlugField(blank=True, max_length=120),
        ),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.CheckConstraint(
                condition=models.Q(record_type__in=RECORD_TYPES), name="search_entry_type_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.CheckConstraint(
                condition=models.Q(*map(one_record, RECORD_TYPES), _connector=models.Q.OR),
                name="search_entry_one_record",
            ),
        ),
        migrations.RunPython(restore_triggers, delete_source_entries),
    ]
