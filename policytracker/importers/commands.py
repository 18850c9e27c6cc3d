"""The management commands' shared shape: files in, a summary out, the same flags."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from policytracker.importers.base import ImportRefused, InputFile

COMMON_HELP = (
    " Idempotent: a second run of the same files changes nothing. Any rejected row makes "
    "the whole import write nothing, unless --skip-invalid is given: then the valid rows are "
    "written and the rejected ones listed. Everything runs in one transaction."
)


class ImportCommand(BaseCommand):
    importer_class = None

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = self.importer_class.help + COMMON_HELP
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="The files to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, then roll back: nothing is written.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the valid rows even when some are rejected (they are listed).",
        )
        parser.add_argument(
            "--encoding",
            default="utf-8",
            help="The text encoding of CSV files (default UTF-8; for example cp1252).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=(
                "Publish what the import writes, with the places and agencies they name, in "
                "bulk. Needs --user naming a Reviewer. Refused whole if one cites no source."
            ),
        )
        parser.add_argument(
            "--user",
            help="The username the history names as having made the import.",
        )
        parser.add_argument(
            "--list",
            type=int,
            default=50,
            help="How many rejected rows and notes to list (default 50; 0 for all).",
        )

    def importer_options(self, options):
        return {}

    def user(self, options):
        if options["user"] is None:
            if options["publish"]:
                raise CommandError("--publish needs --user: the Reviewer who publishes.")
            return None
        try:
            return get_user_model()._default_manager.get_by_natural_key(options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is named {options['user']!r}.") from None

    def handle(self, *args, **options):
        try:
            files = [InputFile.from_path(path) for path in options["files"]]
        except OSError as error:
            raise CommandError(f"Cannot read {error.filename}: {error.strerror}.") from None
        importer = self.importer_class(
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            encoding=options["encoding"],
            user=self.user(options),
            publish=options["publish"],
            **self.importer_options(options),
        )
        try:
            summary = importer.run(files)
        except ImportRefused as error:
            raise CommandError(f"Refused, nothing was written: {error}") from None
        for line in summary.lines(max_listed=options["list"] or None):
            self.stdout.write(line)
        self.stdout.write(f"({summary.seconds:.1f} s)")
        if summary.rejected and not summary.written and not options["dry_run"]:
            raise CommandError(f"{len(summary.rejected)} rows rejected; nothing was written.")
