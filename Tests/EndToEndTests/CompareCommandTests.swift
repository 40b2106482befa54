import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit compare` through the built binary, on crafted PostHog persons exports.
@Suite("identikit compare against PostHog persons exports", .ownThreads)
struct CompareCommandTests {
    /// identikit's side: ada and grace identified (agree with PostHog), bob and bob-phone apart
    /// (PostHog merged them), carl joined with anon-carl (PostHog keeps them apart), solo only here.
    static let events = [
        #"{"event":"$identify","distinct_id":"ada","properties":{"$anon_distinct_id":"anon-ada"},"timestamp":"2026-01-01T10:00:00Z"}"#,
        #"{"event":"$identify","distinct_id":"grace","properties":{"$anon_distinct_id":"anon-grace"},"timestamp":"2026-01-01T10:01:00Z"}"#,
        #"{"event":"$pageview","distinct_id":"bob","timestamp":"2026-01-01T10:02:00Z"}"#,
        #"{"event":"$pageview","distinct_id":"bob-phone","timestamp":"2026-01-01T10:03:00Z"}"#,
        #"{"event":"$identify","distinct_id":"carl","properties":{"$anon_distinct_id":"anon-carl"},"timestamp":"2026-01-01T10:04:00Z"}"#,
        #"{"event":"$pageview","distinct_id":"solo","timestamp":"2026-01-01T10:05:00Z"}"#,
    ].joined(separator: "\n")

    static func row(_ id: String, _ person: String, version: Int = 0, deleted: Bool = false) -> String {
        #"{"team_id":2,"distinct_id":"\#(id)","person_id":"\#(person)","properties":"{\"email\":\"\#(id)@example.com\"}","person_distinct_id_version":"\#(version)","person_version":1,"created_at":"2026-01-01 10:00:00.000000","_inserted_at":"2026-01-01 10:00:00.000000","is_deleted":\#(deleted ? 1 : 0)}"#
    }

    static let export = [
        row("ada", "p-ada"), row("anon-ada", "p-ada"),
        row("grace", "p-grace"), row("anon-grace", "p-other", version: 1), row("anon-grace", "p-grace", version: 3),
        row("grace-old", "p-grace", version: 2, deleted: true),
        "{\"distinct_id\": 42}",
        row("bob", "p-bob"), row("bob-phone", "p-bob"),
        row("carl", "p-carl"), row("anon-carl", "p-anon-carl"),
        row("ph-only", "p-ph"),
    ].joined(separator: "\n") + "\n"

    static let expected: JSONValue = [
        "agree": 2,
        "differ": [
            ["distinct_ids": ["anon-carl", "carl"], "posthog": [["anon-carl"], ["carl"]], "identikit": [["anon-carl", "carl"]]],
            ["distinct_ids": ["bob", "bob-phone"], "posthog": [["bob", "bob-phone"]], "identikit": [["bob"], ["bob-phone"]]],
        ],
        "only_in_posthog": ["ph-only"],
        "only_in_identikit": ["solo"],
    ]

    func compareJSON(_ cli: CommandLineRunner, _ files: [String]) throws -> (JSONValue, ProcessOutput) {
        let result = try cli.run(["compare", "--json"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        return (try JSONParser.parse(result.stdout), result)
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func agreementsMergesOnEitherSideDeletedRowsAndDuplicateVersions(kind: TemporaryStore.Kind) throws {
        let cli = try CommandLineRunner(store: try TemporaryStore.make(kind))
        defer { cli.cleanUp() }
        try cli.run(["ingest", try cli.file("events.jsonl", Self.events)])
        let (json, result) = try compareJSON(cli, [try cli.file("persons.jsonl", Self.export)])
        #expect(json == Self.expected)
        // The bad row is named by file and line, and every good row still counted.
        #expect(result.stderr.contains("persons.jsonl:7: field distinct_id"), "\(result.stderr)")
    }

    @Test func humanOutputListsDisagreementsBiggestFirstWithWhyLinked() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        try cli.run(["ingest", try cli.file("events.jsonl", Self.events)])
        let bigger = Self.export + [Self.row("x1", "px"), Self.row("x2", "px"), Self.row("x3", "px")].joined(separator: "\n")
        try cli.run(["ingest", try cli.file("more.jsonl", ["x1", "x2", "x3"].map {
            #"{"event":"$pageview","distinct_id":"\#($0)","timestamp":"2026-01-01T11:00:00Z"}"#
        }.joined(separator: "\n"))])
        let result = try cli.run(["compare", try cli.file("persons.jsonl", bigger)])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("agree              2 persons"), "\(out)")
        #expect(out.contains("differ             3 sets of IDs"), "\(out)")
        let first = try #require(out.range(of: "1. 3 distinct IDs"))
        let carl = try #require(out.range(of: #"identikit:  ["anon-carl", "carl"]"#))
        #expect(first.lowerBound < carl.lowerBound)
        #expect(out.contains(#"why identikit joined "anon-carl" and "carl":"#), "\(out)")
        #expect(out.contains(#""carl" ↔ "anon-carl"  by $identify event"#), "\(out)")
    }

    @Test func gzipExportsAreReadAndSeveralFilesMakeOneExport() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        try cli.run(["ingest", try cli.file("events.jsonl", Self.events)])
        let lines = Self.export.split(separator: "\n").map(String.init)
        let first = try cli.file("persons-1.jsonl.gz", bytes: Array(GzipTestData.gzip(Data(lines[..<5].joined(separator: "\n").utf8))))
        let second = try cli.file("persons-2.jsonl", lines[5...].joined(separator: "\n"))
        #expect(try compareJSON(cli, [first, second]).0 == Self.expected)
    }

    @Test func theComparisonIsStoredAndAnAcceptedDisagreementStaysAcceptedWhileUnchanged() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        try cli.run(["ingest", try cli.file("events.jsonl", Self.events)])
        let export = try cli.file("persons.jsonl", Self.export)
        try cli.run(["compare", export])
        func statuses() throws -> String {
            let script = "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
                + "print(';'.join(f'{d}={s}' for d, s in db.execute('SELECT distinct_ids, status FROM posthog_difference ORDER BY position')))"
            return try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, cli.store]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try statuses() == #"["anon-carl","carl"]=open;["bob","bob-phone"]=open"#)
        // The explorer's `a` on the bob disagreement, done here by hand.
        try BadInputTests.sqlite(cli.store, #"UPDATE posthog_difference SET status = 'accepted' WHERE distinct_ids = '["bob","bob-phone"]'"#)
        try cli.run(["compare", export])
        #expect(try statuses() == #"["anon-carl","carl"]=open;["bob","bob-phone"]=accepted"#)
        #expect(try cli.run(["compare", export]).stdout.contains("(1 marked accepted)"))
        // Repaired here (bob merged as PostHog has it): the disagreement is gone from the stored comparison.
        try cli.run(["merge", "bob", "bob-phone"])
        try cli.run(["compare", export])
        #expect(try statuses() == #"["anon-carl","carl"]=open"#)
    }

    @Test func parquetIsRefusedAskingForJSONLines() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        try cli.run(["ingest", try cli.file("none.jsonl", "")])
        let path = try cli.file("persons.parquet", bytes: Array("PAR1".utf8) + [0, 1, 2, 3] + Array("PAR1".utf8))
        let result = try cli.run(["compare", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Parquet") && result.stderr.contains("JSON Lines") && result.stderr.contains(path), "\(result.stderr)")
    }
}
