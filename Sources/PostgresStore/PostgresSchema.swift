import Foundation

/// The PostgreSQL store's tables, as versioned migrations (the same model as the SQLite store).
/// Never edit a shipped migration: add one, and raise `version`.
///
/// Person properties, provenance and merge records are `jsonb` (the rules keep NUL out of them);
/// event properties and warning details are `json`, which keeps any text an SDK sent, `\u0000`
/// included. Times are `timestamptz`. Every list the explorer pages through has its index.
enum PostgresSchema {
    static let version = 7

    static let migrations: [String] = [
        """
        CREATE TABLE person (
            id bigserial PRIMARY KEY,
            uuid uuid NOT NULL UNIQUE,
            created_at timestamptz NOT NULL,
            is_identified boolean NOT NULL DEFAULT false,
            properties jsonb NOT NULL DEFAULT '{}',
            provenance jsonb NOT NULL DEFAULT '[]',
            version bigint NOT NULL DEFAULT 0,
            email text,
            name text,
            id_count integer NOT NULL DEFAULT 0,
            event_count bigint NOT NULL DEFAULT 0,
            first_seen timestamptz,
            last_seen timestamptz
        );
        CREATE INDEX person_by_first_seen ON person (created_at, id);
        CREATE INDEX person_by_last_seen ON person (last_seen, id);
        CREATE INDEX person_by_size ON person (event_count, id);
        CREATE INDEX person_by_email ON person (lower(email) text_pattern_ops) WHERE email IS NOT NULL;
        CREATE INDEX person_by_name ON person (lower(name) text_pattern_ops) WHERE name IS NOT NULL;

        CREATE TABLE distinct_id (
            distinct_id text PRIMARY KEY,
            person_id bigint NOT NULL REFERENCES person (id),
            joined_at timestamptz NOT NULL,
            how text NOT NULL,
            event_uuid uuid,
            action_id bigint,
            event_count bigint NOT NULL DEFAULT 0,
            first_seen timestamptz,
            last_seen timestamptz
        );
        CREATE INDEX distinct_id_by_person ON distinct_id (person_id);
        CREATE INDEX distinct_id_by_text ON distinct_id (distinct_id text_pattern_ops);

        -- Events are never rewritten: their person is found through distinct_id.
        CREATE TABLE event (
            seq bigserial PRIMARY KEY,
            uuid uuid NOT NULL UNIQUE,
            event text NOT NULL,
            distinct_id text NOT NULL,
            timestamp timestamptz,
            properties json NOT NULL,
            source text
        );
        CREATE INDEX event_by_distinct_id ON event (distinct_id, seq);

        CREATE TABLE action (
            id bigserial PRIMARY KEY,
            kind text NOT NULL,
            event_uuid uuid,
            at timestamptz NOT NULL,
            target_uuid uuid,
            source_uuid uuid,
            distinct_ids jsonb NOT NULL,
            details jsonb NOT NULL,
            undone_by bigint,
            event_seq bigint NOT NULL DEFAULT 0
        );
        CREATE INDEX action_by_target ON action (target_uuid);
        CREATE INDEX action_by_source ON action (source_uuid);

        CREATE TABLE link (
            id bigserial PRIMARY KEY,
            a text NOT NULL,
            b text NOT NULL,
            kind text NOT NULL,
            event_uuid uuid,
            action_id bigint,
            at timestamptz NOT NULL,
            active boolean NOT NULL DEFAULT true
        );
        CREATE INDEX link_by_a ON link (a) WHERE active;
        CREATE INDEX link_by_b ON link (b) WHERE active;
        CREATE INDEX link_by_action ON link (action_id);

        CREATE TABLE warning (
            id bigserial PRIMARY KEY,
            type text NOT NULL,
            created_at timestamptz NOT NULL,
            event_uuid uuid,
            distinct_ids jsonb NOT NULL,
            details json NOT NULL,
            raw text,
            source text,
            event_seq bigint NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX warning_once_per_event ON warning (event_uuid, type) WHERE event_uuid IS NOT NULL;
        CREATE INDEX warning_by_type ON warning (type, id);
        """,
        // The last-seen order puts persons never seen at time 0, as the SQLite store does: a keyset
        // over this expression pages through its own index.
        """
        CREATE INDEX person_by_last_seen_or_epoch ON person ((coalesce(last_seen, 'epoch'::timestamptz)), id);
        """,
        // What each event did to identity (EventEffect's JSON), recorded at ingest; NULL for events
        // stored before. Duplicates of an event are counted on it, not stored.
        """
        ALTER TABLE event ADD COLUMN effect jsonb;
        ALTER TABLE event ADD COLUMN duplicates integer NOT NULL DEFAULT 0;
        """,
        // Comparing with PostHog and pushing repairs to it (identikit compare / push).
        """
        CREATE TABLE posthog_comparison (
            id integer PRIMARY KEY CHECK (id = 1),
            compared_at timestamptz NOT NULL,
            sources jsonb NOT NULL,
            agree bigint NOT NULL,
            only_in_posthog bigint NOT NULL,
            only_in_identikit bigint NOT NULL
        );
        CREATE TABLE posthog_difference (
            id bigserial PRIMARY KEY,
            position integer NOT NULL,
            distinct_ids jsonb NOT NULL,
            posthog jsonb NOT NULL,
            identikit jsonb NOT NULL,
            status text NOT NULL DEFAULT 'open'
        );
        -- Manual merges a PostHog host accepted. Never the API key.
        CREATE TABLE posthog_push (
            action_id bigint NOT NULL,
            host text NOT NULL,
            event_uuid uuid NOT NULL,
            pushed_at timestamptz NOT NULL,
            PRIMARY KEY (action_id, host)
        );
        """,
        // The suspects screen (issue 15): persons by distinct-ID count, and identified persons' emails.
        """
        CREATE INDEX person_by_id_count ON person (id_count, id);
        CREATE INDEX person_identified_email ON person (lower(email)) WHERE is_identified AND email IS NOT NULL;
        """,
        // Substring search (ILIKE '%text%') over trigram indexes. pg_trgm is a trusted extension
        // (PostgreSQL 13+): the database's owner may create it without being a superuser.
        // Distinct IDs' trigrams live in a table of their own, filled by a trigger on insert (an ID's
        // text never changes and IDs are never deleted): a GIN index on `distinct_id` itself was
        // rewritten on every counter update and made ingest 2.25 times slower (26.8 s against 11.9 s
        // for 100,000 events; 8.2 s with this table).
        """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX person_by_email_trigram ON person USING gin (email gin_trgm_ops) WHERE email IS NOT NULL;
        CREATE INDEX person_by_name_trigram ON person USING gin (name gin_trgm_ops) WHERE name IS NOT NULL;
        CREATE TABLE distinct_id_search (distinct_id text PRIMARY KEY);
        INSERT INTO distinct_id_search (distinct_id) SELECT distinct_id FROM distinct_id;
        CREATE INDEX distinct_id_search_by_trigram ON distinct_id_search USING gin (distinct_id gin_trgm_ops);
        CREATE FUNCTION identikit_index_new_distinct_ids() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO distinct_id_search (distinct_id) SELECT distinct_id FROM added; RETURN NULL; END $$;
        CREATE TRIGGER distinct_id_search_insert AFTER INSERT ON distinct_id REFERENCING NEW TABLE AS added
            FOR EACH STATEMENT EXECUTE FUNCTION identikit_index_new_distinct_ids();
        """,
        // The header's counts without counting millions of rows: each write-back adds a row of what
        // it changed (insert only, so writers never wait on one another), and merges in force are
        // read from an index of their own (PostgresRowCounts).
        """
        CREATE TABLE row_count (
            id bigserial PRIMARY KEY,
            persons bigint NOT NULL,
            distinct_ids bigint NOT NULL,
            events bigint NOT NULL
        );
        INSERT INTO row_count (persons, distinct_ids, events)
            SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM distinct_id), (SELECT count(*) FROM event);
        CREATE INDEX action_merge_in_force ON action (kind)
            WHERE undone_by IS NULL AND kind IN ('$identify', '$create_alias', '$merge_dangerously', 'manual_merge', 'manual_forced_merge');
        """,
    ]

    /// A migration's statements: it is written as a script, one statement per `;` at a line's end.
    static func statements(_ migration: String) -> [String] {
        migration.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty && !$0.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") } }
    }
}
