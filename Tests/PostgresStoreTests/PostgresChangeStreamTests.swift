import Foundation
import IdentityCore
import PostgresStore
import TestSupport
import Testing

/// Live views across machines: a commit by one client reaches another client's change stream by
/// LISTEN/NOTIFY, and the stream survives the server restarting.
@Suite("PostgreSQL announces commits to other clients")
struct PostgresChangeStreamTests {
    static func input(_ distinctID: String) throws -> ValidatedInput {
        let line = #"{"event":"$pageview","distinct_id":"\#(distinctID)","timestamp":"2024-05-09T10:00:00Z"}"#
        return EventValidator.validate(try JSONCoding.parse(Data(line.utf8)), rawText: line, location: InputLocation(source: "t"))
    }

    /// Waits until `count` reaches `target` or `timeout` passes (the caller checks which).
    /// The bounds are loose on purpose: a NOTIFY arrives in milliseconds, but on CI's busy cores a
    /// test's task has waited over 20 s for a thread. Nothing else announces a commit (no polling),
    /// so arriving at all is what shows LISTEN/NOTIFY at work.
    static func wait(for counter: ChangeTally, toReach target: Int, within timeout: Duration = .seconds(40)) async throws {
        let start = ContinuousClock.now
        while counter.value < target, ContinuousClock.now - start < timeout { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func aCommitFromAnotherClientArrives() async throws {
        let url = try TemporaryStore.postgres().location
        let watcher = try await PostgresPersonStore.open(try PostgresLocation(url: url))
        let writer = try await PostgresPersonStore.open(try PostgresLocation(url: url))
        defer { Task { await watcher.close(); await writer.close() } }
        let seen = ChangeTally()
        let watching = Task { for await _ in watcher.changes() { seen.add() } }
        defer { watching.cancel() }
        try await Task.sleep(for: .milliseconds(300))  // the LISTEN is in place
        #expect(seen.value == 0)

        _ = try await writer.ingest([try Self.input("first")], now: Date())
        try await Self.wait(for: seen, toReach: 1)
        #expect(seen.value >= 1)

        // A batch that changes nothing (a duplicate uuid only) announces nothing.
        let before = seen.value
        let event = try Self.input("second")
        _ = try await writer.ingest([event], now: Date())
        try await Self.wait(for: seen, toReach: before + 1)
        let afterWrite = seen.value
        _ = try await writer.ingest([event], now: Date())
        try await Task.sleep(for: .milliseconds(400))
        #expect(seen.value == afterWrite)
    }

    /// `serve --explore` watches the store its own server writes through.
    @Test func aCommitThroughTheSameStoreIsAnnouncedToo() async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        let seen = ChangeTally()
        let watching = Task { for await _ in store.changes() { seen.add() } }
        defer { watching.cancel() }
        try await Task.sleep(for: .milliseconds(300))
        _ = try await store.ingest([try Self.input("same-store")], now: Date())
        try await Self.wait(for: seen, toReach: 1)
        #expect(seen.value >= 1)
    }

    @Test func theStreamListensAgainAfterTheServerRestarts() async throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let url = try cluster.makeDatabase()
        let watcher = try await PostgresPersonStore.open(try PostgresLocation(url: url))
        defer { Task { await watcher.close() } }
        let seen = ChangeTally()
        let watching = Task { for await _ in watcher.changes() { seen.add() } }
        defer { watching.cancel() }
        try await Task.sleep(for: .milliseconds(300))

        try cluster.restart(pausing: 0.5)
        // Coming back, the stream announces once: commits in the gap went unannounced.
        try await Self.wait(for: seen, toReach: 1, within: .seconds(30))
        #expect(seen.value >= 1)

        let writer = try await PostgresPersonStore.open(try PostgresLocation(url: url))
        defer { Task { await writer.close() } }
        let before = seen.value
        _ = try await writer.ingest([try Self.input("after-restart")], now: Date())
        try await Self.wait(for: seen, toReach: before + 1)
        #expect(seen.value > before)
    }
}

final class ChangeTally: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
