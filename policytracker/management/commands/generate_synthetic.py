import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from policytracker.synthetic import (
    BATCH_SIZE,
    MINIMUM_RECORDS,
    DatabaseNotEmpty,
    generate,
    record_counts,
)


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic, published dataset of N records (places, "
        "agencies, ordinances, agreements, statements) and their sources, for benchmarks. "
        "Deterministic for a seed. Refuses to run on a database that holds any record."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--records",
            type=int,
            required=True,
            help=f"How many records in all (at least {MINIMUM_RECORDS}); sources come on top.",
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, records, seed, batch_size, **options):
        if records < MINIMUM_RECORDS:
            raise CommandError(f"--records must be at least {MINIMUM_RECORDS}.")
        planned = ", ".join(f"{count} {name}" for name, count in record_counts(records).items())
        self.stdout.write(f"Generating {records} records (seed {seed}): {planned}.")
        started = time.perf_counter()
        try:
            made = generate(records=records, seed=seed, batch_size=batch_size)
        except DatabaseNotEmpty as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        # The records first, in the order they were made; their sources last.
        for what, count in sorted(
            made.items(), key=lambda item: item[0] in ("sources", "citations")
        ):
            self.stdout.write(f"{what}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Synthetic data generated in {elapsed:.1f} s."))

        # bulk_create sends no signals, so the search index did not follow the inserts.
        if "rebuild_search_index" in get_commands():
            started = time.perf_counter()
            call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)
            elapsed = time.perf_counter() - started
            self.stdout.write(self.style.SUCCESS(f"Search index rebuilt in {elapsed:.1f} s."))
        else:
            self.stdout.write(
                "Note: no rebuild_search_index command; the search index (if any) does not "
                "include these records."
            )

        # Fresh tables have no planner statistics until autovacuum gets round to them, and
        # without them PostgreSQL picked plans 40 times slower for filtered searches.
        # Both PostgreSQL and SQLite understand a bare ANALYZE.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Planner statistics updated (ANALYZE) in {elapsed:.1f} s.")
