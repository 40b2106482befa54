import DemoData
import Foundation
import IdentityCore
import Testing
import TestSupport

/// SIGKILL in the middle of `identikit ingest`, several times, then a re-run to completion, must
/// give exactly what one clean run gives: each transaction lands whole, and events dedupe by uuid.
/// The killed runs commit every 300 events in chunks of 100, so kills land inside transactions that
/// have taken some of their chunks and not others.
@Suite("crash safety: ingest killed with SIGKILL", .ownThreads)
struct CrashSafetyTests {
    /// Persons with their uuid, distinct IDs, properties (without the creator uuid) and identified flag.
    static func persons(_ cli: CommandLineRunner, db: String) throws -> [String] {
        let array = try JSONParser.parse(try cli.run(["persons", "--json", "--db", db]).stdout).arrayValue ?? []
        return array.map { person in
            var properties = person["properties"]?.objectValue ?? [:]
            properties["$creator_event_uuid"] = nil
            let ids = (person["distinct_ids"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            return "\(person["id"]?.stringValue ?? "?") \(ids) \(JSONWriter.string(.object(properties))) \(person["is_identified"] ?? .null)"
        }.sorted()
    }

    static func eventCount(_ cli: CommandLineRunner, db: String) -> Int? {
        guard let result = try? cli.run(["stats", "--json", "--db", db]), result.status == 0,
              case .int(let events)? = (try? JSONParser.parse(result.stdout))?["events"] else { return nil }
        return Int(events)
    }

    @Test func killedIngestsResumeToTheSameStoreAsOneCleanIngest() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let started = Date()
        // A demo stream with merges, refusals, aliases, illegal IDs and broken events.
        let lines = DemoGenerator(persons: 1500, seed: 20_251_128).map { JSONCoding.string($0) }
        let file = try cli.file("demo.jsonl", lines.joined(separator: "\n") + "\n")

        let clean = cli.directory.appendingPathComponent("clean.sqlite").path
        let cleanRun = try cli.run(["ingest", "--quiet", "--batch-size", "100", "--db", clean, file])
        try #require(cleanRun.status == 0, "\(cleanRun.stderr)")
        let total = try #require(Self.eventCount(cli, db: clean))
        #expect(total > 5000, "the file must be large enough to be killed in the middle of")

        // Kill points as fractions of the events, in order; a fixed seed makes them the same every run.
        var random = SplitMix64(seed: 7)
        let targets = (0..<5).map { _ in Double.random(in: 0.05...0.85, using: &random) }.sorted().map { Int($0 * Double(total)) }
        let crashed = cli.directory.appendingPathComponent("crashed.sqlite").path
        var kills: [(target: Int, landed: Int)] = []
        for target in targets {
            let process = try Identikit.start(["ingest", "--quiet", "--batch-size", "300", "--db", crashed, file],
                                              environment: ["IDENTIKIT_TEST_CHUNK_EVENTS": "100"])
            // Wait until at least `target` events have landed (read from another process), then kill.
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, Date() < deadline, (Self.eventCount(cli, db: crashed) ?? 0) < target {
                usleep(20_000)
            }
            process.send(SIGKILL)
            #expect(process.wait()?.signal != nil, "ingest finished before the kill at \(target) events")
            let landed = Self.eventCount(cli, db: crashed) ?? -1
            kills.append((target, landed))
            #expect(landed >= target && landed < total, "killed at \(landed) of \(total) events")
            // After every kill the store is whole: no half batch, no half merge.
            let check = try cli.run(["check", "--db", crashed])
            #expect(check.status == 0, "after a kill at \(landed) events: \(check.stdout)\(check.stderr)")
        }

        let resumed = try cli.run(["ingest", "--quiet", "--batch-size", "100", "--db", crashed, file])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try cli.run(["check", "--db", crashed]).status == 0)
        #expect(Self.eventCount(cli, db: crashed) == total)
        #expect(try Self.persons(cli, db: crashed) == Self.persons(cli, db: clean))
        #expect(try BackupRoundTripTests.warningTypes(cli, db: crashed) == BackupRoundTripTests.warningTypes(cli, db: clean))
        let seconds = Date().timeIntervalSince(started)
        print("crash test: \(total) events, kills at \(kills.map { "\($0.landed)" }.joined(separator: ", ")); \(String(format: "%.1f", seconds)) s")
        #expect(seconds < 120)
    }
}
