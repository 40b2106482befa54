import Foundation
import IdentityCore
import PostgresStore
import SQLiteStore
import Testing
import TestSupport

/// A group merge and its undo through each store's write path (PostgreSQL's loads what a batch
/// reads up front): one record listing its merges, a healthy store, every person back.
@Suite("Group merge and its undo, on SQLite and on PostgreSQL")
struct GroupMergeStoreTests {
    static let lines = [
        #"{"event":"e","distinct_id":"anon-1","timestamp":"2026-01-01T00:00:00Z","properties":{"$set":{"email":"ann@example.com","plan":"free"}}}"#,
        #"{"event":"$identify","distinct_id":"ann","timestamp":"2026-01-01T00:01:00Z","properties":{"$anon_distinct_id":"anon-2","$set":{"email":"ann@example.com"}}}"#,
        #"{"event":"$identify","distinct_id":"ann-work","timestamp":"2026-01-01T00:02:00Z","properties":{"$anon_distinct_id":"anon-3","$set":{"email":"ann@example.com","plan":"pro"}}}"#,
        #"{"event":"e","distinct_id":"anon-4","timestamp":"2026-01-01T00:03:00Z","properties":{"$set":{"email":"ann@example.com"},"$set_once":{"first":"ad"}}}"#,
    ]

    /// Every person whole but its change counter, with its IDs.
    static func everyone(_ store: any PersonStore) async throws -> Set<String> {
        let page = try await store.persons(order: .firstSeen, descending: true, after: nil, limit: 100)
        var all: Set<String> = []
        for (person, ids) in try await store.personsWithDistinctIDs(page.persons.map(\.id)) {
            all.insert("\(person.uuid) \(person.createdAt.timeIntervalSince1970) \(person.isIdentified) \(JSONWriter.string(.object(person.properties))) \(ids.sorted())")
        }
        return all
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func oneActionOneUndo(kind: TemporaryStore.Kind) async throws {
        let (store, temporary) = try await PostHogRecordsTests.open(kind)
        defer { temporary.remove() }
        try await PostHogRecordsTests.ingest(store, Self.lines)
        let before = try await Self.everyone(store)
        #expect(before.count == 4)

        let preview = try await store.read { engine, storage in
            try engine.previewGroupMerge(["anon-1", "ann", "ann-work", "anon-4"], in: storage)
        }
        #expect(preview.needsForce)
        let group = try await store.write { engine, storage in
            try engine.groupMerge(["anon-1", "ann", "ann-work", "anon-4"], force: true, in: storage, now: PostHogRecordsTests.now)
        }
        #expect(try await Self.everyone(store).count == 1)
        let stored = try #require(try await store.read { _, storage in try storage.action(group.id!) })
        #expect(stored.kind == .groupMerge)
        #expect(stored.details.groupMembers.count == 3)
        #expect(try await store.check().isHealthy)
        let survivor = try #require(try await store.personDetail("ann"))
        #expect(survivor.person.properties["first"] == "ad")
        #expect(survivor.history.filter { $0.details.group == group.id }.count == 3)

        await #expect(throws: (any Error).self, "a merge of a group is undone only with its group") {
            _ = try await store.write { engine, storage in
                try engine.undo(stored.details.groupMembers[0], in: storage, now: PostHogRecordsTests.now)
            }
        }
        let report = try await store.write { engine, storage in try engine.undo(group.id!, in: storage, now: PostHogRecordsTests.now) }
        #expect(report.movedBack == ["ann-work", "anon-1", "anon-3", "anon-4"])
        #expect(try await Self.everyone(store) == before)
        #expect(try await store.check().isHealthy)
        #expect(try await store.stats().merges == 0)
    }
}
