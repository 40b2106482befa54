import DemoData
import Foundation
import GRDB
import IdentityCore
@testable import SQLiteStore
import Ingest
import Testing
import TestSupport

/// A file ingest checkpoints on a second connection (issue 6): the log must stay bounded, the data
/// whole, and the writer get SQLite's automatic checkpoints back afterwards.
@Suite("Background checkpoints during a file ingest")
struct BackgroundCheckpointTests {
    @Test func theLogStaysBoundedAndTheStoreWhole() throws {
        let temp = try TemporaryStore.sqlite()
        defer { temp.remove() }
        let store = try SQLitePersonStore(path: temp.location)
        var lines: [String] = []
        var events = DemoGenerator(persons: Int.max, seed: 3).makeIterator()
        for _ in 0..<12_000 { lines.append(JSONWriter.string(events.next()!)) }
        let file = temp.directory.path("events.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)

        let summary = try Ingestor(store: store, batchSize: 250, checkpointCatchUpFrames: 200).ingestFile(file)
        #expect(summary.events + summary.invalid + summary.droppedPersonless == 12_000)

        // The log file keeps its largest size while the store is open: it never held the whole
        // store (without restarts it would be at least as large as the database).
        let size = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0 }
        let database = size(temp.location), log = size(temp.location + "-wal")
        #expect(database > 2_000_000)
        #expect(log < database / 3, "log \(log) bytes, database \(database) bytes")

        let autocheckpoint = try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(autocheckpoint == 1000)
        #expect(try store.check().problems == [])
    }
}
