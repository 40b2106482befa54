import Foundation
import IdentityCore
import ScenarioSupport
import Testing
import TestSupport

@Suite("Scenarios through the identikit command line", .ownThreads)
struct ScenarioCommandLineTests {
    static let scenarios = (try? Scenario.all()) ?? []

    /// Every scenario, with the store in a SQLite file and in a PostgreSQL database.
    @Test(arguments: scenarios, TemporaryStore.Kind.allCases)
    func scenarioThroughIngestAndJSONOutput(_ scenario: Scenario, _ kind: TemporaryStore.Kind) throws {
        let cli = try CommandLineRunner(store: try TemporaryStore.make(kind))
        defer { cli.cleanUp() }
        let path = try cli.file("events.jsonl", scenario.jsonLines)
        let ingest = try cli.run(["ingest", path])
        #expect(ingest.status == 0, "\(ingest.stderr)")

        let persons = try JSONParser.parse(try cli.run(["persons", "--json"]).stdout)
        let warnings = try JSONParser.parse(try cli.run(["warnings", "--json"]).stdout)
        let stats = try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)
        guard case .int(let events)? = stats["events"] else {
            Issue.record("stats --json has no events count")
            return
        }
        let outcome = Outcome(persons: (persons.arrayValue ?? []).map(ComparablePerson.init(json:)),
                              warningTypes: (warnings.arrayValue ?? []).compactMap { $0["type"]?.stringValue },
                              eventCount: Int(events))
        #expect(outcome == scenario.expected, "\(scenario.summary)")
        #expect(stats["persons"] == .int(Int64(scenario.expected.persons.count)))
        #expect(stats["warnings"] == .int(Int64(scenario.expected.warnings.values.reduce(0, +))))
    }
}
