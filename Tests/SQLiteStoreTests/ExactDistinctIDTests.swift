import Foundation
import IdentityCore
import Testing
import TestSupport
@testable import SQLiteStore

/// Distinct IDs are compared byte for byte, as PostHog's database compares them: "éx" written with
/// one code point and with "e" plus a combining accent are two IDs, which Swift's `String ==`
/// (canonical equivalence) would take for one.
@Suite struct ExactDistinctIDTests {
    static let composed = "caf\u{e9}-device"
    static let decomposed = "cafe\u{301}-device"

    static func inputs() -> [ValidatedInput] {
        let events: [JSONValue] = [
            ["event": "$pageview", "distinct_id": .string(composed), "uuid": "0190d3b4-0000-7000-8000-0000000000a1"],
            ["event": "$pageview", "distinct_id": .string(decomposed), "uuid": "0190d3b4-0000-7000-8000-0000000000a2"],
            ["event": "$pageview", "distinct_id": .string(decomposed), "uuid": "0190d3b4-0000-7000-8000-0000000000a3"],
            // Identifying one of them with the other is a merge of two persons, not "the same ID".
            ["event": "$identify", "distinct_id": .string(composed), "uuid": "0190d3b4-0000-7000-8000-0000000000a4",
             "properties": ["$anon_distinct_id": .string(decomposed)]],
        ]
        return events.enumerated().map { index, event in
            EventValidator.validate(event, rawText: JSONCoding.string(event), location: InputLocation(source: "t.jsonl", line: index + 1))
        }
    }

    @Test func twoSpellingsOfOneTextAreTwoIDsInMemoryAndInSQLite() throws {
        #expect(Self.composed == Self.decomposed, "Swift folds them: the premise of this test")
        #expect(!Self.composed.isExactly(Self.decomposed))
        let now = Date(timeIntervalSince1970: 1_800_000_000)

        let memory = InMemoryStorage()
        let engine = IdentityEngine()
        var outcomes: [EventOutcome] = []
        for input in Self.inputs() { outcomes.append(try engine.ingest(input, in: memory, now: now)) }
        #expect(memory.distinctIDRecords.count == 2)
        #expect(outcomes.map(\.personsCreated) == [1, 1, 0, 0])
        #expect(outcomes.last?.merges == 1, "the identify merged two persons")

        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        let stored = try store.ingest(Self.inputs(), now: now)
        #expect(stored.map(\.personsCreated) == [1, 1, 0, 0])
        #expect(stored.last?.merges == 1)
        let detail = try #require(try store.personDetail(Self.decomposed))
        #expect(detail.distinctIDs.count == 2)
        #expect(detail.eventCount == 4)
        // check recounts every ID's events from the event table, byte for byte.
        let check = try store.check()
        #expect(check.isHealthy, "\(check.problems)")
    }
}
