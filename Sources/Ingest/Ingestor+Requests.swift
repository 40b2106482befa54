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

extension Ingestor {
    /// Log pages between the capture server's checkpoints: 40 MB of 4 KiB pages.
    public static let serverCheckpointPages = 10_000

    /// Prepares the store for a writer of many small commits (the capture server). Its commits
    /// touch about a thousand pages each, so SQLite's automatic checkpoint (at 1,000 pages) ran in
    /// nearly every commit, copying the same hot pages into the store and syncing it each time.
    /// Every 10,000 pages, the server's throughput rose by a third and a 1-event request's p99
    /// under full load from about 60 to about 95 ms (Benchmarks/README.md, seventh pass). A crash
    /// loses nothing either way; what a power loss can take is in the README ("What a 200 guarantees").
    public func prepareForManySmallCommits() {
        // A read-only store refuses the setting, and every write after it anyway.
        try? (store as? SQLitePersonStore)?.setAutomaticCheckpoints(afterPages: Self.serverCheckpointPages)
    }
}
