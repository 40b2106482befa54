import Foundation
import IdentityCore
import PostgresStore
import ScenarioSupport
import TestSupport
import Testing

/// The PostgreSQL store against the contract: every scenario, random streams against the reference
/// model and against in-memory storage, batch boundaries and all. Each test gets a fresh database
/// on the test process's own throwaway cluster.
@Suite("Scenarios and random streams through the PostgreSQL store")
struct PostgresStoreTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let scenarios = (try? Scenario.allWithPostHogCases()) ?? []

    static func inputs(_ events: [JSONValue], source: String = "stream") -> [ValidatedInput] {
        events.enumerated().map { index, value in
            EventValidator.validate(value, rawText: JSONCoding.string(value), location: InputLocation(source: source, line: index + 1))
        }
    }

    /// Ingests in batches of `size`, as a file ingest or a capture server would.
    static func ingest(_ inputs: [ValidatedInput], into store: any PersonStore, batches size: Int) async throws -> [EventOutcome] {
        var outcomes: [EventOutcome] = []
        var start = 0
        while start < inputs.count {
            outcomes += try await store.ingest(Array(inputs[start..<min(start + size, inputs.count)]), now: now)
            start += size
        }
        return outcomes
    }

    @Test(arguments: scenarios)
    func scenario(_ scenario: Scenario) async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        let inputs = Self.inputs(scenario.events, source: scenario.name)
        _ = try await Self.ingest(inputs, into: store, batches: 3)
        #expect(try await PostgresTestStore.outcome(store) == scenario.expected, "\(scenario.summary)")
        let again = try await Self.ingest(inputs, into: store, batches: 5)
        #expect(again.filter { $0.status == .ingested }.isEmpty, "a second ingest adds nothing")
        #expect(try await PostgresTestStore.outcome(store) == scenario.expected)
    }

    @Test(arguments: [UInt64(7), 8])
    func agreesWithTheReferenceModel(seed: UInt64) async throws {
        let events = RandomEventStream.make(seed: seed, count: 1_200)
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        _ = try await Self.ingest(Self.inputs(events), into: store, batches: 250)
        let reference = ReferenceModel()
        for (index, value) in events.enumerated() { reference.ingest(value, position: index) }
        let stored = try await PostgresTestStore.outcome(store)
        #expect(stored == reference.outcome, "seed \(seed):\n\(ReferenceModel.difference(reference.outcome, stored))")
    }

    @Test(arguments: [UInt64(101), 102])
    func agreesWithInMemoryStorageWhateverTheBatches(seed: UInt64) async throws {
        let inputs = Self.inputs(RandomEventStream.make(seed: seed, count: 400))
        let memory = InMemoryStorage()
        let engine = IdentityEngine()
        for input in inputs { _ = try engine.ingest(input, in: memory, now: Self.now) }
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        var random = SeededRandom(seed: seed)
        var start = 0
        while start < inputs.count {
            let size = Int.random(in: 1...60, using: &random)
            _ = try await store.ingest(Array(inputs[start..<min(start + size, inputs.count)]), now: Self.now)
            start += size
        }
        let stored = try await PostgresTestStore.outcome(store)
        #expect(stored == memory.outcome, "seed \(seed):\n\(ReferenceModel.difference(memory.outcome, stored))")
    }

    @Test func manualMergeUndoAndSplitRoundTrip() async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        let events: [JSONValue] = [
            ["event": "e", "distinct_id": "ada", "properties": ["$set": ["email": "ada@example.com"]]],
            ["event": "e", "distinct_id": "grace", "properties": ["$set": ["plan": "pro"]]],
            ["event": "e", "distinct_id": "phone"],
        ]
        _ = try await store.ingest(Self.inputs(events), now: Self.now)
        let before = try await PostgresTestStore.outcome(store)
        let merge = try await store.write { engine, storage in
            try engine.manualMerge(target: "ada", source: "grace", force: true, in: storage, now: Self.now)
        }
        let merged = try await PostgresTestStore.outcome(store)
        #expect(merged.persons.contains { $0.distinctIDs == ["ada", "grace"] && $0.properties["plan"] == "pro" })
        let mergeID = try #require(merge.id)
        _ = try await store.write { engine, storage in try engine.undo(mergeID, in: storage, now: Self.now) }
        #expect(try await PostgresTestStore.outcome(store) == before, "undo restores the state before the merge")

        _ = try await store.write { engine, storage in
            try engine.manualMerge(target: "ada", source: "phone", force: true, in: storage, now: Self.now)
        }
        _ = try await store.write { engine, storage in
            try engine.split(person: "ada", distinctIDs: ["phone"], in: storage, now: Self.now)
        }
        let split = try await PostgresTestStore.outcome(store)
        #expect(split.persons.contains { $0.distinctIDs == ["phone"] })
        #expect(split.persons.contains { $0.distinctIDs == ["ada"] })
    }
}
