import Foundation
import IdentityCore
import Logging
import PostgresNIO
@testable import PostgresStore
import TestSupport
import Testing

/// The header's counts on PostgreSQL come from rows each write-back adds, not from counting the
/// tables: they follow every kind of write, fold into one row now and then, and `check` compares
/// them with the tables.
@Suite struct PostgresStoredCountTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func inputs(_ events: [JSONValue]) -> [ValidatedInput] {
        events.enumerated().map { index, value in
            EventValidator.validate(value, rawText: JSONCoding.string(value), location: InputLocation(source: "t.jsonl", line: index + 1))
        }
    }

    static func shown(_ store: PostgresPersonStore) async throws -> [Int] {
        let stats = try await store.stats()
        return [stats.persons, stats.distinctIDs, stats.events, stats.merges]
    }

    /// Runs SQL on one of the store's connections; returns the first column of each row.
    @discardableResult
    static func sql(_ store: PostgresPersonStore, _ query: PostgresQuery) async throws -> [Int64] {
        try await store.client.withConnection { connection in
            var values: [Int64] = []
            for try await value in try await connection.query(query, logger: Logger(label: "test")).decode(Int64.self) {
                values.append(value)
            }
            return values
        }
    }

    @Test func theCountsFollowIngestMergeUndoAndSplit() async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        #expect(try await Self.shown(store) == [0, 0, 0, 0], "a new store")
        _ = try await store.ingest(Self.inputs(["a1", "a2", "b1", "b2", "b3", "c1"].map { ["event": "$pageview", "distinct_id": .string($0)] } + [
            ["event": "$identify", "distinct_id": "a1", "properties": ["$anon_distinct_id": "a2"]],
            ["event": "$create_alias", "distinct_id": "b1", "properties": ["alias": "b3"]],
        ]), now: Self.now)
        #expect(try await Self.shown(store) == [4, 6, 8, 2])
        let event: JSONValue = ["event": "$pageview", "distinct_id": "d1", "uuid": "0190d3b4-0000-7000-8000-0000000000d1"]
        _ = try await store.ingest(Self.inputs([event]), now: Self.now)
        #expect(try await Self.shown(store) == [5, 7, 9, 2])
        // The same event again: stored once, counted once.
        _ = try await store.ingest(Self.inputs([event]), now: Self.now)
        #expect(try await Self.shown(store) == [5, 7, 9, 2])

        _ = try await store.dryRun { engine, storage in
            try engine.manualMerge(target: "a1", source: "c1", force: true, in: storage, now: Self.now)
        }
        #expect(try await Self.shown(store) == [5, 7, 9, 2], "a preview changes nothing")
        let merge = try await store.write { engine, storage in
            try engine.manualMerge(target: "a1", source: "c1", force: true, in: storage, now: Self.now)
        }
        #expect(try await Self.shown(store) == [4, 7, 9, 3])
        let mergeID = try #require(merge.id)
        _ = try await store.write { engine, storage in try engine.undo(mergeID, in: storage, now: Self.now) }
        #expect(try await Self.shown(store) == [5, 7, 9, 2], "the undo brings the person back; the merge is no longer in force")
        _ = try await store.write { engine, storage in try engine.split(person: "b1", distinctIDs: ["b3"], in: storage, now: Self.now) }
        #expect(try await Self.shown(store) == [6, 7, 9, 2])
        #expect(try await store.check().problems == [])
    }

    @Test func theRowsFoldIntoOneAndKeepTheirSums() async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        _ = try await store.ingest(Self.inputs([["event": "$pageview", "distinct_id": "x"]]), now: Self.now)
        _ = try await store.ingest(Self.inputs([["event": "$pageview", "distinct_id": "y"]]), now: Self.now)
        #expect(try await Self.sql(store, "SELECT count(*) FROM row_count") == [3], "the migration's row and one per write-back")
        // The next write-back's row is the 512th id: it folds every row before it into one.
        try await Self.sql(store, "SELECT setval('row_count_id_seq', \(PostgresRowCounts.foldEvery - 1))")
        _ = try await store.ingest(Self.inputs([["event": "$pageview", "distinct_id": "z"], ["event": "$pageview", "distinct_id": "x"]]),
                                   now: Self.now)
        #expect(try await Self.sql(store, "SELECT count(*) FROM row_count") == [1])
        #expect(try await Self.shown(store) == [3, 3, 4, 0])
        #expect(try await store.check().problems == [])
    }

    @Test func checkNamesACountThatDisagreesWithTheRows() async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        _ = try await store.ingest(Self.inputs([["event": "$pageview", "distinct_id": "x"]]), now: Self.now)
        try await Self.sql(store, "INSERT INTO row_count (persons, distinct_ids, events) VALUES (0, 0, 4)")
        #expect(try await store.check().problems == ["the store's event count says 5 but it holds 1 event rows"])
        try await store.recountRows()
        #expect(try await store.check().problems == [])
        #expect(try await Self.shown(store) == [1, 1, 1, 0])
    }

    @Test func theHeaderCountsMergesFromTheirIndexNotTheRecords() async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        // Without ANALYZE an empty table may be read whole however it is indexed: forbid that, for this transaction.
        let plan = try await store.client.withTransaction(logger: Logger(label: "test")) { connection in
            try await connection.query("SET LOCAL enable_seqscan = off", logger: Logger(label: "test"))
            var lines: [String] = []
            for try await line in try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN " + PostgresPersonStore.statsSQL),
                                                             logger: Logger(label: "test")).decode(String.self) { lines.append(line) }
            return lines.joined(separator: "\n")
        }
        #expect(plan.contains("action_merge_in_force"), "\(plan)")
        #expect(!plan.contains(" on person") && !plan.contains(" on distinct_id") && !plan.contains(" on event"), "\(plan)")
        let kinds = ActionKind.allCases.filter(\.isMerge).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        #expect(PostgresPersonStore.statsSQL.contains("kind IN (\(kinds))"), "the merge kinds, as the index lists them")
    }

    @Test func aStoreFromBeforeTheCountsIsCountedWhenItMigrates() async throws {
        let url = try TemporaryStore.postgres().location
        let location = try PostgresLocation(url: url)
        let configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test"))
        // Schema 6, as an older identikit left it, with two persons and three distinct IDs.
        try await connection.query("CREATE TABLE identikit_meta (key text PRIMARY KEY, value text NOT NULL)", logger: Logger(label: "test"))
        for migration in PostgresSchema.migrations.prefix(6) {
            for statement in PostgresSchema.statements(migration) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "test"))
            }
        }
        for statement: PostgresQuery in [
            "INSERT INTO identikit_meta (key, value) VALUES ('schema_version', '6')",
            """
            INSERT INTO person (id, uuid, created_at) VALUES
                (1, '0190d3b4-0000-7000-8000-000000000001', now()), (2, '0190d3b4-0000-7000-8000-000000000002', now())
            """,
            """
            INSERT INTO distinct_id (distinct_id, person_id, joined_at, how) VALUES
                ('old-1', 1, now(), 'first_event'), ('old-2', 1, now(), 'alias'), ('old-3', 2, now(), 'first_event')
            """,
            "SELECT setval('person_id_seq', 2)",
        ] {
            try await connection.query(statement, logger: Logger(label: "test"))
        }
        try await connection.close()

        let store = try await PostgresPersonStore.open(location)
        defer { Task { await store.close() } }
        #expect(try await Self.shown(store) == [2, 3, 0, 0])
        _ = try await store.ingest(Self.inputs([["event": "$pageview", "distinct_id": "new-1"]]), now: Self.now)
        #expect(try await Self.shown(store) == [3, 4, 1, 0], "and kept from then on")
    }
}
