import Foundation
import IdentityCore
import Testing
import TestSupport

/// SIGKILL while `identikit merge`, `undo` and `split` are inside their transaction, on persons with
/// thousands of distinct IDs: the store passes `check` and holds all of the action or none of it.
///
/// A kill is known to land inside when the action's process held the store's write lock (watched
/// with `SQLiteWriteLock`, from outside) for a while and the store afterwards shows none of it.
@Suite("crash safety: merge, undo and split killed with SIGKILL", .serialized, .ownThreads)
struct KilledActionTests {
    /// Distinct IDs of each of the two persons the merge joins.
    static let idsPerPerson = 3000
    /// IDs the split moves out to persons of their own.
    static let splitIDs = 400

    /// Two identified persons, ada and bob, each with `idsPerPerson` anonymous IDs and some properties.
    static func events() -> String {
        var lines: [String] = []
        for person in ["ada", "bob"] {
            for index in 0..<idsPerPerson {
                lines.append(#"{"event": "$identify", "distinct_id": "\#(person)", "timestamp": "2024-01-01T00:00:00Z", "#
                    + #""properties": {"$anon_distinct_id": "\#(person)-anon-\#(index)", "$set": {"k\#(index % 40)": \#(index)}}}"#)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the store holds, independent of new persons' random uuids: each person's IDs, properties
    /// and identified flag, plus the store's counts (merges included).
    static func shape(_ cli: CommandLineRunner, db: String) throws -> [String] {
        let persons = try cli.run(["persons", "--json", "--limit", "1000000", "--db", db])
        try #require(persons.status == 0, "\(persons.stderr)")
        let array = try JSONParser.parse(persons.stdout).arrayValue ?? []
        let shapes = array.map { person in
            var properties = person["properties"]?.objectValue ?? [:]
            properties["$creator_event_uuid"] = nil
            let ids = (person["distinct_ids"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            return "\(ids) \(JSONWriter.string(.object(properties))) \(person["is_identified"] ?? .null)"
        }.sorted()
        let stats = try cli.run(["stats", "--json", "--db", db])
        try #require(stats.status == 0, "\(stats.stderr)")
        return [stats.stdout.trimmingCharacters(in: .whitespacesAndNewlines)] + shapes
    }

    /// Copies a store (and its log, if a run left one) to `copy`, which starts without a log of its own.
    static func copyStore(_ store: String, to copy: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: copy + suffix) {
            try FileManager.default.removeItem(atPath: copy + suffix)
        }
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: store + suffix) {
            try FileManager.default.copyItem(atPath: store + suffix, toPath: copy + suffix)
        }
    }

    /// Runs `arguments` to its end and returns the longest time it held the write lock: its transaction.
    static func transactionTime(_ name: String, _ arguments: [String], store: String, cli: CommandLineRunner) throws -> Duration {
        let lock = SQLiteWriteLock(store: store)
        let process = try cli.start(arguments + ["--db", store])
        let clock = ContinuousClock()
        var heldSince: ContinuousClock.Instant?
        var longest = Duration.zero
        while process.isRunning {
            if lock.isHeld {
                let since = heldSince ?? clock.now
                heldSince = since
                longest = max(longest, clock.now - since)
            } else {
                heldSince = nil
            }
            usleep(500)
        }
        try #require(process.wait(timeout: 30) == .exited(0), "\(name) run to its end: \(process.stderr)")
        return longest
    }

    /// Runs `arguments` (ending in `--db`'s value) on copies of `before` and SIGKILLs it once it has held
    /// the write lock for half as long as its transaction takes when left alone, until one kill lands
    /// inside the transaction; every store it leaves must pass `check` and equal `before` or the
    /// action's complete result. Returns the complete result's store.
    ///
    /// Each attempt that misses waits half as long as the one before: on a busy machine the poll
    /// below can sleep through a release and overstate the transaction's time, and then every kill
    /// at the same point came after the commit.
    static func killInside(_ name: String, _ arguments: [String], before: String, cli: CommandLineRunner) throws -> String {
        let finished = cli.directory.appendingPathComponent("\(name)-finished.sqlite").path
        try copyStore(before, to: finished)
        let clock = ContinuousClock()
        let wholeTime = try transactionTime(name, arguments, store: finished, cli: cli)
        try #require(wholeTime > .milliseconds(20), "\(name)'s transaction took \(wholeTime): too short to land a kill inside")
        var held = wholeTime / 2
        let none = try shape(cli, db: before), all = try shape(cli, db: finished)
        try #require(none != all, "\(name) must change the store")

        var attempts: [String] = []
        for attempt in 1...8 {
            let trial = cli.directory.appendingPathComponent("\(name)-killed-\(attempt).sqlite").path
            try copyStore(before, to: trial)
            let lock = SQLiteWriteLock(store: trial)
            let process = try cli.start(arguments + ["--db", trial])
            var heldSince: ContinuousClock.Instant?
            var killedHolding = false
            let deadline = clock.now + .seconds(120)
            while process.isRunning, clock.now < deadline {
                if lock.isHeld {
                    let since = heldSince ?? clock.now
                    heldSince = since
                    if clock.now - since >= held {
                        process.send(SIGKILL)
                        killedHolding = true
                        break
                    }
                } else {
                    heldSince = nil
                }
                usleep(500)
            }
            let ended = process.wait(timeout: 30)
            let check = try cli.run(["check", "--db", trial])
            #expect(check.status == 0, "\(name) attempt \(attempt): \(check.stdout)\(check.stderr)")
            let after = try shape(cli, db: trial)
            #expect(after == none || after == all, "\(name) attempt \(attempt) left part of the action")
            attempts.append("\(attempt): \(killedHolding ? "killed holding the lock" : "ended \(String(describing: ended))"), store \(after == none ? "before" : after == all ? "after" : "MIXED")")
            if killedHolding, ended?.signal == SIGKILL, after == none {
                print("\(name): killed \(held) into its transaction of \(wholeTime); attempts: \(attempts.joined(separator: "; "))")
                return finished
            }
            held = max(held / 2, .milliseconds(2))
        }
        Issue.record("\(name): no SIGKILL landed inside the transaction (\(wholeTime) alone): \(attempts.joined(separator: "; "))")
        return finished
    }

    @Test func killedMergeUndoAndSplitLeaveAllOrNothing() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let file = try cli.file("persons.jsonl", Self.events())
        let base = cli.directory.appendingPathComponent("base.sqlite").path
        let ingested = try cli.run(["ingest", "--quiet", "--db", base, file])
        try #require(ingested.status == 0, "\(ingested.stderr)")
        let stats = try JSONParser.parse(try cli.run(["stats", "--json", "--db", base]).stdout)
        #expect(stats["distinct_ids"] == .int(Int64(2 * Self.idsPerPerson + 2)))

        let merged = try Self.killInside("merge", ["merge", "ada", "bob", "--force"], before: base, cli: cli)
        let undone = try Self.killInside("undo", ["undo", "1"], before: merged, cli: cli)
        let ids = (0..<Self.splitIDs).map { "ada-anon-\($0)" }.joined(separator: ",")
        _ = try Self.killInside("split", ["split", "ada", "--ids", ids], before: undone, cli: cli)
    }
}
