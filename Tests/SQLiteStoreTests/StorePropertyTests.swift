import Foundation
import IdentityCore
import SQLiteStore
import Ingest
import ScenarioSupport
import Testing
import TestSupport

/// Random streams through the real engine and a real SQLite file (issue 3 and issue 7).
@Suite("Random streams through the SQLite store")
struct StorePropertyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func inputs(_ events: [JSONValue]) -> [ValidatedInput] {
        events.enumerated().map { index, value in
            EventValidator.validate(value, rawText: JSONCoding.string(value), location: InputLocation(source: "stream", line: index + 1))
        }
    }

    /// The SQLite store gives the same outcome as in-memory storage, batch boundaries and all.
    @Test(arguments: [UInt64(101), 102, 103, 104])
    func sqliteAgreesWithInMemoryStorage(seed: UInt64) throws {
        let inputs = Self.inputs(RandomEventStream.make(seed: seed, count: 400))
        let memory = InMemoryStorage()
        let engine = IdentityEngine()
        for input in inputs { _ = try engine.ingest(input, in: memory, now: Self.now) }

        let temp = try TemporaryStore.sqlite()
        defer { temp.remove() }
        let store = try SQLitePersonStore(path: temp.location)
        let ingestor = Ingestor(store: store)
        var start = 0
        var random = SeededRandom(seed: seed)
        while start < inputs.count {
            let size = Int.random(in: 1...60, using: &random)
            _ = try ingestor.ingest(Array(inputs[start..<min(start + size, inputs.count)]), now: Self.now)
            start += size
        }
        let stored = try store.outcome()
        #expect(stored == memory.outcome, "seed \(seed):\n\(ReferenceModel.difference(memory.outcome, stored))")
        // The aggregates and search columns written back at each commit agree with the rows.
        let problems = try store.check().problems
        #expect(problems == [])

        // Ingesting the stream twice changes nothing.
        let again = try ingestor.ingest(inputs, now: Self.now)
        #expect(again.events == 0)
        #expect(try store.outcome() == stored, "seed \(seed): second ingest")
    }

    /// Differential testing (issue 7): thousands of random events through the engine and the
    /// SQLite store, and through the naive reference model of the spec.
    @Test(arguments: [UInt64(7), 8, 9])
    func sqliteStoreAgreesWithTheReferenceModel(seed: UInt64) throws {
        let events = RandomEventStream.make(seed: seed, count: 1_500)
        let temp = try TemporaryStore.sqlite()
        defer { temp.remove() }
        let store = try SQLitePersonStore(path: temp.location)
        let path = try temp.file("stream.jsonl", events.map { JSONCoding.string($0) }.joined(separator: "\n") + "\n")
        _ = try Ingestor(store: store, batchSize: 250).ingestFile(path)
        let reference = ReferenceModel()
        for (index, value) in events.enumerated() { reference.ingest(value, position: index) }
        let stored = try store.outcome()
        #expect(stored == reference.outcome, "seed \(seed):\n\(ReferenceModel.difference(reference.outcome, stored))")
        let problems = try store.check().problems
        #expect(problems == [])
    }

    /// Undoing a manual merge on the SQLite store restores the state before it.
    @Test(arguments: [UInt64(201), 202])
    func undoOnTheStoreRestoresTheStateBeforeTheMerge(seed: UInt64) throws {
        let temp = try TemporaryStore.sqlite()
        defer { temp.remove() }
        let store = try SQLitePersonStore(path: temp.location)
        _ = try Ingestor(store: store).ingest(Self.inputs(RandomEventStream.make(seed: seed, count: 300)), now: Self.now)
        let ids = try store.read { db in try String.fetchAll(db, sql: "SELECT distinct_id FROM distinct_id ORDER BY distinct_id") }
            .filter { !IllegalDistinctIDs.isIllegal($0) }
        var random = SeededRandom(seed: seed)
        var tried = 0
        for _ in 0..<10 where tried < 3 {
            let target = random.pick(ids), source = random.pick(ids)
            let before = try store.outcome()
            let record: ActionRecord? = try store.write { storage in
                guard try storage.personID(forDistinctID: target) != storage.personID(forDistinctID: source) else { return nil }
                return try store.engine.manualMerge(target: target, source: source, force: true, in: storage, now: Self.now)
            }
            guard let record else { continue }
            _ = try store.write { storage in try store.engine.undo(record.id!, in: storage, now: Self.now) }
            #expect(try store.outcome() == before, "seed \(seed): \(source) into \(target)")
            let problems = try store.check().problems
            #expect(problems == [])
            tried += 1
        }
        #expect(tried > 0)
    }
}
