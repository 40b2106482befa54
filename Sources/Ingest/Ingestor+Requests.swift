import Foundation
import IdentityCore
import SQLiteStore

/// One request's inputs with the time it arrived, for a commit shared by several requests.
public struct IngestRequest: Sendable {
    public var inputs: [ValidatedInput]
    public var now: Date

    public init(inputs: [ValidatedInput], now: Date) {
        self.inputs = inputs
        self.now = now
    }
}

extension Ingestor {
    /// Several requests' inputs in one transaction, in order, each with its own arrival time: one
    /// summary per request, all landed or none. A SQLite store has a single writer, so sharing one
    /// commit (and its log write) among the requests waiting for it is what lets the capture server
    /// keep up; other stores take each request in a transaction of its own, as `ingest(_:now:)` does.
    public func ingest(requests: [IngestRequest]) throws -> [IngestSummary] {
        guard requests.count > 1, let sqlite = store as? SQLitePersonStore else {
            return try requests.map { try ingest($0.inputs, now: $0.now) }
        }
        let outcomes = try sqlite.write { storage in
            try requests.map { request in try request.inputs.map { try sqlite.engine.ingest($0, in: storage, now: request.now) } }
        }
        return zip(requests, outcomes).map { Self.summary(of: $0.inputs, $1) }
    }
}
