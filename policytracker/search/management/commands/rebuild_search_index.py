from django.core.management.base import BaseCommand

from policytracker.search.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the search entry of every record and cited source (after a bulk load that "
        "skipped signals)."
    )

    def handle(self, *args, **options):
        counts = rebuild()
        for record_type, count in counts.items():
            self.stdout.write(f"{record_type}: {count} indexed")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} entries indexed."))
