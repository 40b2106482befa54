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
        // The same events again: nothing new is stored or counted.
        _ = try await store.ingest(Self.inputs([["event": "$pageview", "distinct_id": "d1"]]), now: Self.now)
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
        try await store.client.withConnection { try await PostgresRowCounts.recount(on: $0, logger: Logger(label: "test")) }
        #expect(try await store.check().problems == [])
    }

    @Test func theHeaderCountsMergesFromTheirIndexNotTheRecords() async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        // Without ANALYZE an empty table may be read whole however it is indexed: forbid that.
        let plan = try await store.client.withConnection { connection in
            try await connection.query("SET enable_seqscan = off", logger: Logger(label: "test"))
            var lines: [String] = []
            for try await line in try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN " + PostgresPersonStore.statsSQL),
                                                             logger: Logger(label: "test")).decode(String.self) { lines.append(line) }
            try await connection.query("RESET enable_seqscan", logger: Logger(label: "test"))
            return lines.joined(separator: "\n")
        }
        #expect(plan.contains("action_merge_in_force"), "\(plan)")
    }
}
