import Foundation
import IdentityCore
import Testing
import TestSupport

/// Bad input and bad stores beyond `IngestCommandTests`: each is named in the message with where it
/// is, and nothing valid around it is lost.
@Suite("bad input and bad stores", .ownThreads)
struct BadInputTests {
    static func event(_ id: String, _ n: Int, properties: String = "{}") -> String {
        #"{"event":"$pageview","distinct_id":"\#(id)","uuid":"00000000-0000-4000-8000-\#(String(format: "%012d", n))","properties":\#(properties)}"#
    }

    static func stats(_ cli: CommandLineRunner) throws -> JSONValue {
        try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)
    }

    static func warnings(_ cli: CommandLineRunner, type: String) throws -> [JSONValue] {
        try JSONParser.parse(try cli.run(["warnings", "--json", "--type", type]).stdout).arrayValue ?? []
    }

    @Test func wrongTypesAreRejectedOrIgnoredAsTheRulesSayAndNamedWithTheirLine() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let lines = [
            Self.event("a", 1),
            #"{"event":"e","distinct_id":{"id":1}}"#,
            #"{"event":"e","distinct_id":["x"]}"#,
            #"{"event":"e","distinct_id":true}"#,
            #"{"event":"e","distinct_id":"p","properties":"not an object"}"#,
            Self.event("b", 2, properties: #"{"$set":"oops","$set_once":{"first":1}}"#),
            Self.event("b", 3, properties: #"{"$set_once":[1],"$set":{"plan":"pro"}}"#),
            Self.event("b", 4, properties: #"{"$unset":42}"#),
            Self.event("c", 5),
        ]
        let path = try cli.file("types.jsonl", lines.joined(separator: "\n") + "\n")
        let ingest = try cli.run(["ingest", path, "--json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let summary = try JSONParser.parse(ingest.stdout)
        #expect(summary["events"] == 5)
        #expect(summary["invalid"] == 4)

        let invalid = try Self.warnings(cli, type: "invalid_event")
        let bySource = Dictionary(uniqueKeysWithValues: invalid.map { ($0["source"]?.stringValue ?? "", $0["details"] ?? .null) })
        #expect(bySource["\(path):2"]?["reason"] == "distinct_id must be a string or a number, got object")
        #expect(bySource["\(path):3"]?["reason"] == "distinct_id must be a string or a number, got array")
        #expect(bySource["\(path):4"]?["reason"] == "distinct_id must be a string or a number, got boolean")
        #expect(bySource["\(path):5"]?["reason"] == "properties must be an object, got string that is not a JSON-encoded object")
        #expect(bySource["\(path):5"]?["field"] == "properties")

        // Wrong-typed updates are ignored as the rules say, and the summary names each one and where.
        #expect(summary["notice_count"] == 3)
        let notices = (summary["notices"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(notices.count == 3)
        #expect(notices[0].hasPrefix("\(path):6: properties.$set ignored"), "\(notices)")
        #expect(notices[1].hasPrefix("\(path):7: properties.$set_once ignored"))
        #expect(notices[2].hasPrefix("\(path):8: properties.$unset ignored"))

        let person = try JSONParser.parse(try cli.run(["person", "b", "--json"]).stdout)
        #expect(person["properties"]?["first"] == 1)
        #expect(person["properties"]?["plan"] == "pro")
        #expect(try cli.run(["check"]).status == 0)
    }

    @Test func aTenMegabyteLineIsHandledWithoutLosingItsNeighbours() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let tenMB = String(repeating: "x", count: 10 << 20)
        let lines = [
            Self.event("a", 1),
            #"{"event":"big","distinct_id":"junk","properties":{"blob":"\#(tenMB)"#,  // never closed: not JSON
            Self.event("big-props", 2, properties: #"{"blob":"\#(tenMB)"}"#),  // valid: a big event property
            Self.event("big-set", 3, properties: #"{"$set":{"blob":"\#(tenMB)"}}"#),  // valid, but the person would pass 640 KiB
            Self.event("c", 4),
        ]
        let path = try cli.file("big.jsonl", lines.joined(separator: "\n") + "\n")
        let started = Date()
        let ingest = try cli.run(["ingest", path, "--json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(try JSONParser.parse(ingest.stdout)["events"] == 4)

        let invalid = try Self.warnings(cli, type: "invalid_event")
        #expect(invalid.count == 1)
        #expect(invalid.first?["source"]?.stringValue == "\(path):2")
        #expect(invalid.first?["details"]?["reason"]?.stringValue?.hasPrefix("not valid JSON") == true)
        let size = try Self.warnings(cli, type: "person_properties_size_violation")
        #expect(size.first?["source"]?.stringValue == "\(path):4")
        // The kept raw text of the bad line is capped, not 10 MB in the store.
        let export = try cli.run(["export"]).stdout
        let rawLine = export.split(separator: "\n").first { $0.contains(#"distinct_id\":\"junk"#) }
        #expect(rawLine.map { $0.utf8.count < 100_000 } == true, "raw line kept: \(rawLine?.utf8.count ?? -1) bytes")
    }

    @Test func invalidUTF8IsAWarningNamingTheLine() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        var bytes = Array((Self.event("a", 1) + "\n").utf8)
        bytes += Array(#"{"event":"e","distinct_id":"bad"#.utf8) + [0xFF, 0xC0, 0x80] + Array("\"}\n".utf8)
        bytes += Array(#"{"event":"e","distinct_id":"surrogate-\ud800"}"#.utf8) + [0x0A]
        bytes += Array((Self.event("b", 2) + "\n").utf8)
        let path = try cli.file("utf8.jsonl", bytes: bytes)
        let ingest = try cli.run(["ingest", path, "--json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(try JSONParser.parse(ingest.stdout)["events"] == 3)
        let invalid = try Self.warnings(cli, type: "invalid_event")
        let reasons = Dictionary(uniqueKeysWithValues: invalid.map { ($0["source"]?.stringValue ?? "", $0["details"]?["reason"]?.stringValue ?? "") })
        #expect(reasons == ["\(path):2": "line is not valid UTF-8"])
        // A lone UTF-16 surrogate in a \u escape is valid JSON text but no character: it becomes U+FFFD.
        #expect(try cli.run(["person", "surrogate-\u{FFFD}"]).status == 0)
    }

    /// A mistyped --db (or $IDENTIKIT_DB) must not become a new, empty store that lists nothing.
    @Test func aStoreThatIsNotThereIsRefusedNotCreated() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let typo = cli.directory.appendingPathComponent("tpyo.sqlite").path
        let refusal = "identikit: no store at \(typo): check the path (--db or $IDENTIKIT_DB); `identikit ingest FILE --db \(typo)` creates one\n"
        for arguments in [["persons"], ["person", "ada"], ["events"], ["warnings"], ["stats"], ["why", "a", "b"], ["check"],
                          ["merge", "a", "b"], ["suspects"]] {
            let result = try cli.run(arguments + ["--db", typo])
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr == refusal, "\(arguments): \(result.stderr)")
        }
        #expect(try cli.run(["stats"], environment: ["IDENTIKIT_DB": typo]).stderr == refusal)
        let copy = try cli.run(["copy", "--from", typo, "--to", cli.directory.appendingPathComponent("copy.sqlite").path])
        #expect(copy.status == 1)
        #expect(copy.stderr == refusal, "\(copy.stderr)")
        #expect(!FileManager.default.fileExists(atPath: typo))
        // Ingest creates the store it names.
        #expect(try cli.run(["ingest", try cli.file("one.jsonl", Self.event("a", 1) + "\n"), "--db", typo]).status == 0)
        #expect(try cli.run(["stats", "--db", typo]).status == 0)
    }

    @Test func anUnreadableFileIsNamedWithTheReason() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let good = try cli.file("good.jsonl", Self.event("a", 1) + "\n")
        // A socket in the file system exists and is not a directory, yet open(2) fails for everyone,
        // root included, whom chmod 000 does not stop.
        let socketPath = cli.directory.appendingPathComponent("events.sock").path
        let socketFD = try Self.bindUnixSocket(socketPath)
        defer { close(socketFD) }
        // --quiet: on a busy machine the first file can take over a second, and its progress line
        // would come before the error.
        let result = try cli.run(["ingest", "--quiet", good, socketPath])
        #expect(result.status == 1)
        #expect(result.stderr == "identikit: cannot read \(socketPath): No such device or address\n", "\(result.stderr)")
        // The file before it was ingested whole (its batch committed before the bad file was opened).
        #expect(try Self.stats(cli)["events"] == 1)

        if geteuid() != 0 {
            let locked = try cli.file("locked.jsonl", Self.event("b", 2) + "\n")
            chmod(locked, 0)
            let denied = try cli.run(["ingest", "--quiet", locked])
            #expect(denied.stderr == "identikit: cannot read \(locked): Permission denied\n", "\(denied.stderr)")
        }
    }

    static func bindUnixSocket(_ path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(status == 0, "bind \(path): \(String(cString: strerror(errno)))")
        return descriptor
    }

    static func sqlite(_ path: String, _ statement: String) throws {
        let script = "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute(sys.argv[2]); db.commit()"
        let python = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, path, statement])
        try #require(python.status == 0)
    }

    @Test func aStoreFromANewerIdentikitIsRefusedWithBothVersionsAndLeftAlone() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let events = try cli.file("e.jsonl", Self.event("a", 1) + "\n")
        #expect(try cli.run(["ingest", events]).status == 0)
        try Self.sqlite(cli.store, "UPDATE meta SET value = '8' WHERE key = 'schema_version'")
        for arguments in [["stats"], ["persons"], ["ingest", events], ["merge", "a", "b"], ["check"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr == """
                identikit: the store was written by a newer identikit (store schema 8, this identikit knows up to 7); \
                upgrade identikit to open it: \(cli.store)

                """, "\(arguments): \(result.stderr)")
        }
        // Never migrated down: the version is what the newer identikit wrote.
        #expect(try cli.run(["stats"]).status == 1, "still refused")
        try Self.sqlite(cli.store, "UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        #expect(try Self.stats(cli)["events"] == 1, "nothing was lost while refused")
    }

    @Test func aCountAnOlderIdentikitLeftBehindIsNamedByCheckAndSetByRecount() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let events = try cli.file("e.jsonl", Self.event("a", 1) + "\n" + Self.event("b", 2) + "\n")
        #expect(try cli.run(["ingest", events]).status == 0)
        // What a schema 6 identikit writing to the upgraded store leaves: a person the count missed.
        try Self.sqlite(cli.store, "UPDATE meta SET value = '1' WHERE key = 'person_rows'")
        let check = try cli.run(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("the store's person count says 1 but it holds 2 person rows"), "\(check.stdout)")
        let recount = try cli.run(["check", "--recount"])
        #expect(recount.status == 0, "\(recount.stdout)\(recount.stderr)")
        #expect(recount.stdout.hasPrefix("store OK: 2 persons, 2 distinct IDs"), "\(recount.stdout)")
        #expect(try cli.run(["check"]).status == 0)
    }

    @Test func aReadOnlyStoreCanBeBrowsedButNotChangedAndSaysWhy() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let sample = PackageDirectory.path("Resources/sample-events.jsonl")
        #expect(try cli.run(["ingest", sample]).status == 0)
        let before = try cli.run(["stats", "--json"]).stdout
        #expect(chmod(cli.store, 0o444) == 0)
        defer { chmod(cli.store, 0o600) }

        for arguments in [["persons"], ["persons", "--json"], ["stats"], ["person", "ada"], ["warnings"], ["events"], ["check"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        }
        let reason = "it is read-only: the file has no write permission (chmod u+w to allow changes); browsing works, changes do not"
        let events = try cli.file("more.jsonl", Self.event("new-person", 9) + "\n")
        let ingest = try cli.run(["ingest", events])
        #expect(ingest.status == 1)
        #expect(ingest.stderr == "identikit: cannot write the store: \(reason): \(cli.store)\n", "\(ingest.stderr)")
        let merge = try cli.run(["merge", "ada", "grace", "--force"])
        #expect(merge.status == 1)
        #expect(merge.stderr.contains(reason), "\(merge.stderr)")
        #expect(try cli.run(["merge", "ada", "grace", "--dry-run"]).status == 0, "a preview only reads")
        #expect(try cli.run(["stats", "--json"]).stdout == before)
    }

    @Test func theStoreAndItsDirectoryAreTheOwnersOnly() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let events = try cli.file("e.jsonl", Self.event("a", 1) + "\n")
        #expect(try cli.run(["ingest", events]).status == 0)
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        }
        #expect(try mode(cli.store) == 0o600)
        // The default location (no --db, no IDENTIKIT_DB) is created with a private directory.
        #expect(try cli.run(["ingest", events], environment: ["IDENTIKIT_DB": ""]).status == 0)
        let defaultStore = cli.directory.appendingPathComponent("xdg/identikit/identikit.sqlite").path
        #expect(try mode(defaultStore) == 0o600)
        #expect(try mode((defaultStore as NSString).deletingLastPathComponent) == 0o700)
        // While a writer has it open, SQLite's -wal and -shm copy the store's mode.
        let held = try cli.file("held.jsonl", (0..<20000).map { Self.event("w\($0)", 100 + $0) }.joined(separator: "\n"))
        let process = try Identikit.start(["ingest", "--batch-size", "50", "--quiet", "--db", cli.store, held])
        var sawWAL = false
        for _ in 0..<400 where process.isRunning {
            if FileManager.default.fileExists(atPath: cli.store + "-wal") {
                sawWAL = true
                #expect(try mode(cli.store + "-wal") == 0o600)
                if FileManager.default.fileExists(atPath: cli.store + "-shm") { #expect(try mode(cli.store + "-shm") == 0o600) }
                break
            }
            usleep(10_000)
        }
        _ = process.wait()
        #expect(sawWAL)
    }
}
