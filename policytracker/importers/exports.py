"""Any record type from the CSV or JSON files the export feature writes: a round trip.

Export everything, import the files into an empty database, export again: the two exports
are identical. The record type comes from the file name's stem ("agreements-2026-11-23.csv"
holds agreements); the columns must be the export's own. Several files import in the
export's order (jurisdictions, agencies, ordinances, agreements, statements, sources, then
citations), so that each names records already there.

Records are matched by slug, sources and citations by id. This importer restores records
as exported: their publication state and their created/updated times come from the file,
not the importer. Columns the export derives (html_url, an agreement's jurisdiction, a
source's document address and citation count, a citation's record_type, read with its
record_slug) are read and ignored. A source's document_file column is its stored file name;
the file itself is not in the export. A citation names its source by id and its record by
type and slug: a row whose source or record is neither on the site nor in the files is
rejected.

Files written before a column was renamed (a record's page_url, now html_url; a source's
document and document_url, now document_file and document) are read under the new names
(ExportSpec.former_names); a derived column they lack is not missed.
"""

import datetime
import json

from django.db import connection
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    ForeignKey,
    ManyToManyField,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from policytracker.dates import PreciseDate
from policytracker.exports.streaming import LIST_SEPARATOR
from policytracker.exports.views import ALL_EXPORTS
from policytracker.importers.base import (
    Importer,
    ImportRefused,
    decode_text,
    read_csv,
)
from policytracker.models import CITATION_TARGETS, CITING_MODELS, Citation, Source

RECORD_MODELS = (
    ("jurisdictions", "jurisdiction"),
    ("jurisdictions", "agency"),
    ("jurisdictions", "ordinance"),
    ("agreements", "agreement"),
    ("agreements", "statement"),
)
EXPORTS = {export.name: export for export in ALL_EXPORTS}
ORDER = [export.name for export in ALL_EXPORTS]
# Known by their id on this site: they have no slug. Their ids are kept by the import.
KEYED_BY_ID = (Source, Citation)


def key_of(model):
    """The column that matches a row to a stored record: "slug", or "id"."""
    return "id" if model in KEYED_BY_ID else "slug"


def spec_for(file):
    stem = file.name.rsplit(".", 1)[0]
    for name in sorted(EXPORTS, key=len, reverse=True):
        if stem == name or stem.startswith(f"{name}-"):
            return EXPORTS[name]
    raise ImportRefused(
        f"{file.name}: the file name does not say which record type it holds; it begins "
        f"with one of {', '.join(ORDER)}, as the export names its files."
    )


def current_names(spec, header, ordered=True):
    """The export's names for a file's columns, or None if they are not the export's.

    A header is the export's own (in its order, unless `ordered` is false: JSON keys); or
    one written before some columns were renamed (it holds a name the export no longer
    has): read under the new names, it must hold every column the import writes, and may
    lack derived ones.
    """
    names = spec.names
    if list(header) == list(names) or (not ordered and sorted(header) == sorted(names)):
        return list(header)
    if not set(header) - set(names):
        return None
    renamed = [spec.former_names.get(name, name) for name in header]
    stored = {column.name for column in spec.columns if column.fields}
    if len(set(renamed)) != len(renamed) or not stored <= set(renamed) <= set(names):
        return None
    return renamed


def unguard(text):
    """The CSV writer puts an apostrophe before a cell a spreadsheet could run: remove it."""
    return text[1:] if text.startswith("'") else text


class ExportImporter(Importer):
    name = "exports"
    label = _("The site's own CSV and JSON exports")
    permissions = (
        *(
            f"{app}.{action}_{model}"
            for app, model in (*RECORD_MODELS, ("policytracker", "citation"))
            for action in ("add", "change")
        ),
        "policytracker.change_source",
    )
    help = (
        "Records of any type from the CSV or JSON files the export feature writes "
        "(jurisdictions-….csv, agencies-….json, sources-….csv, citations-….csv…); the file "
        "name's start names the record type."
    )
    extensions = (".csv", ".json")

    def plan_and_write(self, files):
        ordered = sorted(files, key=lambda file: ORDER.index(spec_for(file).name))
        for file in ordered:
            self.current_file = file.name
            spec = spec_for(file)
            rows = self.read(file, spec)
            self.import_rows(spec, rows)
        if connection.vendor == "postgresql":
            for model in KEYED_BY_ID:
                if model not in self.touched:
                    continue
                with connection.cursor() as cursor:  # given their exported ids: next one up
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                    )

    def read(self, file, spec):
        """[(row number, {column: value})]: CSV cells as text, JSON values as they are."""
        names = list(spec.names)
        if file.suffix == ".json":
            try:
                data = json.loads(decode_text(file, self.encoding))
            except json.JSONDecodeError as error:
                raise ImportRefused(f"{file.name} is not valid JSON: {error}.") from None
            if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
                raise ImportRefused(f"{file.name} is not an array of objects.")
            rows = []
            for number, item in enumerate(data, start=1):
                keys = current_names(spec, list(item), ordered=False)
                if keys is None:
                    raise ImportRefused(
                        f"{file.name} object {number} does not have the {spec.name} export's "
                        f"keys. Missing: {', '.join(sorted(set(names) - set(item))) or 'none'}; "
                        f"unknown: {', '.join(sorted(set(item) - set(names))) or 'none'}."
                    )
                rows.append((number, dict(zip(keys, item.values(), strict=True))))
            return rows
        rows = read_csv(file, self.encoding)
        header = rows[0][1]
        keys = current_names(spec, header)
        if keys is None:
            raise ImportRefused(
                f"{file.name} does not have the {spec.name} export's columns. Expected: "
                f"{', '.join(names)}. Found: {', '.join(header)}."
            )
        out = []
        for number, row in rows[1:]:
            if len(row) != len(keys):
                self.reject(number, f"{len(row)} cells where the header has {len(keys)}")
                continue
            cells = dict(zip(keys, (unguard(cell) for cell in row), strict=True))
            out.append((number, cells))
        return out

    def import_rows(self, spec, rows):
        model = spec.model
        opts = model._meta
        existing_key = key_of(model)
        existing = {getattr(obj, existing_key): obj for obj in model._default_manager.order_by()}
        slug_maps, source_ids = {}, []

        def slugs_of(related_model):
            if related_model not in slug_maps:
                slug_maps[related_model] = dict(
                    related_model._default_manager.values_list("slug", "pk")
                )
            return slug_maps[related_model]

        def source_id(raw):
            """The id of a source on the site (this file's sources are written already)."""
            if not source_ids:
                source_ids.append(set(Source.objects.values_list("pk", flat=True)))
            try:
                pk = int(raw)
            except (TypeError, ValueError):
                raise ValueError(f"source_id {raw!r} is not a source's id (a number)") from None
            if pk not in source_ids[0]:
                raise ValueError(
                    f"source_id {pk}: no source has this id, on the site or in the sources "
                    "file; import the sources file with this one"
                )
            return pk

        records, m2m, self_refs, seen = [], [], [], {}
        reading = _("Reading rows of %(file)s") % {"file": self.current_file}
        for number, row in self.counted(rows, reading):
            values, links, refs = {}, {}, {}
            try:
                for column in spec.columns:
                    if not column.fields:  # derived: html_url, a source's document…
                        continue
                    raw = row[column.name]
                    if column.name == "record_slug":
                        values.update(self.cited(row, slugs_of))
                        continue
                    if len(column.fields) == 2 and column.fields[1].endswith("_precision"):
                        date_field, precision_field = column.fields
                        precise = PreciseDate.parse(raw) if raw else None
                        values[date_field] = precise.value if precise else None
                        values[precision_field] = precise.precision.value if precise else ""
                        continue
                    field = opts.get_field(column.fields[0])
                    if isinstance(field, ManyToManyField):
                        if isinstance(raw, str):
                            raw = [s for s in raw.split(LIST_SEPARATOR.strip()) if s.strip()]
                        links[field.name] = [s.strip() for s in raw]
                    elif isinstance(field, ForeignKey):
                        if raw is None or raw == "":
                            if not field.null:
                                raise ValueError(f"{column.name} is empty; it is required")
                            values[field.attname] = None
                        elif field.related_model is model:
                            refs[field.attname] = raw
                        elif field.related_model is Source:
                            values[field.attname] = source_id(raw)
                        else:
                            pk = slugs_of(field.related_model).get(raw)
                            if pk is None:
                                kind = field.related_model._meta.verbose_name
                                raise ValueError(f"{column.name}: no {kind} {raw!r}")
                            values[field.attname] = pk
                    elif isinstance(field, DateTimeField):
                        values[field.name] = datetime.datetime.fromisoformat(raw) if raw else None
                    elif isinstance(field, DateField):
                        values[field.name] = datetime.date.fromisoformat(raw) if raw else None
                    elif field.name == "id":
                        values["id"] = int(raw)
                    else:
                        values[field.name] = "" if raw is None else raw
                instance = model(**values)
                instance.clean_fields(
                    exclude=[f.name for f in opts.fields if f.is_relation or f.name == "id"]
                    + ["document"]
                )
            except (ValueError, TypeError) as error:
                self.reject(number, f"{type(error).__name__ if not str(error) else error}")
                continue
            except Exception as error:  # ValidationError from clean_fields
                messages = getattr(error, "message_dict", None)
                text = (
                    "; ".join(f"{k}: {' '.join(v)}" for k, v in messages.items())
                    if messages
                    else str(error)
                )
                self.reject(number, text)
                continue
            key = values.get(existing_key)
            if key in seen:
                self.reject(number, f"the same {existing_key} as row {seen[key]}")
                continue
            seen[key] = number
            records.append((number, values, refs))
            if links:
                m2m.append((key, links))
            if refs:
                self_refs.append((key, refs))
        self.write_records(model, records, existing, existing_key, m2m, self_refs)

    def cited(self, row, slugs_of):
        """The citing record's foreign keys, from the row's record_type and record_slug."""
        record_type, slug = row["record_type"], row["record_slug"]
        if record_type not in CITATION_TARGETS:
            raise ValueError(
                f"record_type {record_type!r} is not one of {', '.join(CITATION_TARGETS)}"
            )
        related = CITING_MODELS[record_type]
        pk = slugs_of(related).get(slug)
        if pk is None:
            raise ValueError(
                f"record_slug: no {record_type} {slug!r}, on the site or in the "
                f"{related._meta.verbose_name_plural} file"
            )
        return {
            f"{target}_id": pk if target == record_type else None for target in CITATION_TARGETS
        }

    def write_records(self, model, records, existing, existing_key, m2m, self_refs):
        slug_to_pk = {}
        # Rows whose self reference (a parent) is in the file wait for it: write by depth.
        pending = list(records)
        fields = sorted({name for _, values, _ in records for name in values} - {"id"})
        while pending:
            ready, waiting = [], []
            known = set(slug_to_pk) | {k for k in existing if isinstance(k, str)}
            for item in pending:
                _, _, refs = item
                if all(ref in known for ref in refs.values()):
                    ready.append(item)
                else:
                    waiting.append(item)
            if not ready:
                for number, _, refs in waiting:
                    self.reject(
                        number,
                        f"it names {', '.join(refs.values())}, which is neither here nor in "
                        "the file",
                    )
                break
            to_create, to_update, unchanged = [], [], 0
            for _, values, refs in ready:
                resolved = dict(values)
                for attname, slug in refs.items():
                    resolved[attname] = slug_to_pk.get(slug) or existing[slug].pk
                current = existing.get(values[existing_key])
                if current is None:
                    to_create.append(model(**resolved))
                    continue
                if any(getattr(current, name) != value for name, value in resolved.items()):
                    for name, value in resolved.items():
                        setattr(current, name, value)
                    to_update.append(current)
                else:
                    unchanged += 1
                if existing_key == "slug":
                    slug_to_pk[current.slug] = current.pk
            # Creation sets created_at/updated_at to now: give them back their exported times.
            timestamps = [f for f in ("created_at", "updated_at") if f in fields]
            wanted = [{name: getattr(obj, name) for name in timestamps} for obj in to_create]
            self.write_created(model, to_create)
            if to_create and timestamps:
                self.restore_times(model, list(zip(to_create, wanted, strict=False)), timestamps)
            for obj in to_create:
                if existing_key == "slug":
                    slug_to_pk[obj.slug] = obj.pk
            update_fields = [f for f in fields if f != "id"] + [
                f for refs in (r for _, _, r in ready) for f in refs
            ]
            self.write_updated(model, to_update, sorted(set(update_fields)) or ["updated_at"])
            self.count(model, "unchanged", unchanged)
            pending = waiting
        # Whole records: a many-to-many change writes a history row of the record.
        linked = model._default_manager.in_bulk(
            [slug_to_pk.get(key) or existing[key].pk for key, _ in m2m]
        )
        for key, links in m2m:
            record = linked[slug_to_pk.get(key) or existing[key].pk]
            for name, slugs in links.items():
                related = model._meta.get_field(name).related_model
                pks = []
                for slug in slugs:
                    target = slug_to_pk.get(slug) if related is model else None
                    target = (
                        target
                        or related._default_manager.filter(slug=slug)
                        .values_list("pk", flat=True)
                        .first()
                    )
                    if target is None:
                        self.reject(0, f"{key}: {name} names {slug!r}, which does not exist")
                        continue
                    pks.append(target)
                manager = getattr(record, name)
                if set(manager.values_list("pk", flat=True)) != set(pks):
                    manager.set(pks)

    def restore_times(self, model, pairs, timestamps):
        for start in range(0, len(pairs), 500):
            batch = pairs[start : start + 500]
            model._default_manager.filter(pk__in=[o.pk for o, _ in batch]).update(
                **{
                    name: Case(
                        *[When(pk=o.pk, then=Value(times[name])) for o, times in batch],
                        output_field=model._meta.get_field(name),
                    )
                    for name in timestamps
                }
            )


def write_exports(directory, file_format):
    """Write every record of every type, drafts included, as the export writes them.

    The files the site's downloads would give staff, named as the downloads name them:
    what the round trip reads back.
    """
    from policytracker.exports.streaming import csv_chunks, dated_filename, json_chunks

    writer = csv_chunks if file_format == "csv" else json_chunks
    paths = []
    for spec in ALL_EXPORTS:
        # By each record's key (its slug; a source's or a citation's id), which the import keeps.
        rows = spec.prepare(spec.model._default_manager.order_by(key_of(spec.model)))
        path = directory / dated_filename(spec.name, file_format)
        with open(path, "wb") as out:
            for chunk in writer(rows, spec.columns):
                out.write(chunk)
        paths.append(path)
    return paths
