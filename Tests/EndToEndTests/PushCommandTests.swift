import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit push` against a real `identikit serve` standing in for PostHog's capture endpoint,
/// checked on the receiving store.
@Suite("identikit push to a capture endpoint", .ownThreads)
struct PushCommandTests {
    static let key = "phc_secret_push_test_key"

    /// Four identified persons, in both stores: the receiving store plays the PostHog project.
    static let events = ["ada", "grace", "linus", "ken"].enumerated().map { n, id in
        #"{"event":"$identify","distinct_id":"\#(id)","uuid":"00000000-0000-4000-8000-00000000000\#(n)","properties":{"$anon_distinct_id":"anon-\#(id)"},"timestamp":"2026-01-01T10:00:0\#(n)Z"}"#
    }.joined(separator: "\n")

    final class Setup {
        let cli: CommandLineRunner
        let receiving: TemporaryStore
        let server: ServeProcess

        init() throws {
            cli = try CommandLineRunner()
            receiving = try TemporaryStore.sqlite(named: "posthog.sqlite")
            let events = try cli.file("events.jsonl", PushCommandTests.events)
            try cli.run(["ingest", events])
            try cli.run(["ingest", "--db", receiving.location, events])
            server = try ServeProcess(store: receiving.location, extraArguments: ["--api-key", PushCommandTests.key])
        }

        /// The receiving store's persons, as sets of distinct IDs.
        func receivedGroups() throws -> Set<Set<String>> {
            let persons = try JSONParser.parse(try cli.run(["persons", "--json", "--db", receiving.location]).stdout)
            return Set((persons.arrayValue ?? []).map { Set(($0["distinct_ids"]?.arrayValue ?? []).compactMap(\.stringValue)) })
        }

        func merge(_ target: String, _ source: String) throws -> Int64 {
            let result = try cli.run(["merge", target, source, "--force", "--json"])
            guard case .int(let id)? = try JSONParser.parse(result.stdout)["id"] else { throw TestFailure("merge failed: \(result.stderr)") }
            return id
        }

        func push(_ extra: [String] = [], environment: [String: String] = [:]) throws -> (JSONValue, ProcessOutput) {
            let result = try cli.run(["push", "--host", server.url, "--json"] + extra, environment: environment)
            return ((try? JSONParser.parse(result.stdout)) ?? .null, result)
        }

        func cleanUp() {
            server.stop()
            receiving.remove()
            cli.cleanUp()
        }
    }

    static let separate: Set<Set<String>> = [["ada", "anon-ada"], ["grace", "anon-grace"], ["linus", "anon-linus"], ["ken", "anon-ken"]]

    @Test func mergesArriveOnceAndASecondPushSendsNothing() throws {
        let setup = try Setup()
        defer { setup.cleanUp() }
        _ = try setup.merge("ada", "grace")
        _ = try setup.merge("linus", "ken")

        let (first, run) = try setup.push(["--api-key", Self.key])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(first["sent"] == 2 && first["skipped"] == 0 && first["needs_attention"] == [])
        #expect(try setup.receivedGroups() == [["ada", "anon-ada", "grace", "anon-grace"], ["linus", "anon-linus", "ken", "anon-ken"]])
        let received = try JSONParser.parse(try setup.cli.run(["stats", "--json", "--db", setup.receiving.location]).stdout)
        #expect(received["events"] == 6)

        // The key from the environment this time; nothing is new.
        let (second, again) = try setup.push(environment: ["POSTHOG_API_KEY": Self.key])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(second["sent"] == 0 && second["skipped"] == 2)
        #expect(try JSONParser.parse(try setup.cli.run(["stats", "--json", "--db", setup.receiving.location]).stdout)["events"] == 6)

        // The key is never printed nor kept in the store (file and WAL).
        #expect(!(run.stdout + run.stderr + again.stdout + again.stderr).contains(Self.key))
        for suffix in ["", "-wal"] {
            if let bytes = FileManager.default.contents(atPath: setup.cli.store + suffix) {
                #expect(bytes.range(of: Data(Self.key.utf8)) == nil, "the API key is in \(setup.cli.store + suffix)")
            }
        }
    }

    @Test func undoneAfterPushAndSplitsNeedAttentionAndAreNeverSent() throws {
        let setup = try Setup()
        defer { setup.cleanUp() }
        let merge = try setup.merge("ada", "grace")
        #expect(try setup.push(["--api-key", Self.key]).0["sent"] == 1)
        #expect(try setup.cli.run(["undo", String(merge)]).status == 0)
        #expect(try setup.cli.run(["split", "linus", "--ids", "anon-linus"]).status == 0)

        let (json, run) = try setup.push(["--api-key", Self.key])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(json["sent"] == 0)
        let attention = json["needs_attention"]?.arrayValue ?? []
        #expect(attention.compactMap { $0["kind"]?.stringValue } == ["undone_merge", "split"])
        #expect(attention[0]["distinct_ids"] == ["ada", "grace"])
        #expect(attention[0]["what_to_do"]?.stringValue?.contains("Split IDs") == true)
        #expect(attention[1]["distinct_ids"] == ["anon-linus"])
        // PostHog (here: the receiving store) still has the one merge, nothing more.
        #expect(try setup.receivedGroups() == [["ada", "anon-ada", "grace", "anon-grace"], ["linus", "anon-linus"], ["ken", "anon-ken"]])

        let human = try setup.cli.run(["push", "--host", setup.server.url, "--api-key", Self.key])
        #expect(human.stdout.contains("2 changes need attention in PostHog"), "\(human.stdout)")
    }

    @Test func dryRunPrintsTheBatchWithTheKeyRedactedAndSendsAndRecordsNothing() throws {
        let setup = try Setup()
        defer { setup.cleanUp() }
        _ = try setup.merge("ada", "grace")
        for _ in 0..<2 {
            let run = try setup.cli.run(["push", "--host", setup.server.url + "/", "--api-key", Self.key, "--dry-run"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("POST \(setup.server.url)/batch/"), "\(run.stdout)")
            #expect(run.stdout.contains(#""api_key" : "<redacted>""#) || run.stdout.contains(#""api_key": "<redacted>""#), "\(run.stdout)")
            #expect(run.stdout.contains(#""event" : "$merge_dangerously""#) || run.stdout.contains(#""event": "$merge_dangerously""#))
            #expect(run.stdout.contains(#""alias" : "grace""#) || run.stdout.contains(#""alias": "grace""#), "\(run.stdout)")
            #expect(!run.stdout.contains(Self.key))
        }
        let (json, _) = try setup.push(["--dry-run"])
        #expect(json["would_send"] == 1 && json["sent"] == 0)
        #expect(try setup.receivedGroups() == Self.separate)
    }

    @Test func aFailingServerIsTriedAgainAndTheResendIsTheSameEvent() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        try cli.run(["ingest", try cli.file("events.jsonl", Self.events)])
        try cli.run(["merge", "ada", "grace", "--force"])
        let flaky = try ScriptedHTTPServer(statuses: [503, 503, 200])
        defer { flaky.stop() }
        let run = try cli.run(["push", "--host", flaky.url, "--api-key", Self.key, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try JSONParser.parse(run.stdout)["sent"] == 1)
        #expect(run.stderr.contains("HTTP 503"), "\(run.stderr)")
        #expect(!run.stderr.contains(Self.key))
        let bodies = try flaky.bodies.map { try JSONParser.parse($0) }
        #expect(bodies.count == 3)
        #expect(Set(bodies.map { $0["batch"]?.arrayValue?.first?["uuid"] }).count == 1)
        #expect(bodies[0]["api_key"] == .string(Self.key))
        #expect(bodies[0]["batch"]?.arrayValue?.first?["distinct_id"] == "ada")
        #expect(bodies[0]["batch"]?.arrayValue?.first?["properties"]?["alias"] == "grace")
    }

    @Test func anUnreachableHostRecordsNothing() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        try cli.run(["ingest", try cli.file("events.jsonl", Self.events)])
        try cli.run(["merge", "ada", "grace", "--force"])
        let host = "http://127.0.0.1:\(try FreePort.find())"
        let run = try cli.run(["push", "--host", host, "--api-key", Self.key, "--tries", "2"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("after 2 tries") && run.stderr.contains("nothing was recorded"), "\(run.stderr)")
        #expect(!run.stderr.contains(Self.key))
        // Still to send: a later push to a working host sends it.
        let dry = try JSONParser.parse(try cli.run(["push", "--host", host, "--dry-run", "--json"]).stdout)
        #expect(dry["would_send"] == 1)
    }
}
