import Foundation
import IdentityCore
import Store
import SQLiteStore

/// What one ingest run did, for the summary line and `--json`.
public struct IngestSummary: Sendable, Equatable, Codable {
    public var events = 0
    public var duplicates = 0
    public var personsCreated = 0
    public var merges = 0
    public var warnings = 0
    public var invalid = 0
    /// Merge events sent with `$process_person_profile: false`: valid input, dropped by the rules.
    public var droppedPersonless = 0
    /// Manual merges, undos and splits replayed from an export.
    public var actions = 0
    /// Parts of ingested events that had the wrong type and were ignored, as "where: what" lines
    /// (the first `maxNotices`; `noticeCount` counts them all).
    public var notices: [String] = []
    public var noticeCount = 0
    public static let maxNotices = 100

    public init() {}

    enum CodingKeys: String, CodingKey {
        case events, duplicates, merges, warnings, invalid, actions, notices
        case noticeCount = "notice_count"
        case droppedPersonless = "dropped_personless"
        case personsCreated = "persons_created"
    }

    mutating func add(_ outcome: EventOutcome) {
        switch outcome.status {
        case .ingested: events += 1
        case .duplicate: duplicates += 1
        case .invalid: invalid += 1
        case .dropped: droppedPersonless += 1
        case .action: actions += 1
        }
        personsCreated += outcome.personsCreated
        merges += outcome.merges
        warnings += outcome.warnings.count
    }

    mutating func notice(_ event: Event) {
        noticeCount += 1
        guard notices.count < Self.maxNotices else { return }
        let fields = event.ignoredFields.joined(separator: ", ")
        notices.append("\(event.source ?? "input"): \(fields) ignored ($set and $set_once must be objects, $unset a list of keys or an object); the rest of the event was ingested")
    }

    public static func + (lhs: IngestSummary, rhs: IngestSummary) -> IngestSummary {
        var sum = lhs
        sum.events += rhs.events
        sum.duplicates += rhs.duplicates
        sum.personsCreated += rhs.personsCreated
        sum.merges += rhs.merges
        sum.warnings += rhs.warnings
        sum.invalid += rhs.invalid
        sum.droppedPersonless += rhs.droppedPersonless
        sum.actions += rhs.actions
        sum.noticeCount += rhs.noticeCount
        sum.notices += rhs.notices.prefix(max(0, maxNotices - sum.notices.count))
        return sum
    }
}

/// Where a long ingest is, for the progress display.
public struct IngestProgress: Sendable {
    public var source: String
    public var bytesRead: Int
    public var totalBytes: Int?
    public var inputs: Int
    public var summary: IngestSummary
}

/// Feeds inputs through the engine into the store, many per transaction: each transaction lands
/// whole or not at all, so a crash loses at most the transaction in flight, which a re-run redoes
/// (events dedupe by uuid).
public struct Ingestor: Sendable {
    public let store: any PersonStore
    /// Events per transaction when reading files into SQLite: a crash loses at most this many (a
    /// re-run redoes them). Other stores commit each chunk.
    public var batchSize: Int
    /// A file's events per SQLite transaction. Each commit writes every page it changed to the log
    /// once, and the hot ones (index leaves, active persons' rows) are the same from commit to commit:
    /// 10,000 took a fifth less time than 2,000 (Benchmarks/README.md, eighth pass). The events are
    /// handed to the writer in chunks of `chunkSize`, so memory does not grow with it.
    public static let defaultBatchSize = 10_000

    /// Decoded events handed to the writer at a time. A transaction spans several chunks; a
    /// chunk is freed once written, so the decoded events in memory are at most about three chunks.
    public static let chunkSize = 2000
    /// Input bytes after which a chunk is handed over with fewer events: 2,000 events of 64 KB
    /// would otherwise be 128 MB each. (2,000 typical events are about 500 KB.)
    public static let chunkBytes = 2 << 20

    /// Log pages after which a file ingest's writer catches up with the background checkpoint.
    public var checkpointCatchUpFrames: Int

    /// `chunkSize` unless a test makes it smaller (`IDENTIKIT_TEST_CHUNK_EVENTS`, the crash test).
    public var chunkEvents = Ingestor.chunkSize

    /// Test hook: a pause before writing each chunk of a file, to play a writer slower than the decoder
    /// (the memory test sets it through `IDENTIKIT_TEST_WRITER_PAUSE_MS`). Zero in normal use.
    public var writerPause: Duration = .zero

    /// Test hook: runs in a file's SQLite transaction after each chunk, with the chunks it has taken;
    /// a test throws from it to play a failure partway (SQLite answering busy). Nil in normal use.
    var afterChunk: (@Sendable (Int) throws -> Void)?

    public init(store: any PersonStore, batchSize: Int = Ingestor.defaultBatchSize,
                checkpointCatchUpFrames: Int = BackgroundCheckpointer.defaultCatchUpFrames) {
        self.store = store
        self.batchSize = batchSize
        self.checkpointCatchUpFrames = checkpointCatchUpFrames
    }

    /// Ingests a list of inputs in one transaction (a capture request, a test). Blocks: call it
    /// from a thread of its own (the file writer's), not from Swift concurrency's pool.
    public func ingest(_ inputs: [ValidatedInput], now: Date = Date()) throws -> IngestSummary {
        let outcomes: [EventOutcome]
        if let sqlite = store as? SQLitePersonStore {
            // The local file: the engine runs in the writer's own transaction, no task hop per batch.
            outcomes = try sqlite.write { storage in try inputs.map { try sqlite.engine.ingest($0, in: storage, now: now) } }
        } else {
            let store = self.store
            outcomes = try waitFor { try await store.ingest(inputs, now: now) }
        }
        return Self.summary(of: inputs, outcomes)
    }

    /// What the engine did to `inputs`, summed up.
    static func summary(of inputs: [ValidatedInput], _ outcomes: [EventOutcome]) -> IngestSummary {
        var summary = IngestSummary()
        for (input, outcome) in zip(inputs, outcomes) {
            summary.add(outcome)
            if outcome.status == .ingested, case .valid(let event) = input, !event.ignoredFields.isEmpty {
                summary.notice(event)
            }
        }
        return summary
    }

    /// Ingests a file (or `-`), reporting progress after each chunk.
    ///
    /// Reading and decoding the next chunk overlaps with writing the previous one (on a second
    /// thread), so parsing JSON and writing SQLite use both cores. At most `BatchWriter.capacity`
    /// decoded chunks wait for the writer besides the one being decoded: when the writer is behind,
    /// the decoder waits, so memory stays flat however slow the writer is or large the transaction.
    public func ingestFile(_ path: String, progress: (IngestProgress) -> Void = { _ in }) throws -> IngestSummary {
        let opened = try InputOpener.open(path)
        var reader = EventReader(source: opened.source, name: opened.name)
        // Without a second connection (a read-only store) SQLite checkpoints in the commits as usual.
        let checkpointer = (store as? SQLitePersonStore).flatMap { try? BackgroundCheckpointer(store: $0, catchUpFrames: checkpointCatchUpFrames) }
        let writer = BatchWriter(ingestor: self, source: opened.name, checkpointer: checkpointer)
        var inputs = 0
        var chunkStart = 0
        let chunkSize = min(chunkEvents, batchSize)
        var batch: [ValidatedInput] = []
        batch.reserveCapacity(chunkSize)
        func report() {
            progress(IngestProgress(source: opened.name, bytesRead: reader.bytesConsumed, totalBytes: opened.totalBytes,
                                    inputs: inputs, summary: writer.summary))
        }
        do {
            while let input = try nextInput(&reader, batch: &batch, inputs: &inputs, writer: writer) {
                batch.append(input)
                if batch.count >= chunkSize || reader.bytesConsumed - chunkStart >= Self.chunkBytes {
                    try writer.submit(batch)
                    inputs += batch.count
                    batch.removeAll(keepingCapacity: true)
                    chunkStart = reader.bytesConsumed
                    report()
                }
            }
            if !batch.isEmpty {
                try writer.submit(batch)
                inputs += batch.count
            }
            try writer.finish()
        } catch {
            // Let the batch in flight land (or fail) before reporting: nothing half-written stays behind.
            try? writer.finish()
            throw error
        }
        report()
        return writer.summary
    }
}

extension Ingestor {
    /// The reader's next input. A read error partway (a truncated or corrupt compressed file) first
    /// stores every input decoded before it, then throws `StoppedReading` saying how far it got.
    func nextInput<Source>(_ reader: inout EventReader<Source>, batch: inout [ValidatedInput], inputs: inout Int,
                           writer: BatchWriter) throws -> ValidatedInput? {
        do {
            return try reader.next()
        } catch {
            if !batch.isEmpty {
                try writer.submit(batch)
                inputs += batch.count
                batch.removeAll()
            }
            try writer.finish()
            throw StoppedReading(cause: error, linesRead: reader.linesRead, inputs: inputs, summary: writer.summary)
        }
    }
}

/// Runs async work to its end from a thread outside Swift concurrency's pool (the batch writer's),
/// which may wait on it without starving the pool.
func waitFor<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task {
        do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// The result handed from the task to the waiting thread; the semaphore orders the two accesses.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
