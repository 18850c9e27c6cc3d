from django.core.management.base import BaseCommand

from policytracker.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo records taken from the project's seed documents, each with its source. "
        "Idempotent: a second run changes nothing."
    )

    def handle(self, *args, **options):
        stats = load_demo()
        for what, count in sorted(stats.items()):
            self.stdout.write(f"{what}: {count}")
        changed = sum(n for key, n in stats.items() if not key.endswith("unchanged"))
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded: {changed} rows created or updated.")
        )
