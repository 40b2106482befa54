import Foundation
import IdentityCore
import Store
import SQLiteStore

/// Writes a file's decoded chunks in order on its own thread, many chunks per transaction.
///
/// A transaction takes the chunks that are ready, up to `Ingestor.batchSize` events, and commits
/// when the decoder has nothing more for it within `patience`: a slow or trickling input (`tail -f
/// | identikit ingest -`) is committed as it comes instead of holding the store's write lock.
final class BatchWriter: @unchecked Sendable {
    /// Decoded chunks handed to the writer and not yet written (queued or being written). One keeps
    /// both threads busy; more would only hold more decoded events in memory.
    static let capacity = 1

    /// How long an open transaction waits for the decoder's next chunk before committing. The
    /// decoder makes a chunk in about 30 ms, so only a stalled input (a pipe, a slow disk) ends a
    /// transaction early.
    static let defaultPatience: DispatchTimeInterval = .milliseconds(200)
    private let patience: DispatchTimeInterval

    private let ingestor: Ingestor
    private let source: String
    private let checkpointer: BackgroundCheckpointer?
    private let queue = DispatchQueue(label: "identikit.ingest.writer")
    private let slots = DispatchSemaphore(value: BatchWriter.capacity)
    private let ready = DispatchSemaphore(value: 0)
    private let stopped = DispatchGroup()

    private let lock = NSLock()
    private var waiting: [Chunk] = []
    private var noMoreInput = false
    private var total = IngestSummary()
    private var committedBatches = 0
    private var failure: (any Error)?

    init(ingestor: Ingestor, source: String, checkpointer: BackgroundCheckpointer?,
         patience: DispatchTimeInterval = BatchWriter.defaultPatience) {
        self.ingestor = ingestor
        self.patience = patience
        self.source = source
        self.checkpointer = checkpointer
        stopped.enter()
        queue.async { [self] in
            writeUntilDone()
            stopped.leave()
        }
    }

    var summary: IngestSummary { lock.withLock { total } }

    /// Queues a chunk; waits while the writer already holds `capacity` chunks. Throws a write failure.
    func submit(_ chunk: [ValidatedInput]) throws {
        slots.wait()
        // Checked and queued under one lock: a writer that fails meanwhile releases what is queued.
        let accepted = lock.withLock {
            guard failure == nil else { return false }
            waiting.append(Chunk(chunk))
            return true
        }
        guard accepted else {
            slots.signal()
            throw stoppedError()!
        }
        ready.signal()
    }

    /// Commits what was submitted, waits for the writer to stop, and throws if any write failed.
    /// Calling it again only waits and reports again.
    func finish() throws {
        let first = lock.withLock {
            defer { noMoreInput = true }
            return !noMoreInput
        }
        if first { ready.signal() }
        stopped.wait()
        checkpointer?.finish()
        if let failure = stoppedError() { throw failure }
    }

    /// The writer thread: one transaction after another until the input ends or a write fails.
    private func writeUntilDone() {
        while let first = next(waitingUpTo: .distantFuture) {
            do {
                let result = try ingestor.ingestTransaction(first: first) { [self] in
                    next(waitingUpTo: .now() + patience)
                } written: { [self] _ in
                    slots.signal()
                }
                checkpointer?.committed()
                lock.withLock {
                    total = total + result
                    committedBatches += 1
                }
            } catch {
                // The chunks taken were given back; release whatever else was queued.
                let left = lock.withLock { () -> [Chunk] in
                    failure = error
                    defer { waiting.removeAll() }
                    return waiting
                }
                for chunk in left {
                    chunk.release()
                    slots.signal()
                }
                return
            }
        }
    }

    /// The next chunk, or nil when the input ended or none came by `deadline`.
    private func next(waitingUpTo deadline: DispatchTime) -> Chunk? {
        while true {
            let (chunk, ended) = lock.withLock { () -> (Chunk?, Bool) in
                if !waiting.isEmpty { return (waiting.removeFirst(), false) }
                return (nil, noMoreInput)
            }
            if let chunk { return chunk }
            if ended { return nil }
            if ready.wait(timeout: deadline) == .timedOut { return nil }
        }
    }

    /// The first write failure, with what was committed before it (if anything was).
    private func stoppedError() -> (any Error)? {
        lock.withLock {
            guard let failure else { return nil }
            return committedBatches == 0 ? failure : StoppedWriting(cause: failure, source: source, committed: total)
        }
    }
}
