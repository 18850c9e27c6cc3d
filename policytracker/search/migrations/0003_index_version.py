import uuid

from django.db import migrations, models

from policytracker.search.engines import VERSION_STATEMENTS


def create_version(apps, schema_editor):
    IndexVersion = apps.get_model("search", "IndexVersion")
    IndexVersion.objects.using(schema_editor.connection.alias).create(token=uuid.uuid4().hex)
    forwards, _ = VERSION_STATEMENTS.get(schema_editor.connection.vendor, ((), ()))
    for statement in forwards:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    _, backwards = VERSION_STATEMENTS.get(schema_editor.connection.vendor, ((), ()))
    for statement in backwards:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={"verbose_name": "search index version"},
        ),
        migrations.RunPython(create_version, drop_triggers),
    ]
