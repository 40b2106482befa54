import Foundation
import IdentityCore
import SQLiteStore
import Ingest

/// Figure 3: merging a source person with 1,000 distinct IDs costs the same whether its IDs carry
/// 1,000 events or a million, because merges move IDs and never touch events. Undo likewise.
struct MergeBenchmark {
    var ids = 1000
    var smallEvents = 1000
    var largeEvents: Int
    var samples = 9

    struct Result {
        var smallMergeMS: Double
        var largeMergeMS: Double
        var smallUndoMS: Double
        var largeUndoMS: Double
        var largeEvents: Int
        var scalingRatio: Double { largeMergeMS / smallMergeMS }
    }

    func run(in workspace: Workspace, log: (String) -> Void) throws -> Result {
        log("merge: building a source person with \(ids) IDs and \(smallEvents) events")
        let small = try measure(events: smallEvents, path: workspace.path("merge-small.sqlite"))
        log("merge: building a source person with \(ids) IDs and \(largeEvents) events")
        let large = try measure(events: largeEvents, path: workspace.path("merge-large.sqlite"))
        return Result(smallMergeMS: small.merge, largeMergeMS: large.merge, smallUndoMS: small.undo, largeUndoMS: large.undo,
                      largeEvents: largeEvents)
    }

    private func measure(events: Int, path: String) throws -> (merge: Double, undo: Double) {
        let store = try SQLitePersonStore(path: path)
        let ingestor = Ingestor(store: store, batchSize: 5000)
        var batch: [ValidatedInput] = []
        var line = 0
        func add(_ value: JSONValue) throws {
            line += 1
            batch.append(EventValidator.validate(value, rawText: "", location: InputLocation(source: "bench", line: line)))
            if batch.count == 5000 {
                _ = try ingestor.ingest(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try add(["event": "$pageview", "distinct_id": "target", "properties": ["$set": ["plan": "pro"]]])
        for index in 1..<ids {
            try add(["event": "$identify", "distinct_id": "source",
                     "properties": ["$anon_distinct_id": .string("source-\(index)"), "$set": ["n": .int(Int64(index))]]])
        }
        for index in 0..<max(0, events - (ids - 1)) {
            let id = index % ids == 0 ? "source" : "source-\(index % ids)"
            try add(["event": "$pageview", "distinct_id": .string(id), "properties": ["$current_url": "/"]])
        }
        if !batch.isEmpty { _ = try ingestor.ingest(batch) }

        var merges: [Double] = [], undos: [Double] = []
        for _ in 0..<samples {
            var action: ActionRecord?
            merges.append(try Measure.seconds {
                action = try store.write { try store.engine.manualMerge(target: "target", source: "source", force: true, in: $0, now: Date()) }
            } * 1000)
            guard let id = action?.id else { throw BenchError("merge recorded no action") }
            undos.append(try Measure.seconds {
                _ = try store.write { try store.engine.undo(id, in: $0, now: Date()) }
            } * 1000)
        }
        let check = try store.check()
        guard check.isHealthy else { throw BenchError("store unhealthy after merges: \(check.problems)") }
        return (Measure.median(merges), Measure.median(undos))
    }
}
