import Foundation
import PostgresNIO
import Synchronization

/// Keeps a batch from waiting forever on a server that went away, for two reasons found in
/// postgres-nio 1.33.2:
/// - With the server down, the pool keeps trying to connect for a minute before failing the
///   callers waiting on it. A capture server must answer 503 long before its clients give up, so a
///   batch that holds no connection after `connectLimit` is abandoned (`Expired`).
/// - A query written to a connection the server has already closed (the server stopped between two
///   statements of a transaction) is dropped without failing its caller, who then waits forever.
///   A batch whose connection closes and that has not ended `lostGrace` later is abandoned (`Lost`).
/// While the server is known to be down (the last batch expired), batches wait only
/// `connectLimitWhileDown`: a capture server's queue of batches must not wait 5 s each in turn.
/// An abandoned batch committed nothing: its statements never reached a live server. Its task is
/// left suspended (the library gives no way to wake it), a small leak per outage.
final class BatchWatch: Sendable {
    let connectLimit: Duration
    let connectLimitWhileDown: Duration
    let lostGrace: Duration = .seconds(1)
    let pollInterval: Duration = .milliseconds(200)
    fileprivate let serverDown = Atomic<Bool>(false)

    init(connectLimit: Duration, whileDown: Duration) {
        self.connectLimit = connectLimit
        connectLimitWhileDown = whileDown
    }

    struct Expired: Error { var after: Duration }
    struct Lost: Error {}
    /// Thrown inside an abandoned batch that gets its connection after all, so it writes nothing.
    struct Abandoned: Error {}

    /// The batch's side: `begin(on:)` once it holds a connection, before its first statement.
    final class Lease: Sendable {
        fileprivate let outcome: Outcome
        private let watch: BatchWatch
        fileprivate init(outcome: Outcome, watch: BatchWatch) {
            self.outcome = outcome
            self.watch = watch
        }

        func begin(on connection: PostgresConnection) throws {
            guard outcome.begin(connection) else { throw Abandoned() }
            watch.serverDown.store(false, ordering: .relaxed)
        }
    }

    /// Runs before the abandoned batch's caller wakes, so its next batch already sees the server down.
    private func markDown() { serverDown.store(true, ordering: .relaxed) }

    func run<T: Sendable>(_ body: @escaping @Sendable (Lease) async throws -> T) async throws -> T {
        let outcome = Outcome()
        let lease = Lease(outcome: outcome, watch: self)
        let work = Task {
            do { outcome.finish(.success(try await body(lease))) } catch { outcome.finish(.failure(error)) }
        }
        let limit = serverDown.load(ordering: .relaxed) ? connectLimitWhileDown : connectLimit
        let watcher = Task { [self] in
            let deadline = ContinuousClock.now + limit
            while true {
                try await Task.sleep(for: pollInterval)
                if let connection = outcome.runningConnection {
                    guard connection.isClosed else { continue }
                    try await Task.sleep(for: lostGrace)
                    if outcome.finish(.failure(Lost()), first: markDown) { work.cancel() }
                    return
                }
                if ContinuousClock.now >= deadline, outcome.expireUnlessBegun(after: limit, first: markDown) {
                    work.cancel()
                    return
                }
                if outcome.isFinished { return }
            }
        }
        defer { watcher.cancel() }
        let result = try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            work.cancel()
        }
        guard let value = result as? T else { preconditionFailure("a batch's result of another type") }
        return value
    }

    /// The first of: the batch's result, expiry, loss. Whoever comes second is ignored.
    fileprivate final class Outcome: Sendable {
        private struct State {
            var connection: PostgresConnection?
            var result: Result<any Sendable, any Error>?
            var waiter: CheckedContinuation<any Sendable, any Error>?
        }
        private let state = Mutex(State())

        func begin(_ connection: PostgresConnection) -> Bool {
            state.withLock { state in
                guard state.result == nil else { return false }
                state.connection = connection
                return true
            }
        }

        /// Ends the batch as expired if it holds no connection yet; whether it did. `first` runs
        /// before the waiting caller is resumed.
        func expireUnlessBegun(after limit: Duration, first: () -> Void) -> Bool {
            let (expired, waiter): (Bool, CheckedContinuation<any Sendable, any Error>?) = state.withLock { state in
                guard state.result == nil, state.connection == nil else { return (false, nil) }
                state.result = .failure(Expired(after: limit))
                defer { state.waiter = nil }
                return (true, state.waiter)
            }
            if expired { first() }
            waiter?.resume(throwing: Expired(after: limit))
            return expired
        }

        /// The connection of a batch still running, if it holds one.
        var runningConnection: PostgresConnection? {
            state.withLock { $0.result == nil ? $0.connection : nil }
        }

        var isFinished: Bool { state.withLock { $0.result != nil } }

        /// Records the outcome unless one is recorded; whether this one was first. `first` runs, if
        /// it was, before the waiting caller is resumed.
        @discardableResult
        func finish(_ result: Result<any Sendable, any Error>, first: () -> Void = {}) -> Bool {
            let (isFirst, waiter): (Bool, CheckedContinuation<any Sendable, any Error>?) = state.withLock { state in
                guard state.result == nil else { return (false, nil) }
                state.result = result
                defer { state.waiter = nil }
                return (true, state.waiter)
            }
            if isFirst { first() }
            waiter?.resume(with: result)
            return isFirst
        }

        func value() async throws -> any Sendable {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<any Sendable, any Error>? = state.withLock { state in
                    if let result = state.result { return result }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}
