"""The site's content version: a token that every write to the public data changes.

A database trigger on every table the public pages, API and feeds read rewrites the one
row of `ContentVersion` (a statement-level trigger on PostgreSQL, a row-level one on SQLite,
which has no other kind). The tables are those of every model of the project's apps, their
history and many-to-many tables included, and the users' (history pages may name staff),
except the few in `PRIVATE_MODELS`; so a new model is covered without anyone remembering
it. `install_triggers` runs after every `migrate` (a `post_migrate` receiver, see apps.py):
it also puts back those that SQLite drops when a migration rebuilds a table.
"""

import uuid

from django.apps import apps as global_apps
from django.db import connections, router

PROJECT_APPS = (
    "policytracker",
    "search",
    "corrections",
    "profiles",
    "jurisdictions",
    "agreements",
    "jobs",
)
EXTRA_PUBLIC_MODELS = ("auth.User",)
# Tables no public page reads: the versions themselves (the search index's is rewritten by
# its own trigger on the search entries, which are covered here), and readers' corrections,
# which staff read in the admin only: a reader posting one must not empty everyone's cache;
# and background jobs, which only staff see (their progress is written many times a minute).
PRIVATE_MODELS = (
    "policytracker.ContentVersion",
    "search.IndexVersion",
    "corrections.Correction",
    "jobs.Job",
)

VERSION_TABLE = "policytracker_contentversion"
TRIGGER_SUFFIX = "content_version"
SQLITE_EVENTS = ("insert", "update", "delete")
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {VERSION_TABLE} SET token = md5(random()::text || clock_timestamp()::text);
    RETURN NULL;
END
$$
"""


def public_tables(apps=global_apps):
    """The tables whose writes change the content version, sorted."""
    private = {apps.get_model(label)._meta.db_table for label in PRIVATE_MODELS}
    extra = {apps.get_model(label)._meta.db_table for label in EXTRA_PUBLIC_MODELS}
    project = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }
    return sorted((project | extra) - private)


def trigger_statements(vendor, table):
    quoted = f'"{table}"'
    if vendor == "postgresql":
        return [
            # A PostgreSQL trigger's name is the table's own: the same on each.
            f"CREATE OR REPLACE TRIGGER {TRIGGER_SUFFIX} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} "
            "FOR EACH STATEMENT EXECUTE FUNCTION content_changed()"
        ]
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_{TRIGGER_SUFFIX}_{event} AFTER {event.upper()} "
        f"ON {quoted} BEGIN UPDATE {VERSION_TABLE} SET token = lower(hex(randomblob(16))); END"
        for event in SQLITE_EVENTS
    ]


def drop_statements(vendor, table):
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS {TRIGGER_SUFFIX} ON "{table}"']
    return [f"DROP TRIGGER IF EXISTS {table}_{TRIGGER_SUFFIX}_{event}" for event in SQLITE_EVENTS]


def install_triggers(using="default"):
    """Put the trigger on every public table that exists (idempotent), and the version's
    row in place. Returns the tables covered."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if VERSION_TABLE not in existing or connection.vendor not in ("postgresql", "sqlite"):
        return []
    tables = [table for table in public_tables() if table in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
        for table in tables:
            for statement in trigger_statements(connection.vendor, table):
                cursor.execute(statement)
    new_token(using)
    return tables


def drop_triggers(using="default"):
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in public_tables():
            if table in existing:
                for statement in drop_statements(connection.vendor, table):
                    cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS content_changed()")


def triggered_tables(using="default"):
    """The tables that carry the trigger, read from the database's catalogue."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name = %s",
                [TRIGGER_SUFFIX],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"%_{TRIGGER_SUFFIX}_%"],
        )
        names = {}
        for table, name in cursor.fetchall():
            names.setdefault(table, set()).add(name)
        return sorted(
            table
            for table, found in names.items()
            if found == {f"{table}_{TRIGGER_SUFFIX}_{event}" for event in SQLITE_EVENTS}
        )


def new_token(using="default"):
    """A fresh token (after `migrate`, which may have changed what every page shows)."""
    from policytracker.models import ContentVersion

    versions = ContentVersion.objects.using(using)
    if not versions.update(token=uuid.uuid4().hex):
        versions.create(token=uuid.uuid4().hex)


def current_token():
    """The content's version: one small query. A database emptied by `flush` gets one.

    Read through the router, so from the database the page's own reads come from: a token
    read from a replica is never ahead of the data read there. Plain SQL: it is the one
    query of every cached answer, and the ORM would take longer to write it than the
    database to answer it."""
    from policytracker.models import ContentVersion

    using = router.db_for_read(ContentVersion)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {VERSION_TABLE} ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return (
            ContentVersion.objects.db_manager(router.db_for_write(ContentVersion))
            .create(token=uuid.uuid4().hex)
            .token
        )
    return row[0]
