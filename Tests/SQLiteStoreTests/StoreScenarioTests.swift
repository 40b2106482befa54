import Foundation
import IdentityCore
import SQLiteStore
import Ingest
import ScenarioSupport
import Testing
import TestSupport

@Suite("Scenarios through the SQLite store")
struct StoreScenarioTests {
    static let scenarios = (try? Scenario.allWithPostHogCases()) ?? []

    @Test(arguments: scenarios)
    func scenarioThroughIngestedFile(_ scenario: Scenario) throws {
        let temp = try TemporaryStore.sqlite()
        defer { temp.remove() }
        let store = try SQLitePersonStore(path: temp.location)
        let path = try temp.file("\(scenario.name).jsonl", scenario.jsonLines)
        let ingestor = Ingestor(store: store, batchSize: 3)
        _ = try ingestor.ingestFile(path)
        #expect(try store.outcome() == scenario.expected, "\(scenario.summary)")

        // A second ingest of the same file changes nothing: events without a uuid get stable ones.
        let again = try ingestor.ingestFile(path)
        #expect(again.events == 0)
        #expect(try store.outcome() == scenario.expected)
    }

    @Test(arguments: scenarios)
    func storeMatchesInMemoryStorage(_ scenario: Scenario) throws {
        let temp = try TemporaryStore.sqlite()
        defer { temp.remove() }
        let store = try SQLitePersonStore(path: temp.location)
        let memory = InMemoryStorage()
        let engine = IdentityEngine()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for (index, value) in scenario.events.enumerated() {
            let location = InputLocation(source: scenario.name, line: index + 1)
            let input = EventValidator.validate(value, rawText: JSONCoding.string(value), location: location)
            _ = try engine.ingest(input, in: memory, now: now)
            _ = try Ingestor(store: store).ingest([input], now: now)
        }
        #expect(try store.outcome() == memory.outcome)
    }
}
