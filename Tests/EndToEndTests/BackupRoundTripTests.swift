import Foundation
import IdentityCore
import Testing
import TestSupport

@Suite("identikit export, check and replay", .ownThreads)
struct BackupRoundTripTests {
    /// Persons as comparable values: IDs, properties (without the creator uuid), identified flag.
    static func persons(_ cli: CommandLineRunner, db: String) throws -> Set<String> {
        let array = try JSONParser.parse(try cli.run(["persons", "--json", "--db", db]).stdout).arrayValue ?? []
        return Set(array.map { person in
            var properties = person["properties"]?.objectValue ?? [:]
            properties["$creator_event_uuid"] = nil
            let ids = (person["distinct_ids"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            return "\(ids) \(JSONWriter.string(.object(properties))) \(person["is_identified"] ?? .null)"
        })
    }

    static func warningTypes(_ cli: CommandLineRunner, db: String) throws -> [String] {
        (try JSONParser.parse(try cli.run(["warnings", "--json", "--db", db]).stdout).arrayValue ?? [])
            .compactMap { $0["type"]?.stringValue }.sorted()
    }

    @Test func exportReplaysIntoTheSameStoreIncludingManualMergesUndosAndSplits() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let original = cli.store
        let sample = PackageDirectory.path("Resources/sample-events.jsonl")
        #expect(try cli.run(["ingest", sample]).status == 0)
        #expect(try cli.run(["merge", "ada", "grace", "--force"]).status == 0)
        #expect(try cli.run(["merge", "margaret", "linus", "--force"]).status == 0)
        let undo = try cli.run(["undo", "5", "--json"])
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(try cli.run(["split", "ada", "--ids", "ada-legacy-42"]).status == 0)
        let check = try cli.run(["check"])
        #expect(check.status == 0, "\(check.stdout)")

        let backup = cli.directory.appendingPathComponent("backup.jsonl").path
        #expect(try cli.run(["export", "--out", backup]).status == 0)
        let restored = cli.directory.appendingPathComponent("restored.sqlite").path
        let replay = try cli.run(["ingest", backup, "--db", restored, "--json"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try JSONParser.parse(replay.stdout)["actions"] == 4)

        #expect(try Self.persons(cli, db: restored) == Self.persons(cli, db: original))
        #expect(try Self.warningTypes(cli, db: restored) == Self.warningTypes(cli, db: original))
        let stats = try cli.run(["stats", "--json"]).stdout
        #expect(try cli.run(["stats", "--json", "--db", restored]).stdout == stats)
        #expect(try cli.run(["check", "--db", restored]).status == 0)
    }

    @Test func checkReportsABrokenStoreAndExitsNonZero() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let sample = PackageDirectory.path("Resources/sample-events.jsonl")
        #expect(try cli.run(["ingest", sample]).status == 0)
        #expect(try cli.run(["check"]).stdout.hasPrefix("store OK"))

        // Damage it the way a bug would: a distinct ID pointing nowhere, a person left without IDs.
        _ = try ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE distinct_id SET person_id = 999999 WHERE distinct_id = 'grace'")
            db.commit()
            """, cli.store])
        let check = try cli.run(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("distinct IDs point at a person that does not exist"), "\(check.stdout)")
    }
}
