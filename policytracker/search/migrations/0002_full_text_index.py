from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from policytracker.search.engines import STATEMENTS


def run(direction):
    def operation(apps, schema_editor):
        forwards, backwards = STATEMENTS.get(schema_editor.connection.vendor, ((), ()))
        for statement in forwards if direction == "forwards" else backwards:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        # Runs on PostgreSQL only; the trigram index and fallback need it.
        TrigramExtension(),
        migrations.RunPython(run("forwards"), run("backwards")),
    ]
