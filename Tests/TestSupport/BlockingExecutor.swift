import Foundation

/// Runs each job of a task on a thread of its own. Swift's cooperative pool has one thread per
/// core (two on CI's machines); an end-to-end test that waits for a child process or a terminal
/// blocks one of them for seconds, and with two such tests at once every async test stalls and
/// misses its deadlines. Tests that block run their bodies here instead (the `.ownThreads` trait).
public final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = BlockingExecutor()

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Runs `body` (and whatever it calls that is not isolated elsewhere) on the executor's threads.
    public static func run(_ body: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(shared) { try await body() }
    }
}
