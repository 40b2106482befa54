import CaptureServer
import Foundation
import GRDB
import IdentityCore
import Ingest
@testable import SQLiteStore
import Testing
import TestSupport

/// The capture server's writer commits the requests that waited for it together, and answers each
/// once that commit is done.
@Suite("capture writer: group commit", .ownThreads)
struct GroupCommitTests {
    static func input(_ index: Int) -> ValidatedInput {
        let value: JSONValue = ["event": "$pageview", "distinct_id": .string("user-\(index)"),
                                "uuid": .string(String(format: "0190c000-0000-7000-8000-%012d", index))]
        return EventValidator.validate(value, rawText: JSONWriter.string(value), location: InputLocation(source: "request \(index)", line: 1))
    }

    static func changeCounter(_ path: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'change_counter'") ?? 0 }
    }

    @Test func requestsWaitingForTheWriterShareOneCommit() async throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        let writer = IngestWriter(ingestor: Ingestor(store: store))
        let before = try Self.changeCounter(temporary.location)

        // Another connection holds the write lock: the first request's commit waits for it, and the
        // other nine requests queue up behind it meanwhile.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the transaction spans two accesses on purpose
        let blocker = try DatabaseQueue(path: temporary.location, configuration: configuration)
        let requests = 10
        let summaries = try await withThrowingTaskGroup(of: IngestSummary.self) { group in
            try blocker.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            for index in 0..<requests {
                group.addTask { try await writer.ingest([Self.input(index)]) }
            }
            try await Task.sleep(for: .milliseconds(500))
            try blocker.inDatabase { db in try db.execute(sql: "COMMIT") }
            var all: [IngestSummary] = []
            for try await summary in group { all.append(summary) }
            return all
        }

        #expect(summaries.count == requests)
        #expect(summaries.allSatisfy { $0.events == 1 }, "each request answered with its own summary")
        #expect(try store.stats().events == requests)
        let commits = try Self.changeCounter(temporary.location) - before
        #expect(commits >= 1 && commits <= 2, "\(commits) commits for \(requests) waiting requests")
    }

    /// The server's small commits would otherwise checkpoint nearly every time (a third of its throughput).
    @Test func theServersWriterCheckpointsEveryTenThousandLogPages() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        let pages = { try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } }
        #expect(try pages() == 1000)
        _ = IngestWriter(ingestor: Ingestor(store: store))
        #expect(try pages() == Ingestor.serverCheckpointPages)
        #expect(Ingestor.serverCheckpointPages == 10_000)
    }
}
