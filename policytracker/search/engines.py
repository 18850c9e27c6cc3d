"""The SQL that builds each database's full-text index on the search_searchentry table.

Django's model state cannot describe a generated tsvector column, an FTS5 table or a
trigger, so migrations 0002 (the index) and 0003 (the index version) run these statements
for the database they migrate, and nothing else does. On SQLite, a migration that alters
the table (a column, a constraint) rebuilds it without its triggers: it ends by running
`RESTORE_STATEMENTS` (see migration 0005). PostgreSQL alters the table in place.
"""

TABLE = "search_searchentry"
FTS_TABLE = "search_searchentry_fts"

POSTGRES_CONFIG = "english"

POSTGRESQL_FORWARDS = [
    # Weights: A for the title, B for other names, C for the body. Generated and stored, so
    # every insert and update keeps it current, whatever wrote the row.
    f"""
    ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{POSTGRES_CONFIG}', coalesce(title, '')), 'A')
        || setweight(to_tsvector('{POSTGRES_CONFIG}', coalesce(keywords, '')), 'B')
        || setweight(to_tsvector('{POSTGRES_CONFIG}', coalesce(body, '')), 'C')
    ) STORED
    """,
    f"CREATE INDEX search_entry_vector ON {TABLE} USING gin (search_vector)",
    # For the misspelling fallback: trigram similarity of the words of names and titles.
    f"""
    CREATE INDEX search_entry_label_trgm ON {TABLE}
    USING gin ((title || ' ' || keywords) gin_trgm_ops)
    """,
]
POSTGRESQL_BACKWARDS = [
    "DROP INDEX IF EXISTS search_entry_label_trgm",
    "DROP INDEX IF EXISTS search_entry_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

SQLITE_COLUMNS = "title, keywords, body"
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER {TABLE}_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {SQLITE_COLUMNS})
        VALUES (new.id, new.title, new.keywords, new.body);
    END
    """,
    f"""
    CREATE TRIGGER {TABLE}_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {SQLITE_COLUMNS})
        VALUES ('delete', old.id, old.title, old.keywords, old.body);
    END
    """,
    f"""
    CREATE TRIGGER {TABLE}_fts_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {SQLITE_COLUMNS})
        VALUES ('delete', old.id, old.title, old.keywords, old.body);
        INSERT INTO {FTS_TABLE}(rowid, {SQLITE_COLUMNS})
        VALUES (new.id, new.title, new.keywords, new.body);
    END
    """,
]
SQLITE_TRIGGER_DROPS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_{event}" for event in ("update", "delete", "insert")
]
# The index read again from the rows of search_searchentry, whatever it held.
SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
SQLITE_FORWARDS = [
    # An external-content table: the text lives once, in search_searchentry.
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        {SQLITE_COLUMNS}, content='{TABLE}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"CREATE VIRTUAL TABLE {FTS_TABLE}_vocab USING fts5vocab({FTS_TABLE}, row)",
    *SQLITE_TRIGGERS,
    SQLITE_REBUILD,  # rows that existed before this migration
]
SQLITE_BACKWARDS = [
    *SQLITE_TRIGGER_DROPS,
    f"DROP TABLE IF EXISTS {FTS_TABLE}_vocab",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

# The index version's token changes with every write to the index, whatever made it
# (a save, a bulk load, a cascade delete), in the writer's own transaction.
VERSION_TABLE = "search_indexversion"
POSTGRESQL_VERSION_FORWARDS = [
    f"""
    CREATE FUNCTION search_index_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {VERSION_TABLE} SET token = md5(random()::text || clock_timestamp()::text);
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION search_index_changed()
    """,
]
POSTGRESQL_VERSION_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_version ON {TABLE}",
    "DROP FUNCTION IF EXISTS search_index_changed()",
]
SQLITE_NEW_TOKEN = f"UPDATE {VERSION_TABLE} SET token = lower(hex(randomblob(16)))"
SQLITE_VERSION_FORWARDS = [
    f"""
    CREATE TRIGGER {TABLE}_version_{event.lower()} AFTER {event} ON {TABLE} BEGIN
        {SQLITE_NEW_TOKEN};
    END
    """
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_VERSION_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_version_{event}" for event in ("insert", "update", "delete")
]

VERSION_STATEMENTS = {
    "postgresql": (POSTGRESQL_VERSION_FORWARDS, POSTGRESQL_VERSION_BACKWARDS),
    "sqlite": (SQLITE_VERSION_FORWARDS, SQLITE_VERSION_BACKWARDS),
}

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARDS, POSTGRESQL_BACKWARDS),
    "sqlite": (SQLITE_FORWARDS, SQLITE_BACKWARDS),
}

# After SQLite has rebuilt search_searchentry: its triggers made again (whether or not the
# rebuild dropped them), and the full-text table read again from its rows.
SQLITE_RESTORE = [
    *SQLITE_TRIGGER_DROPS,
    *SQLITE_VERSION_BACKWARDS,
    *SQLITE_TRIGGERS,
    *SQLITE_VERSION_FORWARDS,
    SQLITE_REBUILD,
]

# What a migration that altered search_searchentry runs last, per database: nothing on
# PostgreSQL, whose ALTER TABLE keeps the generated column, its indexes and the trigger.
RESTORE_STATEMENTS = {"sqlite": SQLITE_RESTORE}
