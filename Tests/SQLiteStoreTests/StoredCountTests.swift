import Foundation
import GRDB
import IdentityCore
import Ingest
import Testing
import TestSupport
@testable import SQLiteStore

/// The header's counts are kept as rows come and go (persons, distinct IDs) or read from an index
/// of their own (merges in force), so drawing them never reads every row of a large store.
@Suite struct StoredCountTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// What the rows themselves say, counted the slow way.
    static func counted(_ store: SQLitePersonStore) throws -> [Int] {
        try store.read { db in
            try ["SELECT count(*) FROM person", "SELECT count(*) FROM distinct_id",
                 "SELECT count(*) FROM action WHERE undone_by IS NULL AND kind IN ('$identify','$create_alias','$merge_dangerously','manual_merge','manual_forced_merge')"]
                .map { try Int.fetchOne(db, sql: $0) ?? -1 }
        }
    }

    static func shown(_ store: SQLitePersonStore) throws -> [Int] {
        let stats = try store.stats()
        return [stats.persons, stats.distinctIDs, stats.merges]
    }

    static func ingest(_ store: SQLitePersonStore, _ events: [JSONValue]) throws {
        let inputs = events.enumerated().map { index, value in
            EventValidator.validate(value, rawText: JSONWriter.string(value), location: InputLocation(source: "t.jsonl", line: index + 1))
        }
        _ = try Ingestor(store: store).ingest(inputs, now: Self.now)
    }

    @Test func theCountsFollowIngestMergeUndoAndSplit() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        #expect(try Self.shown(store) == [0, 0, 0], "a new store")

        try Self.ingest(store, ["a1", "a2", "b1", "b2", "b3", "c1"].map { ["event": "$pageview", "distinct_id": .string($0)] } + [
            ["event": "$identify", "distinct_id": "a1", "properties": ["$anon_distinct_id": "a2"]],
            ["event": "$create_alias", "distinct_id": "b1", "properties": ["alias": "b3"]],
            ["event": "$pageview", "distinct_id": "d1"],
        ])
        #expect(try Self.shown(store) == [5, 7, 2], "seven IDs, two merged away: five persons")
        #expect(try Self.shown(store) == Self.counted(store))

        let engine = store.engine
        _ = try store.dryRun { try engine.manualMerge(target: "a1", source: "c1", force: true, in: $0, now: Self.now) }
        #expect(try Self.shown(store) == [5, 7, 2], "a preview changes nothing")

        let merge = try store.write { try engine.manualMerge(target: "a1", source: "c1", force: true, in: $0, now: Self.now) }
        #expect(try Self.shown(store) == [4, 7, 3])
        _ = try store.write { try engine.undo(merge.id!, in: $0, now: Self.now) }
        #expect(try Self.shown(store) == [5, 7, 2], "the undo brings the person back and the merge is no longer in force")
        _ = try store.write { try engine.split(person: "b1", distinctIDs: ["b3"], in: $0, now: Self.now) }
        #expect(try Self.shown(store) == [6, 7, 2], "the split ID is a person of its own")
        #expect(try Self.shown(store) == Self.counted(store))
        #expect(try store.check().problems == [])
    }

    @Test func aStoreFromBeforeTheCountsIsCountedWhenItMigrates() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let queue = try DatabaseQueue(path: temporary.location)
        try Schema.migrator.migrate(queue, upTo: "v6-search-written-back")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('schema_version', '6'), ('change_counter', '0')")
            try db.execute(sql: """
                INSERT INTO person(id, uuid, created_at, properties, id_count) VALUES
                    (1, '0190d3b4-0000-7000-8000-000000000001', 1780000000, '{}', 2),
                    (2, '0190d3b4-0000-7000-8000-000000000002', 1780000001, '{}', 1);
                INSERT INTO distinct_id(distinct_id, person_id, joined_at, how) VALUES
                    ('old-1', 1, 1780000000, 'first_event'), ('old-2', 1, 1780000000, 'alias'), ('old-3', 2, 1780000001, 'first_event');
                INSERT INTO distinct_id_search(distinct_id) VALUES ('old-1'), ('old-2'), ('old-3');
                """)
        }
        try queue.close()

        let store = try SQLitePersonStore(path: temporary.location)
        #expect(try Self.shown(store) == [2, 3, 0])
        try Self.ingest(store, [["event": "$pageview", "distinct_id": "new-1"]])
        #expect(try Self.shown(store) == [3, 4, 0], "and kept from then on")
        #expect(try store.check().problems == [])
    }

    @Test func checkNamesACountThatDisagreesWithTheRows() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        try Self.ingest(store, [["event": "$pageview", "distinct_id": "x"], ["event": "$pageview", "distinct_id": "y"]])
        try store.databasePool.write { db in try db.execute(sql: "UPDATE meta SET value = '5' WHERE key = 'person_rows'") }
        #expect(try store.check().problems == ["the store's person count says 5 but it holds 2 person rows"])
        try store.databasePool.write { db in try SQLitePersonStore.recountRows(db) }
        #expect(try store.check().problems == [])
    }

    @Test func theHeaderReadsNoTableToCount() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLitePersonStore.statsSQL).map { $0["detail"] as String }
        }
        // Merge records carry two persons' snapshots: counting them from the table reads every one.
        #expect(plan.contains { $0.contains("COVERING INDEX action_merge_in_force") }, "\(plan)")
        // count(*) would scan an index of every person or distinct ID ("SCAN person USING COVERING INDEX ...").
        #expect(!plan.contains { $0.contains("person") || $0.contains("distinct_id") }, "\(plan)")
    }

    /// The merge kinds are written out in the index and in the query that must repeat it.
    @Test func theCountedMergeKindsAreTheMergeKinds() {
        let kinds = ActionKind.allCases.filter(\.isMerge).map { "'\($0.rawValue)'" }.joined(separator: ",")
        #expect(SQLitePersonStore.mergesInForce.contains("kind IN (\(kinds))"))
    }
}
