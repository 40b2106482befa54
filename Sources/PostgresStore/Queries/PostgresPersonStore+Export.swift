import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// Every record needed to rebuild this store, in the order it happened, as the SQLite store
    /// exports it: ingested events, the raw text of rejected inputs, and manual merges, undos and
    /// splits as replayable actions, each placed after the last event stored before it (`event_seq`).
    /// Events stream from the server on one snapshot; only the (few) side records are held in memory.
    public func exportRecords(_ body: (JSONValue) throws -> Void) async throws {
        try await snapshot("exporting") { connection in
            var side: [(seq: Int64, at: Double, record: JSONValue)] = []
            let manual = [ActionKind.manualMerge, .manualForcedMerge, .undo, .split].map(\.rawValue)
            let actions = try await connection.query("""
                SELECT \(unescaped: Self.actionColumns), event_seq, l.link_a, l.link_b FROM action
                LEFT JOIN LATERAL (SELECT link.a AS link_a, link.b AS link_b FROM link WHERE link.action_id = action.id
                                   ORDER BY link.id LIMIT 1) AS l ON true
                WHERE kind = ANY(\(manual)) ORDER BY id
                """, logger: logger)
            for try await row in actions.decode((Int64, String, UUID?, Double, UUID?, UUID?, String, String, Int64?, Int64, String?, String?).self) {
                let action = Self.action((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8))
                guard let record = Self.replayable(action, link: row.10.flatMap { a in row.11.map { (a, $0) } }) else { continue }
                side.append((row.9, action.at.timeIntervalSince1970, record.jsonValue))
            }
            let rejected = try await connection.query("""
                SELECT raw, event_seq, extract(epoch FROM created_at)::float8 FROM warning WHERE raw IS NOT NULL ORDER BY id
                """, logger: logger)
            for try await (raw, seq, at) in rejected.decode((String, Int64, Double).self) {
                // Kept whole when it parses; otherwise as a string, which re-ingests as the same kind of warning.
                side.append((seq, at, (try? JSONParser.parse(raw.utf8)) ?? .string(raw)))
            }
            side.sort { ($0.seq, $0.at) < ($1.seq, $1.at) }

            var next = 0
            let events = try await connection.query("""
                SELECT seq, uuid, event, distinct_id, extract(epoch FROM timestamp)::float8, properties::text FROM event ORDER BY seq
                """, logger: logger)
            for try await row in events.decode((Int64, UUID, String, String, Double?, String).self) {
                while next < side.count, side[next].seq < row.0 {
                    try body(side[next].record)
                    next += 1
                }
                var event: [String: JSONValue] = ["uuid": .string(row.1.lowercased), "event": .string(row.2), "distinct_id": .string(row.3),
                                                  "properties": (try? JSONParser.parse(row.5.utf8)) ?? .object([:])]
                if let time = row.4 { event["timestamp"] = .string(Timestamp.format(Date(timeIntervalSince1970: time))) }
                try body(.object(event))
            }
            while next < side.count {
                try body(side[next].record)
                next += 1
            }
        }
    }

    private static func replayable(_ action: ActionRecord, link: (String, String)?) -> ReplayedAction? {
        switch action.kind {
        case .manualMerge, .manualForcedMerge:
            guard let link else { return nil }
            return ReplayedAction(kind: .merge(target: link.0, source: link.1, force: action.kind == .manualForcedMerge), at: action.at)
        case .undo:
            // A group merge's own undo brings no one back itself: the undos of its merges, replayed, do.
            guard action.sourceUUID != nil else { return nil }
            return action.details.undoes.map { ReplayedAction(kind: .undo(mergeID: $0, person: action.sourceUUID), at: action.at) }
        case .split:
            return action.targetUUID.map { ReplayedAction(kind: .split(person: $0.lowercased, ids: action.distinctIDs), at: action.at) }
        default:
            return nil
        }
    }
}
