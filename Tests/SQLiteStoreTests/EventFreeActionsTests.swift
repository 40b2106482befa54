import Foundation
import GRDB
import IdentityCore
@testable import SQLiteStore
import Ingest
import Testing
import TestSupport

/// Merges, undos and splits move distinct IDs and never read events, so their cost does not grow
/// with a person's history (issue 6's merge scaling). Checked on the SQL SQLite actually runs.
@Suite("Merges, undos and splits never read events")
struct EventFreeActionsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `body` with every statement the writer connection executes recorded.
    static func statements(_ store: SQLitePersonStore, _ body: () throws -> Void) throws -> [String] {
        final class Log: @unchecked Sendable { var sql: [String] = [] }
        let log = Log()
        try store.pool.writeWithoutTransaction { db in db.trace { log.sql.append("\($0)") } }
        defer { try? store.pool.writeWithoutTransaction { db in db.trace(options: [], nil) } }
        try body()
        return log.sql
    }

    @Test func theirStatementsNeverTouchTheEventTable() throws {
        let temp = try TemporaryStore.sqlite()
        defer { temp.remove() }
        let store = try SQLitePersonStore(path: temp.location)
        var lines: [JSONValue] = []
        for (index, id) in ["a1", "a2", "b1", "b2", "b3"].enumerated() {
            for n in 0..<20 {
                lines.append(["event": "$pageview", "distinct_id": .string(id), "uuid": .string(UUID().uuidString),
                              "timestamp": .string("2026-01-0\(index + 1)T10:\(10 + n):00Z")])
            }
        }
        lines.append(["event": "$identify", "distinct_id": "a1", "uuid": .string(UUID().uuidString), "properties": ["$anon_distinct_id": "a2"]])
        lines.append(["event": "$identify", "distinct_id": "b1", "uuid": .string(UUID().uuidString),
                      "properties": ["$anon_distinct_id": "b2"]])
        lines.append(["event": "$create_alias", "distinct_id": "b1", "uuid": .string(UUID().uuidString), "properties": ["alias": "b3"]])
        let inputs = lines.enumerated().map { index, value in
            EventValidator.validate(value, rawText: JSONWriter.string(value), location: InputLocation(source: "test", line: index + 1))
        }
        _ = try Ingestor(store: store).ingest(inputs, now: Self.now)
        let engine = store.engine

        var merge: ActionRecord?
        let merging = try Self.statements(store) {
            merge = try store.write { try engine.manualMerge(target: "a1", source: "b1", force: true, in: $0, now: Self.now) }
        }
        let undoing = try Self.statements(store) {
            _ = try store.write { try engine.undo(merge!.id!, in: $0, now: Self.now) }
        }
        let splitting = try Self.statements(store) {
            _ = try store.write { try engine.split(person: "b1", distinctIDs: ["b3"], in: $0, now: Self.now) }
        }
        for (action, sql) in [("merge", merging), ("undo", undoing), ("split", splitting)] {
            #expect(sql.count > 3, "\(action) ran statements")
            // The last seq (where an export replays the action) is one step to the end of the table.
            let readingEvents = sql.map { $0.replacingOccurrences(of: "(SELECT coalesce(max(seq), 0) FROM event)", with: "") }
                .filter { $0.range(of: #"\bevent\b(?!_)"#, options: .regularExpression) != nil }
            #expect(readingEvents == [], "\(action)")
        }
        #expect(try store.check().problems == [])
        #expect(try store.stats().events == 103)
    }
}
