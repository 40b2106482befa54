import Foundation
import IdentityCore
import PostgresStore
import Store
import Testing
import TestSupport

/// Two spellings of one text ("é" as one code point, and "e" plus a combining accent) are two
/// distinct IDs in both stores, whether the second arrives in the same batch as the first or in a
/// later one (read back from the database): Swift's `String ==` would take them for one.
@Suite("Distinct IDs compared byte for byte, in both stores")
struct ExactDistinctIDStoreTests {
    static let composed = "caf\u{e9}-device"
    static let decomposed = "cafe\u{301}-device"

    static func inputs() -> [ValidatedInput] {
        PostgresStoreTests.inputs([
            ["event": "$pageview", "distinct_id": .string(composed), "uuid": "0190d3b4-0000-7000-8000-0000000000a1"],
            ["event": "$pageview", "distinct_id": .string(decomposed), "uuid": "0190d3b4-0000-7000-8000-0000000000a2"],
            ["event": "$pageview", "distinct_id": .string(decomposed), "uuid": "0190d3b4-0000-7000-8000-0000000000a3"],
            // Identifying one with the other merges two persons; it is not "the same ID".
            ["event": "$identify", "distinct_id": .string(composed), "uuid": "0190d3b4-0000-7000-8000-0000000000a4",
             "properties": ["$anon_distinct_id": .string(decomposed)]],
        ])
    }

    @Test(arguments: TemporaryStore.Kind.allCases, [1, 4])
    func twoSpellingsAreTwoIDs(kind: TemporaryStore.Kind, batch: Int) async throws {
        #expect(Self.composed == Self.decomposed, "Swift folds them: the premise of this test")
        let (store, temporary) = try await PostHogRecordsTests.open(kind)
        defer { temporary.remove() }
        let outcomes = try await PostgresStoreTests.ingest(Self.inputs(), into: store, batches: batch)
        #expect(outcomes.map(\.personsCreated) == [1, 1, 0, 0])
        #expect(outcomes.last?.merges == 1, "the identify merged two persons")
        let detail = try #require(try await store.personDetail(Self.decomposed))
        #expect(detail.distinctIDs.count == 2)
        #expect(detail.eventCount == 4)
        let stats = try await store.stats()
        #expect(stats.distinctIDs == 2 && stats.persons == 1)
        let check = try await store.check()
        #expect(check.isHealthy, "\(check.problems)")
    }
}
