import Foundation

/// Watching a store for commits by comparing its change token (what every store can do; a store
/// the database can push changes from overrides `PersonStore.changes()`).
public enum StoreChangePolling {
    /// Four looks a second: new data shows well within a second.
    public static let interval: Duration = .milliseconds(250)

    /// Yields each time the token moves, starting from its value when the stream is made.
    public static func changes(of store: any PersonStore, every interval: Duration = interval) -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let watcher = Task.detached {
                var seen = try? await store.changeToken()
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let now = try? await store.changeToken() else { continue }
                    if now != seen { continuation.yield() }
                    seen = now
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in watcher.cancel() }
        }
    }
}
