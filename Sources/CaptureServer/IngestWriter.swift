import Dispatch
import Foundation
import IdentityCore
import Ingest

/// The server's one writer: requests hand their inputs here and wait. Batches commit one at a time,
/// in the order they arrived, each in its own transaction, on a thread of its own so SQLite's
/// blocking calls never hold up the server's event loops. Readers (the explorer, the CLI) read
/// the WAL snapshot meanwhile and are not blocked.
public final class IngestWriter: Sendable {
    let ingestor: Ingestor
    let queue = DispatchQueue(label: "identikit.capture.writer", qos: .userInitiated)

    public init(ingestor: Ingestor) {
        self.ingestor = ingestor
    }

    /// Returns once the inputs are committed (or throws if the store refused them: nothing of them landed).
    public func ingest(_ inputs: [ValidatedInput], now: Date = Date()) async throws -> IngestSummary {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [ingestor] in
                continuation.resume(with: Result { try ingestor.ingest(inputs, now: now) })
            }
        }
    }
}
