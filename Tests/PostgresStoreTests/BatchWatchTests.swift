import Foundation
import Logging
import PostgresNIO
@testable import PostgresStore
import TestSupport
import Testing

/// A batch never waits forever on a server that went away: neither for a connection, nor on a
/// connection the server closed between two statements (where postgres-nio drops the statement).
@Suite("A batch gives up on a lost server", .timeLimit(.minutes(1)))
struct BatchWatchTests {
    static func connect() async throws -> PostgresConnection {
        let location = try PostgresLocation(url: try TemporaryStore.postgres().location)
        let configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test"))
    }

    /// What a batch waiting on a pool that never hands it a connection does: it never ends by itself,
    /// so only the watch can end it. (Not a timed sleep: on CI's busy cores a test's tasks have
    /// waited 30 s for a thread, and a sleep would then end first.)
    static func waitForever() async {
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
    }

    @Test func aBatchWithoutAConnectionExpires() async throws {
        let watch = BatchWatch(connectLimit: .milliseconds(300), whileDown: .milliseconds(100))
        do {
            try await watch.run { _ in await Self.waitForever() }
            Issue.record("expected to expire")
        } catch let expired as BatchWatch.Expired {
            #expect(expired.after == .milliseconds(300))
        }
        // Known down, the next batch waits only the shorter limit.
        do {
            try await watch.run { _ in await Self.waitForever() }
            Issue.record("expected to expire")
        } catch let expired as BatchWatch.Expired {
            #expect(expired.after == .milliseconds(100))
        }
    }

    @Test func aBatchWhoseConnectionClosesUnderItIsAbandoned() async throws {
        let watch = BatchWatch(connectLimit: .seconds(5), whileDown: .seconds(1))
        let connection = try await Self.connect()
        let started = ContinuousClock.now
        await #expect(throws: BatchWatch.Lost.self) {
            try await watch.run { lease in
                try lease.begin(on: connection)
                try await connection.close()
                // What postgres-nio does with a statement sent after the close: it never answers.
                await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
            }
        }
        // Nominally a poll and the grace, about 1.2 s. The bound only tells "abandoned" from "hung"
        // (which the suite's one-minute limit would also catch): on CI's busy cores this test's
        // tasks have waited over 20 s for a thread.
        #expect(ContinuousClock.now - started < .seconds(45))
    }

    @Test func aBatchThatEndsKeepsItsResultAndTheServerCountsAsUp() async throws {
        let watch = BatchWatch(connectLimit: .milliseconds(200), whileDown: .milliseconds(100))
        await #expect(throws: BatchWatch.Expired.self) { try await watch.run { _ in await Self.waitForever() } }
        let connection = try await Self.connect()
        defer { Task { try? await connection.close() } }
        let value = try await watch.run { lease in
            try lease.begin(on: connection)
            try await Task.sleep(for: .milliseconds(400))  // longer than both limits: begun batches run on
            return 42
        }
        #expect(value == 42)
        // The batch began, so the server counts as up again: the full limit applies.
        do {
            try await watch.run { _ in await Self.waitForever() }
            Issue.record("expected to expire")
        } catch let expired as BatchWatch.Expired {
            #expect(expired.after == .milliseconds(200))
        }
    }

    @Test func aLateConnectionForAnExpiredBatchWritesNothing() async throws {
        let watch = BatchWatch(connectLimit: .milliseconds(100), whileDown: .milliseconds(100))
        let connection = try await Self.connect()
        defer { Task { try? await connection.close() } }
        let began = Tally()
        await #expect(throws: BatchWatch.Expired.self) {
            try await watch.run { lease in
                // Ignores cancellation, as a pool's connection attempt may.
                try? await Task.sleep(for: .milliseconds(300))
                try? await Task.sleep(for: .milliseconds(300))
                do { try lease.begin(on: connection) } catch { began.note(error) ; throw error }
            }
        }
        // The batch gets its connection 600 ms in; on CI's busy cores that can be much later.
        let deadline = ContinuousClock.now + .seconds(60)
        while began.errors.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(began.errors.first is BatchWatch.Abandoned)
    }
}

final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [any Error] = []
    func note(_ error: any Error) { lock.withLock { recorded.append(error) } }
    var errors: [any Error] { lock.withLock { recorded } }
}
