import Dispatch
import Foundation
import IdentityCore
import Ingest
import Store
import Synchronization

/// The server's one writer: requests hand their inputs here and wait. Requests commit in the order
/// they arrived, on a thread of its own so SQLite's blocking calls never hold up the server's event
/// loops. Readers (the explorer, the CLI) read the WAL snapshot meanwhile and are not blocked.
///
/// Group commit: the requests that arrived while the previous commit was running share the next
/// transaction (up to `maxInputsPerCommit` inputs), and each is answered once it is committed. One
/// commit per request would make the log write, not the rules, the server's limit.
public final class IngestWriter: Sendable {
    let ingestor: Ingestor
    let queue = DispatchQueue(label: "identikit.capture.writer", qos: .userInitiated)
    private let waiting = Mutex<[Waiting]>([])

    /// Inputs one shared transaction takes at most (a single larger request still goes whole): a
    /// bound on how long the requests in it wait for their answer.
    public static let maxInputsPerCommit = 2000

    struct Waiting: Sendable {
        var request: IngestRequest
        var continuation: CheckedContinuation<IngestSummary, any Error>
    }

    public init(ingestor: Ingestor) {
        self.ingestor = ingestor
        ingestor.prepareForManySmallCommits()
    }

    /// Returns once the inputs are committed (or throws if the store refused them: nothing of them landed).
    public func ingest(_ inputs: [ValidatedInput], now: Date = Date()) async throws -> IngestSummary {
        try await withCheckedThrowingContinuation { continuation in
            waiting.withLock { $0.append(Waiting(request: IngestRequest(inputs: inputs, now: now), continuation: continuation)) }
            // One turn per request: a turn that finds its request already taken by an earlier turn has nothing to do.
            queue.async { [self] in commitWaiting() }
        }
    }

    /// On the writer's queue: the oldest waiting requests, together, in one transaction.
    private func commitWaiting() {
        let group = waiting.withLock { list -> [Waiting] in
            var taken = 0, inputs = 0
            while taken < list.count, taken == 0 || inputs + list[taken].request.inputs.count <= Self.maxInputsPerCommit {
                inputs += list[taken].request.inputs.count
                taken += 1
            }
            defer { list.removeFirst(taken) }
            return Array(list.prefix(taken))
        }
        guard !group.isEmpty else { return }
        do {
            let summaries = try ingestor.ingest(requests: group.map(\.request))
            for (waiting, summary) in zip(group, summaries) { waiting.continuation.resume(returning: summary) }
        } catch let error as any StoreUnavailable where error.refusesEveryWrite {
            // The store takes no write now (server down, disk full): each request alone would only wait for the same answer.
            for waiting in group { waiting.continuation.resume(throwing: error) }
        } catch where group.count > 1 {
            // Nothing of the group landed. Each request alone, so one the store refuses fails only itself.
            for waiting in group {
                waiting.continuation.resume(with: Result { try ingestor.ingest(waiting.request.inputs, now: waiting.request.now) })
            }
        } catch {
            group[0].continuation.resume(throwing: error)
        }
    }
}
