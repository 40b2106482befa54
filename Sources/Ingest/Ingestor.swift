import Foundation
import IdentityCore
import IdentityStore

/// What one ingest run did, for the summary line and `--json`.
public struct IngestSummary: Sendable, Equatable, Codable {
    public var events = 0
    public var duplicates = 0
    public var personsCreated = 0
    public var merges = 0
    public var warnings = 0
    public var invalid = 0
    /// Manual merges, undos and splits replayed from an export.
    public var actions = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case events, duplicates, merges, warnings, invalid, actions
        case personsCreated = "persons_created"
    }

    mutating func add(_ outcome: EventOutcome) {
        switch outcome.status {
        case .ingested: events += 1
        case .duplicate: duplicates += 1
        case .invalid: invalid += 1
        case .action: actions += 1
        }
        personsCreated += outcome.personsCreated
        merges += outcome.merges
        warnings += outcome.warnings.count
    }

    public static func + (lhs: IngestSummary, rhs: IngestSummary) -> IngestSummary {
        var sum = lhs
        sum.events += rhs.events
        sum.duplicates += rhs.duplicates
        sum.personsCreated += rhs.personsCreated
        sum.merges += rhs.merges
        sum.warnings += rhs.warnings
        sum.invalid += rhs.invalid
        sum.actions += rhs.actions
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

/// Feeds inputs through the engine into the store, many per transaction: each batch lands
/// whole or not at all, so a crash loses at most the batch in flight, which a re-run redoes
/// (events dedupe by uuid).
public struct Ingestor: Sendable {
    public let store: PersonStore
    public var batchSize: Int

    public init(store: PersonStore, batchSize: Int = 2000) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Ingests a list of inputs in one transaction (a capture request, a test).
    public func ingest(_ inputs: [ValidatedInput], now: Date = Date()) throws -> IngestSummary {
        try store.write { storage in
            var summary = IngestSummary()
            for input in inputs { summary.add(try store.engine.ingest(input, in: storage, now: now)) }
            return summary
        }
    }

    /// Ingests a file (or `-`), reporting progress after each batch.
    public func ingestFile(_ path: String, progress: (IngestProgress) -> Void = { _ in }) throws -> IngestSummary {
        let opened = try InputOpener.open(path)
        var reader = EventReader(source: opened.source, name: opened.name)
        var summary = IngestSummary()
        var inputs = 0
        var batch: [ValidatedInput] = []
        batch.reserveCapacity(batchSize)
        while true {
            let input = try reader.next()
            if let input { batch.append(input) }
            if batch.count >= batchSize || (input == nil && !batch.isEmpty) {
                summary = summary + (try ingest(batch))
                inputs += batch.count
                batch.removeAll(keepingCapacity: true)
                progress(IngestProgress(source: opened.name, bytesRead: reader.bytesConsumed, totalBytes: opened.totalBytes,
                                        inputs: inputs, summary: summary))
            }
            if input == nil { break }
        }
        return summary
    }
}
