import GRDB

/// The store's tables, as versioned migrations. Never edit a shipped migration: add one.
enum Schema {
    /// Raise with every migration added; a store with a higher number came from a newer identikit.
    static let version = 7

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

                -- Times are unix seconds (REAL). JSON columns hold objects written by JSONCoding.
                CREATE TABLE person (
                    id INTEGER PRIMARY KEY,
                    uuid TEXT NOT NULL UNIQUE,
                    created_at REAL NOT NULL,
                    is_identified INTEGER NOT NULL DEFAULT 0,
                    properties TEXT NOT NULL DEFAULT '{}',
                    provenance TEXT NOT NULL DEFAULT '{}',
                    version INTEGER NOT NULL DEFAULT 0,
                    -- Copies of two properties, indexed so search never scans the table.
                    email TEXT COLLATE NOCASE,
                    name TEXT COLLATE NOCASE,
                    -- Aggregates kept by the store so list screens sort without counting events.
                    id_count INTEGER NOT NULL DEFAULT 0,
                    event_count INTEGER NOT NULL DEFAULT 0,
                    first_seen REAL,
                    last_seen REAL
                );
                CREATE INDEX person_by_first_seen ON person(created_at, id);
                CREATE INDEX person_by_last_seen ON person(last_seen, id);
                CREATE INDEX person_by_size ON person(event_count, id);
                CREATE INDEX person_by_email ON person(email) WHERE email IS NOT NULL;
                CREATE INDEX person_by_name ON person(name) WHERE name IS NOT NULL;

                CREATE TABLE distinct_id (
                    distinct_id TEXT PRIMARY KEY,
                    person_id INTEGER NOT NULL REFERENCES person(id),
                    joined_at REAL NOT NULL,
                    how TEXT NOT NULL,
                    event_uuid TEXT,
                    action_id INTEGER,
                    event_count INTEGER NOT NULL DEFAULT 0,
                    first_seen REAL,
                    last_seen REAL
                ) WITHOUT ROWID;
                CREATE INDEX distinct_id_by_person ON distinct_id(person_id);

                -- Events are never rewritten: their person is found through distinct_id.
                CREATE TABLE event (
                    seq INTEGER PRIMARY KEY,
                    uuid TEXT NOT NULL UNIQUE,
                    event TEXT NOT NULL,
                    distinct_id TEXT NOT NULL,
                    timestamp REAL,
                    properties TEXT NOT NULL,
                    source TEXT
                );
                CREATE INDEX event_by_distinct_id ON event(distinct_id, seq);

                CREATE TABLE action (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    event_uuid TEXT,
                    at REAL NOT NULL,
                    target_uuid TEXT,
                    source_uuid TEXT,
                    distinct_ids TEXT NOT NULL,
                    details TEXT NOT NULL,
                    undone_by INTEGER,
                    -- The last event stored before it: where an export replays it.
                    event_seq INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX action_by_target ON action(target_uuid);
                CREATE INDEX action_by_source ON action(source_uuid);

                -- Each link joined two distinct IDs; "why linked" walks the active ones.
                CREATE TABLE link (
                    id INTEGER PRIMARY KEY,
                    a TEXT NOT NULL,
                    b TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    event_uuid TEXT,
                    action_id INTEGER,
                    at REAL NOT NULL,
                    active INTEGER NOT NULL DEFAULT 1
                );
                CREATE INDEX link_by_a ON link(a) WHERE active;
                CREATE INDEX link_by_b ON link(b) WHERE active;
                CREATE INDEX link_by_action ON link(action_id);

                CREATE TABLE warning (
                    id INTEGER PRIMARY KEY,
                    type TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    event_uuid TEXT,
                    distinct_ids TEXT NOT NULL,
                    details TEXT NOT NULL,
                    raw TEXT,
                    source TEXT,
                    event_seq INTEGER NOT NULL DEFAULT 0
                );
                CREATE UNIQUE INDEX warning_once_per_event ON warning(event_uuid, type) WHERE event_uuid IS NOT NULL;
                CREATE INDEX warning_by_type ON warning(type, id);
                """)
        }
        // What each event did to identity (EventEffect's JSON), recorded at ingest; NULL for events
        // stored before. Duplicates of an event are counted on it, not stored.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE event ADD COLUMN effect TEXT;
                ALTER TABLE event ADD COLUMN duplicates INTEGER NOT NULL DEFAULT 0;
                """)
        }
        // Comparing with PostHog and pushing repairs to it (identikit compare / push).
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                -- The last comparison with a PostHog persons export: one row, replaced by each compare.
                CREATE TABLE posthog_comparison (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    compared_at REAL NOT NULL,
                    sources TEXT NOT NULL,
                    agree INTEGER NOT NULL,
                    only_in_posthog INTEGER NOT NULL,
                    only_in_identikit INTEGER NOT NULL
                );
                -- Its disagreements, largest first (position); JSON arrays of IDs and of each side's persons.
                CREATE TABLE posthog_difference (
                    id INTEGER PRIMARY KEY,
                    position INTEGER NOT NULL,
                    distinct_ids TEXT NOT NULL,
                    posthog TEXT NOT NULL,
                    identikit TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'open'
                );
                -- Manual merges a PostHog host accepted. Never the API key.
                CREATE TABLE posthog_push (
                    action_id INTEGER NOT NULL,
                    host TEXT NOT NULL,
                    event_uuid TEXT NOT NULL,
                    pushed_at REAL NOT NULL,
                    PRIMARY KEY (action_id, host)
                ) WITHOUT ROWID;
                """)
        }
        // The suspects screen (issue 15): persons by distinct-ID count, and identified persons' emails.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE INDEX person_by_id_count ON person(id_count, id);
                CREATE INDEX person_identified_email ON person(email) WHERE is_identified AND email IS NOT NULL;
                """)
        }
        // Substring search: trigram indexes over email and name (read from person itself) and over
        // distinct IDs, kept in step by triggers so every write path (ingest, merge, undo, split)
        // updates them in its own transaction. A person is indexed while it has an email or a name;
        // a distinct ID shorter than three characters has no trigram and stays out.
        migrator.registerMigration("v5-substring-search") { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE person_search USING fts5(
                    email, name, content='person', content_rowid='id', tokenize='trigram', columnsize=0);
                INSERT INTO person_search(rowid, email, name)
                    SELECT id, email, name FROM person WHERE email IS NOT NULL OR name IS NOT NULL;
                CREATE TRIGGER person_search_insert AFTER INSERT ON person
                    WHEN new.email IS NOT NULL OR new.name IS NOT NULL BEGIN
                    INSERT INTO person_search(rowid, email, name) VALUES (new.id, new.email, new.name);
                END;
                CREATE TRIGGER person_search_delete AFTER DELETE ON person
                    WHEN old.email IS NOT NULL OR old.name IS NOT NULL BEGIN
                    INSERT INTO person_search(person_search, rowid, email, name) VALUES ('delete', old.id, old.email, old.name);
                END;
                -- One trigger, the old entry out before the new one in: SQLite runs separate triggers
                -- newest first, and FTS5 deleting a row after inserting it drops the trigrams both share.
                CREATE TRIGGER person_search_update AFTER UPDATE OF email, name ON person
                    WHEN old.email IS NOT new.email OR old.name IS NOT new.name BEGIN
                    INSERT INTO person_search(person_search, rowid, email, name)
                        SELECT 'delete', old.id, old.email, old.name WHERE old.email IS NOT NULL OR old.name IS NOT NULL;
                    INSERT INTO person_search(rowid, email, name)
                        SELECT new.id, new.email, new.name WHERE new.email IS NOT NULL OR new.name IS NOT NULL;
                END;

                CREATE VIRTUAL TABLE distinct_id_search USING fts5(distinct_id, tokenize='trigram', columnsize=0, detail='full');
                INSERT INTO distinct_id_search(distinct_id) SELECT distinct_id FROM distinct_id WHERE length(distinct_id) >= 3;
                CREATE TRIGGER distinct_id_search_insert AFTER INSERT ON distinct_id
                    WHEN length(new.distinct_id) >= 3 BEGIN
                    INSERT INTO distinct_id_search(distinct_id) VALUES (new.distinct_id);
                END;
                CREATE TRIGGER distinct_id_search_delete AFTER DELETE ON distinct_id
                    WHEN length(old.distinct_id) >= 3 BEGIN
                    DELETE FROM distinct_id_search WHERE rowid IN (
                        SELECT rowid FROM distinct_id_search
                        WHERE distinct_id_search MATCH '"' || replace(old.distinct_id, '"', '""') || '"') AND distinct_id = old.distinct_id;
                END;
                """)
        }
        // The triggers made FTS5 write a segment per statement; SQLiteStorage now writes both tables
        // once per transaction, after everything else (SearchIndexWriteBack). Every write to persons
        // and distinct IDs goes through it, and `identikit check` compares the tables with the rows.
        migrator.registerMigration("v6-search-written-back") { db in
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS person_search_insert;
                DROP TRIGGER IF EXISTS person_search_delete;
                DROP TRIGGER IF EXISTS person_search_update;
                DROP TRIGGER IF EXISTS distinct_id_search_insert;
                DROP TRIGGER IF EXISTS distinct_id_search_delete;
                """)
        }
        // The header's counts without reading every row: persons and distinct IDs counted in `meta`
        // by SQLiteStorage (RowCountChanges), and merges in force from an index of their own instead
        // of every merge record with its two snapshots (2.4 KB each; 94 ms at 40,000 merges).
        migrator.registerMigration("v7-stored-counts") { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO meta(key, value) VALUES
                    ('person_rows', (SELECT count(*) FROM person)),
                    ('distinct_id_rows', (SELECT count(*) FROM distinct_id));
                CREATE INDEX action_merge_in_force ON action(kind, undone_by)
                    WHERE undone_by IS NULL AND kind IN ('$identify','$create_alias','$merge_dangerously','manual_merge','manual_forced_merge');
                """)
        }
        return migrator
    }
}
