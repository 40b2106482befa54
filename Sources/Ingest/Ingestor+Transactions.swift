import Foundation
import IdentityCore
import Store
import SQLiteStore

/// Decoded inputs handed from the file's reader to its writer; freed on the release queue.
typealias Chunk = BackgroundRelease.Held<[ValidatedInput]>

extension Ingestor {
    /// One transaction over `first` and the chunks `next` hands out while it is open, up to
    /// `batchSize` events (SQLite; other stores commit `first` alone). `written` is called once for
    /// every chunk taken, as soon as the writer is done reading it, whether or not the transaction
    /// then commits: it frees the chunk's place for the decoder.
    func ingestTransaction(first: Chunk, next: () -> Chunk?, written: (Chunk) -> Void) throws -> IngestSummary {
        guard let sqlite = store as? SQLitePersonStore else {
            defer {
                first.release()
                written(first)
            }
            pauseForTests()
            return try ingest(first.value ?? [])
        }
        var firstWritten = false
        var tookMore = false
        let now = Date()
        // The decoder may fill the chunk's place as soon as its events are in the transaction.
        func done(_ chunk: Chunk) {
            if chunk !== first {
                chunk.release()
                written(chunk)
            } else if !firstWritten {
                firstWritten = true
                written(first)
            }
        }
        // The first chunk's events stay until the end, for a transaction that SQLite's busy handling
        // runs again from the start; the later chunks are freed as they are written. A transaction
        // that never began (a read-only store) still gives the first chunk's place back.
        defer {
            first.release()
            done(first)
        }
        return try sqlite.write { storage in
            if tookMore { throw BusyPartway() }
            var summary = IngestSummary()
            var events = 0
            var chunks = 0
            var chunk = first
            while true {
                let inputs = chunk.value ?? []
                let outcomes: [EventOutcome]
                do {
                    pauseForTests()
                    outcomes = try inputs.map { try sqlite.engine.ingest($0, in: storage, now: now) }
                } catch {
                    done(chunk)
                    throw error
                }
                done(chunk)
                chunks += 1
                try afterChunk?(chunks)
                summary = summary + Self.summary(of: inputs, outcomes)
                events += inputs.count
                guard events < batchSize, let more = next() else { break }
                tookMore = true
                chunk = more
            }
            return summary
        }
    }

    private func pauseForTests() {
        if writerPause > .zero { Thread.sleep(forTimeInterval: writerPause.seconds) }
    }
}

/// SQLite reported the store busy inside a transaction that had already taken chunks the decoder
/// no longer holds, so it cannot be run again from the start; it was rolled back whole.
struct BusyPartway: Error, CustomStringConvertible {
    var description: String {
        "the store was busy partway through a transaction (another process writing, or SQLite recovering its log); the transaction was rolled back"
    }
}

private extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
