import Foundation
import Synchronization

/// A bound on waiting for a connection. With the server down, postgres-nio's pool keeps trying to
/// connect for a minute before failing the callers waiting on it; a capture server must answer
/// 503 long before its clients time out, so a batch that has not begun within the deadline is
/// cancelled (a batch that has begun runs to its end, however long).
struct ConnectionDeadline: Sendable {
    var limit: Duration

    /// What `body` calls once it holds a connection.
    final class Began: Sendable {
        private let flag = Atomic<Bool>(false)
        func mark() { flag.store(true, ordering: .releasing) }
        var happened: Bool { flag.load(ordering: .acquiring) }
    }

    struct Expired: Error {}

    func run<T: Sendable>(_ body: @escaping @Sendable (Began) async throws -> T) async throws -> T {
        let began = Began()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body(began) }
            group.addTask {
                try await Task.sleep(for: limit)
                if !began.happened { throw Expired() }
                return nil
            }
            while let result = try await group.next() {
                if let result {
                    group.cancelAll()
                    return result
                }
            }
            throw CancellationError()
        }
    }
}
