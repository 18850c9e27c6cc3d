"""The SQL that builds each database's full-text index on the search_searchentry table.

Django's model state cannot describe a generated tsvector column or an FTS5 table, so
migration 0002 runs these statements for the database it migrates, and nothing else does.
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
SQLITE_FORWARDS = [
    # An external-content table: the text lives once, in search_searchentry.
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        {SQLITE_COLUMNS}, content='{TABLE}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"CREATE VIRTUAL TABLE {FTS_TABLE}_vocab USING fts5vocab({FTS_TABLE}, row)",
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
    # Rows that existed before this migration.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}_vocab",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARDS, POSTGRESQL_BACKWARDS),
    "sqlite": (SQLITE_FORWARDS, SQLITE_BACKWARDS),
}
