import Foundation

/// Watches a store for commits made by anyone else (another process, another machine): the one
/// place that waits for new data, for the explorer and `identikit events --follow`.
///
/// It wakes on the store's change stream (`PersonStore.changes()`: a NOTIFY from PostgreSQL, sent
/// only when a transaction commits, or a moved change token in SQLite, looked at four times a
/// second), and announces each wake-up except the echo of our own writes (the screen reloads after
/// them anyway): one that comes while we write, or soon after with the change token where our
/// write left it. The token alone cannot tell: PostgreSQL's moves when a writer inserts, before it
/// commits, so a commit can arrive with the token already seen.
public actor ChangeWatcher {
    public nonisolated let store: any PersonStore
    private nonisolated let wakeups: @Sendable () -> AsyncStream<Void>
    private var seen: Int64?
    private var writesInProgress = 0
    private var lastOwnWrite: ContinuousClock.Instant?
    /// How long after our write its echo may arrive (SQLite's look comes within 250 ms).
    static let echoWindow: Duration = .seconds(1)

    /// `wakeups` replaces the store's change stream (tests watch a SQLite file more often).
    public init(store: any PersonStore, wakeups: (@Sendable () -> AsyncStream<Void>)? = nil) {
        self.store = store
        self.wakeups = wakeups ?? { store.changes() }
    }

    /// Takes the store as it is now as seen: after one of our own writes, so it is not announced.
    public func seeCurrent() async {
        seen = try? await store.changeToken()
    }

    /// Runs one of our writes, then takes its commit as seen.
    public func writing<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        writesInProgress += 1
        defer {
            writesInProgress -= 1
            lastOwnWrite = .now
        }
        let result = try await body()
        await seeCurrent()
        return result
    }

    private func start() async {
        if seen == nil { await seeCurrent() }
    }

    /// Whether a wake-up is news: anything but the echo of our own write.
    private func isNews() async -> Bool {
        if writesInProgress > 0 { return false }
        let now = try? await store.changeToken()
        defer { if let now { seen = now } }
        let moved = now == nil || now != seen
        if !moved, let lastOwnWrite, ContinuousClock.now - lastOwnWrite < Self.echoWindow { return false }
        return true
    }

    /// One element per wake-up that is news, until the consumer stops listening.
    public nonisolated func changes() -> AsyncStream<Void> {
        let wakeups = wakeups()
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let watcher = Task.detached { [self] in
                await start()
                for await _ in wakeups {
                    if await isNews() { continuation.yield() }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in watcher.cancel() }
        }
    }
}
