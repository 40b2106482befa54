import Foundation
import IdentityCore
import Testing
import TestSupport

/// Results gathered from many threads.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var results: [(label: String, result: CommandLineRunner.Result)] = []

    func add(_ label: String, _ result: CommandLineRunner.Result) {
        lock.lock()
        results.append((label, result))
        lock.unlock()
    }
}

/// Real processes sharing one store: ingests on different files, a CLI merging and undoing, and
/// readers, all at once. Nobody may see "database is locked", and the end state must be exact.
@Suite("concurrency: several processes on one store", .ownThreads)
struct ConcurrencyTests {
    static let pairs = 12
    static let usersPerFile = 300
    static let files = 3

    static func event(_ name: String, _ id: String, _ uuid: Int, properties: String = "{}") -> String {
        #"{"event":"\#(name)","distinct_id":"\#(id)","uuid":"00000000-0000-4000-8000-\#(String(format: "%012d", uuid))","properties":\#(properties)}"#
    }

    /// File k: per user an anonymous pageview, an identify joining it to the user's ID, three more
    /// events. 5 events, 2 distinct IDs and 1 person per user; no ID is shared between files.
    static func ingestFile(_ k: Int) -> String {
        var lines: [String] = []
        var uuid = 1_000_000 * (k + 1)
        for j in 0..<usersPerFile {
            let anon = "f\(k)-anon-\(j)", user = "f\(k)-user-\(j)"
            lines.append(event("$pageview", anon, uuid)); uuid += 1
            lines.append(event("$identify", user, uuid, properties: #"{"$anon_distinct_id":"\#(anon)","$set":{"file":\#(k)}}"#)); uuid += 1
            for _ in 0..<3 { lines.append(event("$pageview", user, uuid)); uuid += 1 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func ingestsMergesUndosAndReadersShareOneStoreWithoutLockErrors() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let started = Date()
        // Persons to merge by hand while the ingests run: m-a<i> and m-b<i>, anonymous, one event each.
        let base = (0..<Self.pairs).flatMap { i in
            [Self.event("$pageview", "m-a\(i)", 2 * i + 1), Self.event("$pageview", "m-b\(i)", 2 * i + 2)]
        }
        let basePath = try cli.file("base.jsonl", base.joined(separator: "\n") + "\n")
        try #require(try cli.run(["ingest", "--quiet", basePath]).status == 0)
        let paths = try (0..<Self.files).map { try cli.file("file\($0).jsonl", Self.ingestFile($0)) }

        let outcomes = Outcomes()
        let group = DispatchGroup()
        func spawn(_ body: @escaping @Sendable () throws -> Void) {
            DispatchQueue.global().async(group: group) {
                do { try body() } catch { Issue.record("\(error)") }
            }
        }
        for (k, path) in paths.enumerated() {
            spawn { outcomes.add("ingest \(k)", try cli.run(["ingest", "--quiet", "--batch-size", "25", path])) }
        }
        spawn {
            for i in 0..<Self.pairs {
                let merge = try cli.run(["merge", "m-a\(i)", "m-b\(i)", "--json"])
                outcomes.add("merge \(i)", merge)
                guard i % 2 == 0, case .int(let id)? = (try? JSONParser.parse(merge.stdout))?["id"] else { continue }
                outcomes.add("undo \(id)", try cli.run(["undo", String(id)]))
            }
        }
        for reader in 0..<2 {
            spawn {
                for round in 0..<8 {
                    let persons = try cli.run(["persons", "--json"])
                    if (try? JSONParser.parse(persons.stdout))?.arrayValue == nil { Issue.record("persons --json did not parse") }
                    outcomes.add("reader \(reader) persons \(round)", persons)
                    outcomes.add("reader \(reader) stats \(round)", try cli.run(["stats"]))
                }
            }
        }
        group.wait()
        let seconds = Date().timeIntervalSince(started)

        for (label, result) in outcomes.results {
            #expect(result.status == 0, "\(label) exited \(result.status): \(result.stderr)")
            #expect(!result.stderr.localizedCaseInsensitiveContains("locked"), "\(label): \(result.stderr)")
            #expect(!result.stderr.localizedCaseInsensitiveContains("busy"), "\(label): \(result.stderr)")
        }
        #expect(outcomes.results.count == Self.files + Self.pairs + Self.pairs / 2 + 2 * 8 * 2)

        let stats = try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)
        let users = Self.files * Self.usersPerFile
        #expect(stats["events"] == .int(Int64(2 * Self.pairs + 5 * users)))
        #expect(stats["distinct_ids"] == .int(Int64(2 * Self.pairs + 2 * users)))
        #expect(stats["persons"] == .int(Int64(Self.pairs + Self.pairs / 2 + users)), "each undone merge brought one person back")
        #expect(stats["merges"] == .int(Int64(Self.pairs / 2)))
        #expect(stats["warnings"] == 0)
        let check = try cli.run(["check"])
        #expect(check.status == 0, "\(check.stdout)")
        print("concurrency test: \(outcomes.results.count) processes beside the setup, \(String(format: "%.1f", seconds)) s")
    }
}
