import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit ingest` into a store on a 4 MB file system (tmpfs, mounted in a mount namespace of the
/// test's own): it stops with one line naming the store and "disk full" and how many events were
/// committed; the store passes `check` with exactly those events, and the same ingest run again
/// where there is room finishes the file.
@Suite("a full disk under ingest", .ownThreads)
struct DiskFullTests {
    static let events = 20_000

    /// About 8 MB of events, each with its own uuid and a 300-byte property.
    static func lines() -> String {
        let padding = String(repeating: "x", count: 300)
        return (0..<events).map { index in
            let uuid = String(format: "0190a000-0000-7000-8000-%012d", index)
            return #"{"event": "view", "distinct_id": "user-\#(index % 500)", "uuid": "\#(uuid)", "properties": {"padding": "\#(padding)"}}"#
        }.joined(separator: "\n") + "\n"
    }

    static func eventCount(_ stats: String) -> Int? {
        guard case .int(let events)? = (try? JSONParser.parse(stats))?["events"] else { return nil }
        return Int(events)
    }

    @Test func ingestStopsWithAClearMessageAndKeepsEveryCommittedBatch() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let file = try cli.file("events.jsonl", Self.lines())
        let small = cli.directory.appendingPathComponent("small").path
        let out = cli.directory.appendingPathComponent("out").path
        for folder in [small, out] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        // Everything that needs the small file system runs inside the namespace; results go to `out`.
        let script = #"""
            mount -t tmpfs -o size=4m tmpfs "$1" || exit 90
            "$2" ingest --batch-size 500 --db "$1/store.sqlite" "$3" > "$4/ingest.out" 2> "$4/ingest.err"
            echo $? > "$4/ingest.status"
            "$2" check --db "$1/store.sqlite" > "$4/check.out" 2>&1
            echo $? > "$4/check.status"
            "$2" stats --json --db "$1/store.sqlite" > "$4/stats.json" 2>&1
            cp "$1/store.sqlite" "$4/"
            if [ -f "$1/store.sqlite-wal" ]; then cp "$1/store.sqlite-wal" "$4/"; fi
            """#
        // Root (as on CI) gets a mount namespace of its own, which takes the mount away when it ends;
        // anyone else gets one inside a user namespace, where they may mount too.
        let namespace = getuid() == 0 ? ["-m"] : ["-rm"]
        let run = try ChildProcess.run("/usr/bin/unshare", namespace + ["sh", "-c", script, "sh", small, try IdentikitBinary.path(), file, out])
        try #require(run.status == 0, "could not mount a 4 MB tmpfs (status \(run.status)): \(run.stderr)")
        func read(_ name: String) throws -> String {
            try String(contentsOfFile: out + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        #expect(try read("ingest.status") == "1")
        let message = try read("ingest.err").split(separator: "\n").last.map(String.init) ?? ""
        let store = small + "/store.sqlite"
        #expect(message.hasPrefix("identikit: cannot write the store: disk full"), "\(message)")
        #expect(message.contains(store), "\(message)")
        let committedText = message.firstMatch(of: #/; (\d+) events of /#).map { String($0.1) }
        let committed = try #require(committedText.flatMap { Int($0) }, "\(message)")
        #expect(committed > 0 && committed < Self.events)
        #expect(committed % 500 == 0, "whole batches only")

        let checkOutput = try read("check.out"), stats = try read("stats.json")
        #expect(try read("check.status") == "0", "\(checkOutput)")
        #expect(Self.eventCount(stats) == committed, "\(stats)")

        // With room, the same ingest adds exactly the rest.
        let copy = out + "/store.sqlite"
        let resumed = try cli.run(["ingest", "--quiet", "--db", copy, file])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try cli.run(["check", "--db", copy]).status == 0)
        #expect(Self.eventCount(try cli.run(["stats", "--json", "--db", copy]).stdout) == Self.events)
    }
}
