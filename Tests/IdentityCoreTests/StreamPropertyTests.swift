import Foundation
import IdentityCore
import PropertyBased
import ScenarioSupport
import Testing

/// Properties that must hold for any event stream (issue 3, "How it is checked"),
/// on in-memory storage. Fixed seeds keep CI repeatable; one check also draws fresh seeds.
@Suite("Properties of random event streams (in memory)")
struct StreamPropertyTests {
    static let seeds: [UInt64] = Array(1...24)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func inputs(_ events: [JSONValue], source: String = "stream") -> [ValidatedInput] {
        events.enumerated().map { index, value in
            EventValidator.validate(value, rawText: JSONCoding.string(value), location: InputLocation(source: source, line: index + 1))
        }
    }

    static func run(_ inputs: [ValidatedInput], into storage: InMemoryStorage = InMemoryStorage()) throws -> InMemoryStorage {
        let engine = IdentityEngine()
        for input in inputs { _ = try engine.ingest(input, in: storage, now: now) }
        return storage
    }

    /// Every distinct ID on exactly one existing person; no person without an ID;
    /// events == valid, non-duplicate inputs.
    static func checkInvariants(_ storage: InMemoryStorage, _ inputs: [ValidatedInput], seed: UInt64) {
        for record in storage.distinctIDRecords.values {
            #expect(storage.persons[record.personID] != nil, "seed \(seed): \(record.distinctID) points at a missing person")
        }
        let owned = Dictionary(grouping: storage.distinctIDRecords.values, by: \.personID)
        for (rowID, person) in storage.persons {
            #expect(!(owned[rowID] ?? []).isEmpty, "seed \(seed): person \(person.uuid) has no distinct ID")
        }
        var uuids = Set<UUID>()
        for input in inputs { if case .valid(let event) = input { uuids.insert(event.uuid) } }
        #expect(storage.events.count == uuids.count, "seed \(seed): events \(storage.events.count) != valid inputs \(uuids.count)")
        // A dropped input sent twice (same uuid) is kept once, as re-ingesting changes nothing.
        let invalid = Set(inputs.compactMap { input -> String? in
            if case .invalid(let invalid) = input { "\(invalid.type.rawValue) \(invalid.uuid)" } else { nil }
        }).count
        let invalidWarnings = storage.warnings.filter { $0.raw != nil }.count
        #expect(invalidWarnings == invalid, "seed \(seed): every invalid input is kept as a warning")
    }

    @Test(arguments: seeds)
    func invariantsHold(seed: UInt64) throws {
        let inputs = Self.inputs(RandomEventStream.make(seed: seed, count: 300))
        let storage = try Self.run(inputs)
        Self.checkInvariants(storage, inputs, seed: seed)
    }

    @Test func invariantsHoldForFreshSeeds() async {
        await propertyCheck(count: 20, input: Gen.uint64(in: 1_000...UInt64.max)) { seed in
            let inputs = Self.inputs(RandomEventStream.make(seed: seed, count: 200))
            do {
                let storage = try Self.run(inputs)
                Self.checkInvariants(storage, inputs, seed: seed)
                let reference = ReferenceModel()
                for (index, value) in RandomEventStream.make(seed: seed, count: 200).enumerated() {
                    reference.ingest(value, position: index)
                }
                #expect(storage.outcome == reference.outcome,
                        "seed \(seed):\n\(ReferenceModel.difference(reference.outcome, storage.outcome))")
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test(arguments: seeds)
    func ingestingTwiceGivesTheSameState(seed: UInt64) throws {
        let inputs = Self.inputs(RandomEventStream.make(seed: seed, count: 300))
        let storage = try Self.run(inputs)
        let once = storage.outcome
        let persons = storage.persons
        _ = try Self.run(inputs, into: storage)
        #expect(storage.outcome == once, "seed \(seed)")
        #expect(storage.persons == persons, "seed \(seed): versions and uuids unchanged too")
    }

    /// After a random stream, merge two random persons by hand (forced), undo, and compare.
    @Test(arguments: seeds)
    func undoingTheLastMergeRestoresTheStateBeforeIt(seed: UInt64) throws {
        let inputs = Self.inputs(RandomEventStream.make(seed: seed, count: 300))
        let storage = try Self.run(inputs)
        let engine = IdentityEngine()
        var random = SeededRandom(seed: seed)
        var tried = 0
        for _ in 0..<40 where tried < 5 {
            let ids = storage.distinctIDRecords.keys.map(\.text).filter { !IllegalDistinctIDs.isIllegal($0) }.sorted()
            guard ids.count >= 2 else { break }
            let target = random.pick(ids), source = random.pick(ids)
            guard storage.personID(forDistinctID: target) != storage.personID(forDistinctID: source) else { continue }
            let before = storage.outcome
            let record = try engine.manualMerge(target: target, source: source, force: true, in: storage, now: Self.now)
            #expect(storage.outcome != before)
            _ = try engine.undo(record.id!, in: storage, now: Self.now)
            #expect(storage.outcome == before, "seed \(seed): undo of \(source) into \(target)\n\(ReferenceModel.difference(before, storage.outcome))")
            tried += 1
        }
        #expect(tried > 0, "seed \(seed): no pair of persons to merge")
    }

    /// Undo the last merge an `$identify` / `$create_alias` / `$merge_dangerously` event made, when
    /// that event carried no property updates and its target was already identified: the state must
    /// be the one just before the event, apart from the event itself.
    @Test(arguments: seeds)
    func undoingAnEventMergeRestoresTheStateBeforeIt(seed: UInt64) throws {
        var stream = RandomEventStream(seed: seed)
        let storage = InMemoryStorage()
        let engine = IdentityEngine()
        var checked = 0
        for index in 0..<400 {
            let value = stream.next()
            let input = EventValidator.validate(value, rawText: JSONCoding.string(value), location: InputLocation(source: "s", line: index + 1))
            let before = storage.outcome
            let actionsBefore = Set(storage.actions.keys)
            let outcome = try engine.ingest(input, in: storage, now: Self.now)
            guard outcome.merges == 1, case .valid(let event) = input,
                  PropertyUpdates(event: event).isEmpty,
                  before.persons.contains(where: { $0.distinctIDs.contains(event.distinctID) && $0.isIdentified }),
                  let actionID = storage.actions.keys.first(where: { !actionsBefore.contains($0) }) else { continue }
            let after = storage.outcome
            _ = try engine.undo(actionID, in: storage, now: Self.now)
            var expected = before
            expected.eventCount += 1
            for warning in outcome.warnings { expected.warnings[warning.rawValue, default: 0] += 1 }
            #expect(storage.outcome == expected, "seed \(seed) line \(index + 1)\n\(ReferenceModel.difference(expected, storage.outcome))")
            // Put the merge back, so the stream goes on as generated.
            let again = try engine.manualMerge(target: event.distinctID, source: storage.actions[actionID]!.distinctIDs.first!,
                                               force: true, in: storage, now: Self.now)
            _ = again
            #expect(storage.outcome.persons == after.persons, "seed \(seed): re-merging after the undo")
            checked += 1
        }
        _ = checked
    }

    /// The differential test of issue 7, on in-memory storage (the SQLite one is in SQLiteStoreTests).
    @Test(arguments: seeds)
    func engineAgreesWithTheReferenceModel(seed: UInt64) throws {
        let events = RandomEventStream.make(seed: seed, count: 400)
        let storage = try Self.run(Self.inputs(events))
        let reference = ReferenceModel()
        for (index, value) in events.enumerated() { reference.ingest(value, position: index) }
        #expect(storage.outcome == reference.outcome, "seed \(seed):\n\(ReferenceModel.difference(reference.outcome, storage.outcome))")
    }

    @Test func referenceModelPassesEveryScenario() throws {
        for scenario in try Scenario.all() {
            let reference = ReferenceModel()
            for (index, value) in scenario.events.enumerated() { reference.ingest(value, position: index) }
            #expect(reference.outcome == scenario.expected, "\(scenario.name):\n\(ReferenceModel.difference(scenario.expected, reference.outcome))")
        }
    }
}
