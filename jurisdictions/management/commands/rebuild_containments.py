from django.core.management.base import BaseCommand

from jurisdictions.models import Containment


class Command(BaseCommand):
    help = (
        "Rewrite which places lie within which from every place's parent (after a raw write "
        "that skipped Jurisdiction.save() and the importers)."
    )

    def handle(self, *args, **options):
        Containment.objects.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"{Containment.objects.count()} containments written.")
        )
