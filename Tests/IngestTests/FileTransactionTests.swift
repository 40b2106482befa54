import Foundation
import GRDB
import IdentityCore
@testable import Ingest
import SQLiteStore
import Testing
import TestSupport

/// A file's writer: a transaction spans the decoded chunks that are ready, up to the batch size,
/// and commits early when the input pauses. Counted by the store's change counter (one per commit).
@Suite("file ingest transactions", .serialized)
struct FileTransactionTests {
    /// `count` events from `first` on, each its own distinct ID.
    static func chunk(_ first: Int, count: Int) -> [ValidatedInput] {
        (first..<first + count).map { index in
            let line = #"{"event":"view","distinct_id":"user-\#(index)","uuid":"0190b000-0000-7000-8000-\#(String(format: "%012d", index))"}"#
            return InputDecoder.decodeLine(Array(line.utf8)[...], location: InputLocation(source: "t.jsonl", line: index + 1))[0]
        }
    }

    static func eventCount(_ store: SQLitePersonStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0 }
    }

    @Test func aTransactionTakesChunksUntilTheBatchSizeIsReached() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLitePersonStore(path: directory.path("store.sqlite"))
        let before = try store.changeCounter()
        // A minute's patience: only the batch size or the end of the input can end a transaction here.
        let writer = BatchWriter(ingestor: Ingestor(store: store, batchSize: 250), source: "t.jsonl",
                                 checkpointer: nil, patience: .seconds(60))
        for index in 0..<5 { try writer.submit(Self.chunk(index * 100, count: 100)) }
        try writer.finish()
        #expect(writer.summary.events == 500)
        #expect(try Self.eventCount(store) == 500)
        // 100 + 100 + 100 reach 250 and commit; the last two chunks commit when the input ends.
        #expect(try store.changeCounter() - before == 2)
    }

    @Test func aTransactionCommitsWhenTheInputPauses() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLitePersonStore(path: directory.path("store.sqlite"))
        let writer = BatchWriter(ingestor: Ingestor(store: store), source: "t.jsonl",
                                 checkpointer: nil, patience: .milliseconds(100))
        try writer.submit(Self.chunk(0, count: 100))
        // No more input and no finish: the writer must commit on its own, not hold the write lock.
        let deadline = Date().addingTimeInterval(120)
        while writer.summary.events < 100, Date() < deadline { usleep(20_000) }
        #expect(writer.summary.events == 100)
        #expect(try Self.eventCount(store) == 100, "another connection sees the events before the input ends")
        try writer.submit(Self.chunk(100, count: 50))
        try writer.finish()
        #expect(writer.summary.events == 150)
        #expect(try Self.eventCount(store) == 150)
    }

    @Test func aTransactionThatFailsPartwayLeavesNoneOfItsChunksAndStopsTheDecoder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLitePersonStore(path: directory.path("store.sqlite"))
        let writer = BatchWriter(ingestor: Ingestor(store: store, batchSize: 200), source: "t.jsonl",
                                 checkpointer: nil, patience: .seconds(60))
        try writer.submit(Self.chunk(0, count: 100))
        try writer.submit(Self.chunk(100, count: 100))
        let deadline = Date().addingTimeInterval(120)
        while writer.summary.events < 200, Date() < deadline { usleep(20_000) }
        #expect(writer.summary.events == 200, "the first transaction committed")
        // Between transactions, the warnings table goes: the next transaction's second chunk, which
        // holds an invalid line (a warning to store), fails after its first chunk was written.
        try store.databasePool.write { db in try db.execute(sql: "DROP TABLE warning") }
        let invalid = InputDecoder.decodeLine(Array("not json".utf8)[...], location: InputLocation(source: "t.jsonl", line: 400))
        var failure: (any Error)?
        do {
            try writer.submit(Self.chunk(200, count: 100))
            try writer.submit(Self.chunk(300, count: 99) + invalid)
            for index in 4..<10 { try writer.submit(Self.chunk(index * 100, count: 100)) }
            try writer.finish()
        } catch {
            failure = error
        }
        let stopped = try #require(failure as? StoppedWriting, "\(String(describing: failure))")
        #expect(stopped.committed.events == 200)
        #expect(String(describing: stopped).contains("200 events of t.jsonl were committed before it"))
        #expect(try Self.eventCount(store) == 200, "the failed transaction's first chunk was rolled back with it")
    }

    /// SQLite's busy answer runs a transaction again from its start (`retryingWhenBusy`). Before the
    /// transaction took a second chunk that is safe, and everything lands once.
    @Test func aBusyAnswerInTheFirstChunkRunsTheTransactionAgain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, writer) = try Self.writer(in: directory, batchSize: 300, busyAtCall: 1)
        for index in 0..<3 { try writer.submit(Self.chunk(index * 100, count: 100)) }
        try writer.finish()
        #expect(writer.summary.events == 300)
        #expect(try Self.eventCount(store) == 300)
        #expect(try store.check().problems == [])
    }

    /// After a second chunk the decoder already reused the first chunks' places, so the transaction
    /// cannot run again: it is rolled back whole and the ingest stops, keeping what committed before.
    @Test func aBusyAnswerAfterTheTransactionTookMoreChunksStopsTheIngestAndKeepsWhatCommitted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Calls 1 and 2 are the first transaction's chunks; call 4 is the second's second chunk.
        let (store, writer) = try Self.writer(in: directory, batchSize: 200, busyAtCall: 4)
        var failure: (any Error)?
        do {
            for index in 0..<6 { try writer.submit(Self.chunk(index * 100, count: 100)) }
            try writer.finish()
        } catch {
            failure = error
        }
        let stopped = try #require(failure as? StoppedWriting, "\(String(describing: failure))")
        #expect(stopped.cause is BusyPartway)
        #expect(String(describing: stopped).contains("busy partway through a transaction"))
        #expect(stopped.committed.events == 200)
        #expect(try Self.eventCount(store) == 200, "the busy transaction's two chunks were rolled back")
        #expect(try store.check().problems == [])
    }

    /// A new store and its file writer, whose transactions SQLite answers busy once, after the
    /// `busyAtCall`-th chunk written (counted over all transactions).
    static func writer(in directory: TemporaryDirectory, batchSize: Int, busyAtCall call: Int) throws -> (SQLitePersonStore, BatchWriter) {
        let store = try SQLitePersonStore(path: directory.path("store.sqlite"))
        var ingestor = Ingestor(store: store, batchSize: batchSize)
        let calls = CallCount()
        ingestor.afterChunk = { _ in
            if calls.next() == call { throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked") }
        }
        return (store, BatchWriter(ingestor: ingestor, source: "t.jsonl", checkpointer: nil, patience: .seconds(60)))
    }
}

private final class CallCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
