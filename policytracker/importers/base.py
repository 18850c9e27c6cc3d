"""What every importer shares: reading files, the summary, and writing in one transaction.

An importer reads its files whole, checks each row, and plans what to create and update,
keeping the records it needs in memory dicts (one query per table, not one per row). Then
it writes in batches through `write_created()` and `write_updated()`, the only two places
that write, so that history can later be recorded in one place.

The rules every importer follows:

- A file that cannot be read as the importer's kind (no rows, wrong columns, not UTF-8,
  not a spreadsheet) is refused whole: `ImportRefused`, with a message naming the problem.
- A row that cannot be imported is *rejected*, with its row number and the reason. Any
  rejected row makes the whole import write nothing, unless `skip_invalid` is set: then
  the good rows are written and the rejected ones listed. An importer that sets
  `keeps_good_rows` (ICE's sheet, where one typo must not hold back 800 good rows) writes
  the good rows and lists the rejected ones, always.
- A cell that cannot be read does not lose its row where the record can stand without it:
  the field is left unrecorded and *flagged for review* (`flag()`), with the cell's text and
  the reason, in the report and on the record in the admin ("needs review").
- Everything runs in one transaction. A dry run writes, then rolls back: the summary is
  what the real run would do, checked by the database's own constraints. An error half
  way leaves the database as it was.
- Running the same import twice changes nothing the second time: every row is unchanged.
- Records the importer creates start as drafts and cite the file they came from
  (one Source of kind dataset for the file, cited by each record with its row).
"""

import csv
import datetime
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from jurisdictions.models import Containment, Jurisdiction
from policytracker.models import (
    RAW_VALUE_MAX_LENGTH,
    Citation,
    PublicRecord,
    ReviewFlag,
    Source,
    SourceKind,
)
from policytracker.publication import records_publish_with_named

BATCH_SIZE = 1000
# Rows re-read at a time to write the history of updated records (within SQLite's limit).
HISTORY_BATCH_SIZE = 500
# Rows between two reports of progress (the callback itself writes at most once a second).
PROGRESS_EVERY = 200
# A file with more rows than this is refused before any is read into records.
MAX_ROWS = 200_000


class ImportRefused(Exception):
    """The file as a whole cannot be imported; nothing was written."""


class RowRejected(Exception):
    """One row cannot be imported; the message says why."""


@dataclass
class Summary:
    """What an import did, or would do: counts per record type and each rejected row."""

    importer: str
    files: list[str]
    dry_run: bool = False
    skip_invalid: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    # (file, row number, reason): row numbers count the header as row 1, as a spreadsheet does.
    rejected: list[tuple[str, int, str]] = field(default_factory=list)
    # Rows imported with a remark (a date read leniently, a place not found…); row 0 is a
    # remark on the file (a column it does not read).
    notes: list[tuple[str, int, str]] = field(default_factory=list)
    # (file, row, field, value as written, reason): imported, with that field unrecorded.
    flagged: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    keeps_good_rows: bool = False
    # Records published with the import (with the drafts they name), by type.
    published: Counter = field(default_factory=Counter)
    written: bool = False
    seconds: float = 0.0

    def as_report(self):
        """The summary as JSON-ready data (a background job keeps it), read back by
        `Summary.from_report()`."""
        return {
            "importer": self.importer,
            "files": list(self.files),
            "dry_run": self.dry_run,
            "skip_invalid": self.skip_invalid,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "rejected": [list(entry) for entry in self.rejected],
            "notes": [list(entry) for entry in self.notes],
            "flagged": [list(entry) for entry in self.flagged],
            "keeps_good_rows": self.keeps_good_rows,
            "published": dict(self.published),
            "written": self.written,
            "seconds": self.seconds,
        }

    @classmethod
    def from_report(cls, report):
        values = dict(report)
        for name in ("created", "updated", "unchanged", "published"):
            values[name] = Counter(values.get(name, {}))
        for name in ("rejected", "notes", "flagged"):
            values[name] = [tuple(entry) for entry in values.get(name, [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{name: value for name, value in values.items() if name in known})

    def counts(self):
        """What the import did to each record type, and how many rows it rejected: what a
        dry run and the import that confirms it are compared by."""
        return {"table": [list(row) for row in self.table], "rejected": len(self.rejected)}

    @property
    def record_types(self):
        seen = {}
        for counter in (self.created, self.updated, self.unchanged):
            seen.update(dict.fromkeys(counter))
        return list(seen)

    @property
    def table(self):
        """(record type, created, updated, unchanged) rows, for the admin page."""
        return [
            (name, self.created[name], self.updated[name], self.unchanged[name])
            for name in self.record_types
        ]

    @property
    def published_counts(self):
        """(record type, count) pairs, for the admin page (a Counter's .items would read as a
        key there)."""
        return list(self.published.items())

    @property
    def writes_good_rows(self):
        """Whether the good rows are written, whatever was rejected."""
        return not self.rejected or self.skip_invalid or self.keeps_good_rows

    @property
    def outcome(self):
        if self.written:
            return "Written."
        if not self.writes_good_rows:
            return (
                "Nothing was written: rows were rejected. Fix them, or import the valid rows "
                "only with --skip-invalid."
            )
        if self.dry_run:
            return "Dry run: nothing was written."
        return "Nothing was written."

    def lines(self, max_listed=None):
        """The summary as plain text lines, for a command's output and the admin page."""
        mode = " (dry run)" if self.dry_run else ""
        out = [f"{self.importer}{mode}: {', '.join(self.files)}"]
        for name in self.record_types:
            out.append(
                f"  {name}: {self.created[name]} created, {self.updated[name]} updated, "
                f"{self.unchanged[name]} unchanged"
            )
        out.append(f"  rejected rows: {len(self.rejected)}")
        out += listed(
            self.rejected, max_listed, lambda file, row, reason: f"{where(file, row)}: {reason}"
        )
        if self.flagged:
            out.append(
                f"  flagged for review (imported, the field left unrecorded): {len(self.flagged)}"
            )
            out += listed(
                self.flagged,
                max_listed,
                lambda file, row, name, value, reason: (
                    f"{where(file, row)}: {name} {value!r} not recorded: {reason}"
                ),
            )
        if self.published:
            counts = ", ".join(f"{count} {name}" for name, count in self.published.items())
            out.append(f"  published, with the drafts they name: {counts}")
        if self.notes:
            out.append(f"  notes: {len(self.notes)}")
            out += listed(
                self.notes, max_listed, lambda file, row, text: f"{where(file, row)}: {text}"
            )
        out.append(self.outcome)
        return out


def where(file, row):
    """ "list.csv row 12", or the file alone for a remark on the whole file (row 0)."""
    return f"{file} row {row}" if row else file


def listed(entries, most, line):
    """Indented lines for the first `most` entries (all for None), and how many were left."""
    out = [f"    {line(*entry)}" for entry in entries[:most]]
    if most is not None and len(entries) > most:
        out.append(f"    … and {len(entries) - most} more")
    return out


@dataclass
class InputFile:
    """A file to import: its name (for messages and citations) and its bytes."""

    name: str
    content: bytes

    @classmethod
    def from_path(cls, path):
        path = Path(path)
        return cls(path.name, path.read_bytes())

    @property
    def suffix(self):
        return Path(self.name).suffix.lower()


# --- Reading -------------------------------------------------------------------------------


def decode_text(file, encoding="utf-8"):
    """The file's text. UTF-8 (with or without a byte order mark) unless told otherwise.

    A file that is not valid in that encoding is refused, naming the line and the byte, so
    that the user can save it as UTF-8 or name its encoding (`--encoding cp1252`).
    """
    data = file.content
    if not data.strip():
        raise ImportRefused(f"{file.name} is empty.")
    if encoding.lower().replace("-", "") in ("utf8", "utf8sig"):
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            f"{file.name} is not {encoding.removesuffix('-sig').upper()} text: line {line} "
            f"has the byte 0x{data[error.start]:02X}. Save it as UTF-8, or name its encoding "
            f"(for example --encoding cp1252)."
        ) from None
    except LookupError:
        raise ImportRefused(f"Unknown encoding: {encoding}.") from None


def read_csv(file, encoding="utf-8"):
    """The file's rows as lists of strings, with their row numbers (1 is the first line)."""
    text = decode_text(file, encoding)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportRefused(f"{file.name} is not a readable CSV file: {error}.") from None
    if len(rows) > MAX_ROWS:
        raise ImportRefused(f"{file.name} has {len(rows):,} rows; the limit is {MAX_ROWS:,}.")
    return [(number, row) for number, row in enumerate(rows, start=1)]


def read_xlsx(file):
    """The first sheet's rows, each cell as text (a date as YYYY-MM-DD), with row numbers."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(file.content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise ImportRefused(f"{file.name} is not a readable .xlsx workbook ({error}).") from None
    sheet = workbook.worksheets[0]
    rows = []
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise ImportRefused(f"{file.name} has more than {MAX_ROWS:,} rows.")
        rows.append((number, [cell_text(cell) for cell in cells]))
    workbook.close()
    return rows


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_blank(row):
    return not any(cell.strip() for cell in row)


def header_index(file, header, required, *, optional=()):
    """Map each required column name to its position, keyed on names, not positions.

    Names are compared without case and surrounding spaces. A missing column refuses the
    file; unknown extra columns (ICE adds some now and then) are ignored.
    """
    names = {}
    for position, name in enumerate(header):
        key = " ".join(name.split()).casefold()
        if key and key not in names:
            names[key] = position
    missing = [name for name in required if name.casefold() not in names]
    if missing:
        raise ImportRefused(
            f"{file.name} does not have the columns this importer needs. Missing: "
            f"{', '.join(missing)}. Found: {', '.join(h for h in header if h.strip()) or 'none'}."
        )
    return {
        name: names[name.casefold()] for name in (*required, *optional) if name.casefold() in names
    }


# --- Text helpers -------------------------------------------------------------------------

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " "})


def clean_name(text):
    """A name as written, with straight apostrophes and single spaces, trimmed."""
    return " ".join(text.translate(APOSTROPHES).split())


def name_key(text):
    """A name reduced for matching: no accents, case, punctuation or "Saint"."""
    text = unicodedata.normalize("NFKD", clean_name(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("'", ""))
    words = ["st" if word == "saint" else word for word in text.split()]
    return " ".join(words)


def unique_slug(base, taken, *, max_length=120, suffixes=()):
    """`base` slugified, made unique against `taken` with each of `suffixes` then a number."""
    base = slugify(base)[:max_length].strip("-") or "record"
    candidates = [base] + [
        f"{base[: max_length - len(suffix) - 1]}-{slugify(suffix)}" for suffix in suffixes
    ]
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    number = 2
    while True:
        candidate = f"{base[: max_length - 6]}-{number}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        number += 1


def check_fields(model, values):
    """The field rules full_clean() would check, without its queries: length and choices.

    Returns the first problem as text, or None.
    """
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        if isinstance(value, str):
            if model_field.max_length and len(value) > model_field.max_length:
                return (
                    f"{model_field.verbose_name} is {len(value)} characters long; "
                    f"at most {model_field.max_length}"
                )
            if model_field.choices and value not in {c[0] for c in model_field.flatchoices}:
                return f"{model_field.verbose_name} {value!r} is not one of the allowed values"
            if not value and not model_field.blank:
                return f"{model_field.verbose_name} is empty"
    return None


# --- The importer ---------------------------------------------------------------------------


class Importer:
    """Subclasses set `name` and `label`, and implement `plan_and_write(files)`.

    `plan_and_write` reads the files (raising ImportRefused for a file-level problem),
    calls `reject()` for each bad row and `note()` for remarks, and writes through
    `write_created()` / `write_updated()`. Before writing it checks `self.may_write()`:
    when rows were rejected and skip_invalid is off there is nothing to write.
    """

    name = ""
    label = ""
    help = ""
    # The file kinds the admin's upload accepts.
    extensions = (".csv",)
    # What a staff member needs to run it from the admin (and to add the Sources it cites).
    permissions = ()
    # Write the good rows even when some are rejected (see the module's rules).
    keeps_good_rows = False

    def __init__(
        self,
        *,
        dry_run=False,
        skip_invalid=False,
        encoding="utf-8",
        today=None,
        user=None,
        publish=False,
        progress=None,
        before_commit=None,
    ):
        # `progress(message, done=0, total=None)`: told each step and how far it is (a
        # background job shows it in the admin). `before_commit(summary)`: the last write in
        # the import's transaction, committed with it (a job notes there that it is written).
        self.progress = progress or (lambda message, done=0, total=None: None)
        self.before_commit = before_commit
        self.user = user  # who ran it, for the history; None from a command without --user
        self.publish = publish  # publish what it writes, with the drafts they name
        self.dry_run = dry_run
        self.skip_invalid = skip_invalid
        self.encoding = encoding
        self.today = today or timezone.localdate()
        self.summary = None
        self.touched = defaultdict(set)  # model -> pks written, for the search index
        self.current_file = ""
        self.flags = []  # (record, field, value as written, reason, file and row)
        self.sources_cited = {}  # (title, URL) -> the Source this run cites

    # Reporting
    def reject(self, row, reason, *, file=None):
        self.summary.rejected.append((file or self.current_file, row, reason))

    def note(self, row, text, *, file=None):
        self.summary.notes.append((file or self.current_file, row, text))

    def flag(self, row, record, field_name, value, reason, *, file=None):
        """Note that `record` (saved by the end of the import) is imported with
        `field_name` left unrecorded, because the cell's text `value` could not be read."""
        file = file or self.current_file
        if len(value) > RAW_VALUE_MAX_LENGTH:
            value = value[: RAW_VALUE_MAX_LENGTH - 1] + "…"
        label = str(type(record)._meta.get_field(field_name).verbose_name)
        self.summary.flagged.append((file, row, label, value, reason))
        self.flags.append((record, field_name, value, reason, where(file, row)))

    def write_flags(self):
        """Each flag as a ReviewFlag on its record, unless the record has that one already."""
        new, existing, reviewed = [], set(), set()
        by_type = defaultdict(list)
        for record, *_rest in self.flags:
            by_type[type(record)].append(record.pk)
        for model, pks in by_type.items():
            content_type = ContentType.objects.get_for_model(model)
            for start in range(0, len(pks), BATCH_SIZE):
                for *key, reviewed_at in ReviewFlag.objects.filter(
                    content_type=content_type, object_id__in=pks[start : start + BATCH_SIZE]
                ).values_list("content_type_id", "object_id", "field", "raw_value", "reviewed_at"):
                    existing.add(tuple(key))
                    if reviewed_at is not None:
                        reviewed.add(tuple(key))
        still_to_review = []
        # flag() writes one entry in each list, in the same order.
        for flagged, (record, field_name, value, reason, found_in) in zip(
            self.summary.flagged, self.flags, strict=True
        ):
            content_type = ContentType.objects.get_for_model(type(record))  # cached
            key = (content_type.pk, record.pk, field_name, value)
            if key not in reviewed:  # staff have checked it already: not listed again
                still_to_review.append(flagged)
            if key in existing:
                continue
            existing.add(key)
            new.append(
                ReviewFlag(
                    content_type=content_type,
                    object_id=record.pk,
                    field=field_name,
                    raw_value=value,
                    reason=reason,
                    found_in=found_in[:300],
                )
            )
        ReviewFlag.objects.bulk_create(new, batch_size=BATCH_SIZE)
        self.summary.flagged = still_to_review
        self.count(ReviewFlag, "created", len(new))
        self.count(ReviewFlag, "unchanged", len(self.flags) - len(new))

    def counted(self, rows, message):
        """`rows` again, one by one, telling the progress callback how many were seen (out of
        how many, for a list)."""
        total = len(rows) if hasattr(rows, "__len__") else None
        done = 0
        for done, row in enumerate(rows, start=1):
            if done % PROGRESS_EVERY == 1:
                self.progress(message, done - 1, total)
            yield row
        self.progress(message, done, total if total is not None else done)

    def count(self, model, outcome, number=1):
        getattr(self.summary, outcome)[str(model._meta.verbose_name_plural)] += number

    def may_write(self):
        return self.summary.writes_good_rows

    # Writing: the only two functions that write records.
    def history_reason(self):
        """What each history row this import writes says of why."""
        files = ", ".join(self.summary.files) if self.summary else self.current_file
        return (_("Imported from %(files)s") % {"files": files})[:100]

    def write_created(self, model, objs):
        """Insert new records in batches, each with its history row; their primary keys are
        set on return."""
        objs = list(objs)
        message = _("Writing new %(records)s") % {"records": model._meta.verbose_name_plural}
        for start in range(0, len(objs), BATCH_SIZE):
            if len(objs) > BATCH_SIZE:
                self.progress(message, start, len(objs))
            bulk_create_with_history(
                objs[start : start + BATCH_SIZE],
                model,
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_change_reason=self.history_reason(),
            )
        if objs:
            self.touched[model].update(obj.pk for obj in objs)
        self.count(model, "created", len(objs))
        return objs

    def write_updated(self, model, objs, fields):
        """Save `fields` of existing records in batches (and their updated_at)."""
        objs = list(objs)
        if objs:
            fields = list(fields)
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                now = timezone.now()
                for obj in objs:
                    if "updated_at" not in fields:
                        obj.updated_at = now
                if "updated_at" not in fields:
                    fields.append("updated_at")
            message = _("Updating %(records)s") % {"records": model._meta.verbose_name_plural}
            for start in range(0, len(objs), BATCH_SIZE):
                self.progress(message, start, len(objs))
                model._default_manager.bulk_update(
                    objs[start : start + BATCH_SIZE], fields, batch_size=BATCH_SIZE
                )
            self.record_updates(model, [obj.pk for obj in objs])
            self.touched[model].update(obj.pk for obj in objs)
        self.count(model, "updated", len(objs))
        return objs

    def record_updates(self, model, pks):
        """Raise the version of updated records, so that a staff member's form opened before
        the import is refused on save, and keep a history row of each as it now stands."""
        has_version = any(f.name == "version" for f in model._meta.concrete_fields)
        for start in range(0, len(pks), HISTORY_BATCH_SIZE):
            chunk = model._default_manager.filter(pk__in=pks[start : start + HISTORY_BATCH_SIZE])
            if has_version:
                chunk.update(version=F("version") + 1)
            model.history.bulk_history_create(
                list(chunk),
                update=True,
                default_user=self.user,
                default_change_reason=self.history_reason(),
            )

    # Running
    @classmethod
    def allowed_for(cls, user):
        return user.has_perms(
            [*cls.permissions, "policytracker.add_source", "policytracker.add_citation"]
        )

    def run(self, files):
        """Import `files` (InputFile objects) and return the Summary."""
        started = timezone.now()
        self.summary = Summary(
            str(self.label or self.name),
            [file.name for file in files],
            dry_run=self.dry_run,
            skip_invalid=self.skip_invalid,
            keeps_good_rows=self.keeps_good_rows,
        )
        self.progress(_("Reading %(files)s") % {"files": ", ".join(self.summary.files)})
        with transaction.atomic():
            self.plan_and_write(files)
            # Bulk writes skip Jurisdiction.save(): rewrite the moved places' containments.
            if self.touched.get(Jurisdiction):
                self.progress(_("Placing jurisdictions within each other"))
            Containment.objects.rebuild(self.touched.get(Jurisdiction, ()))
            if self.flags:
                self.write_flags()
            if self.publish and self.may_write():
                self.progress(_("Publishing"))
                self.publish_written()
            self.summary.written = not self.dry_run and self.may_write()
            if not self.summary.written:
                transaction.set_rollback(True)
            elif self.before_commit is not None:
                self.before_commit(self.summary)
        if self.summary.written:
            self.progress(_("Indexing what was written for search"))
            self.reindex()
        self.summary.seconds = (timezone.now() - started).total_seconds()
        return self.summary

    def plan_and_write(self, files):
        raise NotImplementedError

    def publish_written(self):
        """Publish the records this import wrote, with every draft they name (an agreement's
        agencies, their places…), in bulk. Refused whole, writing nothing, if one of them
        cites no source or the user is not a Reviewer."""
        written = {
            model: ids for model, ids in self.touched.items() if issubclass(model, PublicRecord)
        }
        reason = _("Published with the import of %(files)s") % {
            "files": ", ".join(self.summary.files)
        }
        try:
            self.summary.published = records_publish_with_named(
                written, user=self.user, reason=reason
            )
        except PermissionDenied as error:
            raise ImportRefused(str(error)) from None
        except ValidationError as error:
            raise ImportRefused(" ".join(error.messages)) from None

    def reindex(self):
        """Bulk writes skip the signals that keep search current: index what was written
        (the records and sources, and the sources the records cite)."""
        from policytracker.search.indexing import index_written

        index_written(self.touched)

    # Citations
    def cite(self, model, records, *, title, publisher, url="", notes="", locator=None):
        """Cite the imported file, one Source, from each record, once.

        The file is one document however many records it gives: the Source is found by its
        title and URL, or made. Each record cites it with `locator(record)` (its row) as where;
        a record that cites it already keeps its citation as it is, so a second run of the
        same file adds nothing.
        """
        source = self.sources_cited.get((title, url))
        if source is None:
            source = Source.objects.filter(title=title, url=url).order_by("pk").first()
            if source is not None:
                self.count(Source, "unchanged")
        if source is None:
            source = Source(
                title=title,
                publisher=publisher,
                kind=SourceKind.DATASET,
                url=url,
                accessed_on=self.today,
                notes=notes,
            )
            self.write_created(Source, [source])
        self.sources_cited[(title, url)] = source
        target = Citation.target_field_for(model())
        cited = set(
            Citation.objects.filter(source=source, **{f"{target}__isnull": False}).values_list(
                f"{target}_id", flat=True
            )
        )
        new = [
            Citation(
                source=source,
                locator=locator(record) if locator else "",
                **{f"{target}_id": record.pk},
            )
            for record in records
            if record.pk not in cited
        ]
        self.write_created(Citation, new)
        # A new citation changes the record's search entry (it indexes its citations).
        self.touched[model].update(getattr(citation, f"{target}_id") for citation in new)
        self.count(Citation, "unchanged", len(records) - len(new))
