import Foundation
import IdentityCore
import Testing
import TestSupport

/// PostHog's newest person rules where a user sees them: the ingest summary, `person`, `warnings`.
@Suite("The newest rules through the command line", .ownThreads)
struct NewestRulesCommandTests {
    static func line(_ name: String, _ id: String, _ n: Int, _ properties: String = "{}") -> String {
        #"{"event":"\#(name)","distinct_id":"\#(id)","uuid":"00000000-0000-4000-8000-\#(String(format: "%012d", n))","properties":\#(properties)}"#
    }

    @Test func personlessMergeEventsAreCountedApartFromInvalidLines() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let path = try cli.file("events.jsonl", [
            Self.line("$pageview", "anon", 1),
            Self.line("$identify", "user", 2, #"{"$anon_distinct_id":"anon","$process_person_profile":false}"#),
            "not json",
        ].joined(separator: "\n"))
        let text = try cli.run(["ingest", path])
        #expect(text.status == 0)
        #expect(text.stderr.contains("invalid lines       1"), "\(text.stderr)")
        #expect(text.stderr.contains("dropped personless  1"), "\(text.stderr)")
        let json = try JSONParser.parse(try cli.run(["ingest", "--json", path]).stdout)
        #expect(json["duplicates"] == 1, "the valid event again; the dropped one is kept once")
        let stats = try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)
        #expect(stats["events"] == 1, "the dropped $identify is not an event")
        let warnings = try JSONParser.parse(try cli.run(
            ["warnings", "--json", "--type", "invalid_event_when_process_person_profile_is_false"]).stdout).arrayValue ?? []
        #expect(warnings.count == 1)
        #expect(warnings.first?["raw"]?.stringValue?.contains("$identify") == true)
    }

    @Test func personMarksAPropertyWhoseNewerValueTheChurnFilterSkipped() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let path = try cli.file("events.jsonl", [
            Self.line("$pageview", "a", 1, #"{"$current_url":"/old"}"#),
            Self.line("$pageview", "a", 2, #"{"$current_url":"/new"}"#),
        ].joined(separator: "\n"))
        #expect(try cli.run(["ingest", path]).status == 0)
        let text = try cli.run(["person", "a"])
        let row = text.stdout.split(separator: "\n").first { $0.hasPrefix("$current_url ") }.map(String.init) ?? ""
        #expect(row.contains("/old") && row.contains("$set (newer value /new skipped: churn filter)"), "\(text.stdout)")
        let json = try JSONParser.parse(try cli.run(["person", "a", "--json"]).stdout)
        #expect(json["properties"]?["$current_url"] == "/old")
        let skipped = json["provenance"]?["$current_url"]?["skipped"]
        #expect(skipped?["value"] == "/new")
        #expect(skipped?["reason"] == "churn_filter", "the name events' effects use")
        #expect(skipped?["event_uuid"] == "00000000-0000-4000-8000-000000000002")
    }

    @Test func caseCollisionWarningNamesBothIDs() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let path = try cli.file("events.jsonl", [Self.line("e", "ada@example.com", 1), Self.line("e", "Ada@Example.com", 2)]
            .joined(separator: "\n"))
        #expect(try cli.run(["ingest", path]).status == 0)
        let warnings = try JSONParser.parse(try cli.run(["warnings", "--json", "--type", "distinct_id_case_collision"]).stdout)
        #expect(warnings.arrayValue?.count == 1)
        #expect(warnings.arrayValue?.first?["distinct_ids"] == ["Ada@Example.com", "ada@example.com"])
        let persons = try JSONParser.parse(try cli.run(["persons", "--json"]).stdout)
        #expect(persons.arrayValue?.count == 2, "never merged by case")
    }
}
