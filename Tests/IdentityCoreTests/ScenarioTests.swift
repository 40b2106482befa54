import Foundation
import IdentityCore
import ScenarioSupport
import Testing

@Suite("Scenarios through the core on in-memory storage")
struct CoreScenarioTests {
    static let scenarios = (try? Scenario.allWithPostHogCases()) ?? []

    @Test func scenariosAreFound() throws {
        #expect(try Scenario.all().count >= 12)
        #expect(try Scenario.postHogCases().count >= 90)
    }

    @Test(arguments: scenarios)
    func scenarioGivesExpectedOutcome(_ scenario: Scenario) throws {
        let storage = InMemoryStorage()
        let engine = IdentityEngine()
        for (index, value) in scenario.events.enumerated() {
            let location = InputLocation(source: scenario.name, line: index + 1)
            let input = EventValidator.validate(value, rawText: JSONCoding.string(value), location: location)
            _ = try engine.ingest(input, in: storage, now: Date(timeIntervalSince1970: 1_800_000_000))
        }
        #expect(storage.outcome == scenario.expected, "\(scenario.summary)")
        #expect(storage.facts(like: scenario.expectedFacts) == scenario.expectedFacts, "\(scenario.summary)")
    }

    @Test(arguments: scenarios)
    func ingestingTwiceChangesNothing(_ scenario: Scenario) throws {
        let storage = InMemoryStorage()
        let engine = IdentityEngine()
        for _ in 0..<2 {
            for (index, value) in scenario.events.enumerated() {
                let location = InputLocation(source: scenario.name, line: index + 1)
                let input = EventValidator.validate(value, rawText: JSONCoding.string(value), location: location)
                _ = try engine.ingest(input, in: storage, now: Date())
            }
        }
        #expect(storage.outcome == scenario.expected)
    }
}
