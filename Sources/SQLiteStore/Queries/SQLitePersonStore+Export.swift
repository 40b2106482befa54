import Foundation
import GRDB
import IdentityCore

extension SQLitePersonStore {
    /// Every record needed to rebuild this store, in the order it happened: ingested events, the raw
    /// text of inputs that were rejected (so their warnings come back), and manual merges, undos
    /// and splits as replayable actions. Ingesting them into an empty store reproduces this one.
    /// Events stream from a cursor; only the (few) side records are held in memory.
    public func exportRecords(_ body: (JSONValue) throws -> Void) throws {
        try read { db in
            var side: [(seq: Int64, at: Double, record: JSONValue)] = []
            let manual = "'manual_merge','manual_forced_merge','undo','split'"
            for row in try Row.fetchAll(db, sql: "SELECT \(ActionColumns.select), event_seq FROM action WHERE kind IN (\(manual)) ORDER BY id") {
                let action = ActionColumns.record(row)
                guard let record = try replayable(action, db) else { continue }
                side.append((row[9], action.at.timeIntervalSince1970, record.jsonValue))
            }
            for row in try Row.fetchAll(db, sql: "SELECT raw, event_seq, created_at FROM warning WHERE raw IS NOT NULL ORDER BY id") {
                let raw: String = row[0]
                // Kept whole when it parses; otherwise as a string, which re-ingests as the same kind of warning.
                let value = (try? JSONParser.parse(raw.utf8)) ?? .string(raw)
                side.append((row[1], row[2], value))
            }
            side.sort { ($0.seq, $0.at) < ($1.seq, $1.at) }
            var next = 0
            let events = try Row.fetchCursor(db, sql: "SELECT seq, uuid, event, distinct_id, timestamp, properties FROM event ORDER BY seq")
            while let row = try events.next() {
                let seq: Int64 = row[0]
                while next < side.count, side[next].seq < seq {
                    try body(side[next].record)
                    next += 1
                }
                var event: [String: JSONValue] = ["uuid": .string(row[1]), "event": .string(row[2]), "distinct_id": .string(row[3]),
                                                  "properties": (try? JSONParser.parse((row[5] as String).utf8)) ?? .object([:])]
                if let time = row[4] as Double? { event["timestamp"] = .string(Timestamp.format(Date(timeIntervalSince1970: time))) }
                try body(.object(event))
            }
            while next < side.count {
                try body(side[next].record)
                next += 1
            }
        }
    }

    private func replayable(_ action: ActionRecord, _ db: Database) throws -> ReplayedAction? {
        switch action.kind {
        case .manualMerge, .manualForcedMerge:
            guard let id = action.id,
                  let link = try Row.fetchOne(db, sql: "SELECT a, b FROM link WHERE action_id = ? ORDER BY id LIMIT 1", arguments: [id])
            else { return nil }
            return ReplayedAction(kind: .merge(target: link[0], source: link[1], force: action.kind == .manualForcedMerge), at: action.at)
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
