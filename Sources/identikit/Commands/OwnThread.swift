import Foundation

/// Runs blocking work (the explorer's ncurses loop) on a thread of its own and awaits its result,
/// so it never holds one of the few threads Swift's concurrency pool has for the server's tasks.
func onOwnThread<Value: Sendable>(named name: String,
                                  _ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.name = name
        // The size of the main thread's stack, where the explorer otherwise runs.
        thread.stackSize = 8 << 20
        thread.start()
    }
}
