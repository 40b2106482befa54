import Foundation
import Logging
import PostgresNIO
import Store

/// Live views on other machines learn of commits by LISTEN/NOTIFY: every write transaction
/// notifies one channel, delivered by the server when (and only if) it commits, and the server
/// folds a transaction's identical notifications into one.
extension PostgresPersonStore {
    static let changeChannel = "identikit_changes"

    static func announceChange(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(changeChannel), '')", logger: logger)
    }

    /// Yields on every notification. A lost connection (the server restarting) is listened for
    /// again after a pause, and yields once on its return: commits in the gap went unannounced.
    public func changes() -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let listener = Task.detached { [client, logger] in
                var pause = Duration.milliseconds(100)
                var interrupted = false
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in
                            try await connection.listen(on: Self.changeChannel) { notifications in
                                if interrupted { continuation.yield() }
                                interrupted = false
                                pause = .milliseconds(100)
                                for try await _ in notifications { continuation.yield() }
                            }
                        }
                    } catch {
                        if Task.isCancelled { break }
                        logger.debug("listening for changes failed: \(String(describing: error))")
                    }
                    interrupted = true
                    try? await Task.sleep(for: pause)
                    pause = min(pause * 2, .seconds(2))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in listener.cancel() }
        }
    }
}
