import Foundation

/// Watches a store for commits made by anyone (another process, another machine): the one place
/// that waits for new data, for the explorer and `identikit events --follow`.
///
/// Today it compares the store's `changeToken()` every `interval` (one cheap query; 250 ms keeps new
/// events within a second at a negligible share of a core). A store that can push (PostgreSQL's
/// LISTEN/NOTIFY) changes only this type.
public actor ChangeWatcher {
    public nonisolated let store: any PersonStore
    public nonisolated let interval: Duration
    private var seen: Int64?

    public init(store: any PersonStore, interval: Duration = .milliseconds(250)) {
        self.store = store
        self.interval = interval
    }

    /// Takes the store as it is now as seen: after one of our own writes, so it is not announced.
    public func seeCurrent() async {
        seen = try? await store.changeToken()
    }

    /// Runs one of our writes, then takes its commit as seen.
    public func writing<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let result = try await body()
        await seeCurrent()
        return result
    }

    private func start() async {
        if seen == nil { await seeCurrent() }
    }

    /// Whether the store changed since the last look (a failed look is no change: the next one retries).
    private func changed() async -> Bool {
        guard let now = try? await store.changeToken() else { return false }
        defer { seen = now }
        guard let seen else { return false }
        return now != seen
    }

    /// One element per look that found a change, until the consumer stops listening.
    public nonisolated func changes() -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let watcher = Task.detached { [self] in
                await start()
                var settling = false
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    // PostgreSQL's token (its sequences) moves when a writer inserts, before it commits:
                    // one more look after each change finds rows that were not visible yet.
                    let changed = await changed()
                    if changed || settling { continuation.yield() }
                    settling = changed
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in watcher.cancel() }
        }
    }
}
