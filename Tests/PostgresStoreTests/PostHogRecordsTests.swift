import Foundation
import IdentityCore
import PostgresStore
import SQLiteStore
import Testing
import TestSupport

/// What `compare` and `push` keep in the store, on both stores through the protocol.
@Suite("PostHog comparison and push records, on SQLite and on PostgreSQL")
struct PostHogRecordsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func open(_ kind: TemporaryStore.Kind) async throws -> (any PersonStore, TemporaryStore) {
        let temporary = try TemporaryStore.make(kind)
        switch kind {
        case .sqlite: return (try SQLitePersonStore(path: temporary.location), temporary)
        case .postgres: return (try await PostgresPersonStore.open(try PostgresLocation(url: temporary.location)), temporary)
        }
    }

    static func ingest(_ store: any PersonStore, _ lines: [String]) async throws {
        let inputs = try lines.enumerated().map { n, line in
            EventValidator.validate(try JSONCoding.parse(Data(line.utf8)), rawText: line, location: InputLocation(source: "t", line: n + 1))
        }
        _ = try await store.ingest(inputs, now: now)
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func distinctIDGroupsPageThroughEveryPersonInOrder(kind: TemporaryStore.Kind) async throws {
        let (store, temporary) = try await Self.open(kind)
        defer { temporary.remove() }
        var lines: [String] = []
        for n in 0..<25 {
            lines.append(#"{"event":"$identify","distinct_id":"user-\#(n)","properties":{"$anon_distinct_id":"anon-\#(n)"},"timestamp":"2026-01-01T00:00:00Z"}"#)
        }
        try await Self.ingest(store, lines)
        var groups: [DistinctIDGroup] = []
        var after: Int64?
        var pages = 0
        while true {
            let page = try await store.distinctIDGroups(after: after, limit: 7)
            guard let last = page.last else { break }
            #expect(page.count <= 7)
            groups += page
            after = last.personID
            pages += 1
        }
        #expect(pages == 4)
        #expect(groups.count == 25)
        #expect(groups.map(\.personID) == groups.map(\.personID).sorted())
        #expect(Set(groups.map { $0.distinctIDs.sorted() }) == Set((0..<25).map { ["anon-\($0)", "user-\($0)"] }))
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func theLastComparisonIsKeptWithItsStatuses(kind: TemporaryStore.Kind) async throws {
        let (store, temporary) = try await Self.open(kind)
        defer { temporary.remove() }
        #expect(try await store.storedComparison() == nil)
        let first = StoredComparison(comparedAt: Self.now, sources: ["a.jsonl"], agree: 3, onlyInPostHog: 1, onlyInIdentikit: 2, differences: [
            StoredDifference(distinctIDs: ["a", "b", "c"], posthog: [["a", "b"], ["c"]], identikit: [["a", "b", "c"]]),
            StoredDifference(distinctIDs: ["d", "é\"\\"], posthog: [["d", "é\"\\"]], identikit: [["d"], ["é\"\\"]]),
        ])
        try await store.saveComparison(first)
        var stored = try #require(try await store.storedComparison())
        #expect(stored.differences.map(\.distinctIDs) == first.differences.map(\.distinctIDs))
        #expect(stored.differences[1].identikit == [["d"], ["é\"\\"]])
        #expect(stored.agree == 3 && stored.onlyInPostHog == 1 && stored.onlyInIdentikit == 2 && stored.sources == ["a.jsonl"])
        #expect(stored.differences.allSatisfy { $0.status == .open })

        try await store.setDifferenceStatus(id: stored.differences[1].id, status: .accepted)
        stored = try #require(try await store.storedComparison())
        #expect(stored.differences.map(\.status) == [.open, .accepted])
        await #expect(throws: NoSuchDifference.self) { try await store.setDifferenceStatus(id: 999_999, status: .accepted) }

        // A new compare replaces the old one whole.
        try await store.saveComparison(StoredComparison(comparedAt: Self.now, sources: ["b.jsonl"], agree: 9, onlyInPostHog: 0,
                                                        onlyInIdentikit: 0, differences: []))
        stored = try #require(try await store.storedComparison())
        #expect(stored.agree == 9 && stored.differences.isEmpty && stored.sources == ["b.jsonl"])
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func manualActionsNameTheirIDsAndPushesAreRecordedOnce(kind: TemporaryStore.Kind) async throws {
        let (store, temporary) = try await Self.open(kind)
        defer { temporary.remove() }
        try await Self.ingest(store, ["ada", "grace", "linus", "ken"].map {
            #"{"event":"$identify","distinct_id":"\#($0)","properties":{"$anon_distinct_id":"anon-\#($0)"},"timestamp":"2026-01-01T00:00:00Z"}"#
        })
        let merge = try await store.write { engine, storage in
            try engine.manualMerge(target: "ada", source: "grace", force: true, in: storage, now: Self.now)
        }
        let undone = try await store.write { engine, storage in
            try engine.manualMerge(target: "linus", source: "ken", force: true, in: storage, now: Self.now)
        }
        _ = try await store.write { engine, storage in try engine.undo(undone.id!, in: storage, now: Self.now) }
        _ = try await store.write { engine, storage in try engine.split(person: "ada", distinctIDs: ["anon-ada"], in: storage, now: Self.now) }

        let actions = try await store.manualActions()
        #expect(actions.map(\.kind) == [.manualForcedMerge, .manualForcedMerge, .split])
        #expect(actions[0].target == "ada" && actions[0].source == "grace" && actions[0].undoneBy == nil)
        #expect(actions[1].target == "linus" && actions[1].source == "ken" && actions[1].undoneBy != nil)
        #expect(actions[2].distinctIDs == ["anon-ada"])

        let record = PushRecord(actionID: merge.id!, host: "https://eu.i.posthog.com", eventUUID: UUID(), pushedAt: Self.now)
        try await store.recordPushes([record])
        try await store.recordPushes([record])
        let pushes = try await store.pushRecords()
        #expect(pushes.count == 1)
        #expect(pushes.first?.actionID == merge.id && pushes.first?.host == record.host && pushes.first?.eventUUID == record.eventUUID)
    }
}
