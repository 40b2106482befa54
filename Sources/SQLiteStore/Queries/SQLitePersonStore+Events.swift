import Foundation
import GRDB
import IdentityCore

extension SQLitePersonStore {
    static let eventSelect = "seq, uuid, event, distinct_id, timestamp, properties, source, effect, duplicates"

    static func event(_ row: Row) -> StoredEvent {
        StoredEvent(seq: row[0], uuid: UUID(text: row[1]) ?? UUID(), name: row[2], distinctID: row[3],
                    timestamp: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)),
                    properties: decodeObject(row[5]), source: row[6], effect: EventEffect(stored: row[7]), duplicates: row[8])
    }

    /// Events after `seq`, oldest first; a person's through each of its IDs' (distinct_id, seq) index.
    public func events(after seq: Int64, distinctID: String? = nil, personID: Int64? = nil, limit: Int = 50) throws -> [StoredEvent] {
        try read { db in
            if let personID {
                let ids = try String.fetchAll(db, sql: "SELECT distinct_id FROM distinct_id WHERE person_id = ?", arguments: [personID])
                let statement = try db.cachedStatement(sql: """
                    SELECT \(Self.eventSelect) FROM event WHERE distinct_id = ? AND seq > ? ORDER BY seq LIMIT ?
                    """)
                var page: [StoredEvent] = []
                for id in ids { page += try Row.fetchAll(statement, arguments: [id, seq, limit]).map(Self.event) }
                page.sort { $0.seq < $1.seq }
                return Array(page.prefix(limit))
            }
            if let distinctID {
                return try Row.fetchAll(db, sql: "SELECT \(Self.eventSelect) FROM event WHERE distinct_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                                        arguments: [distinctID, seq, limit]).map(Self.event)
            }
            return try Row.fetchAll(db, sql: "SELECT \(Self.eventSelect) FROM event WHERE seq > ? ORDER BY seq LIMIT ?",
                                    arguments: [seq, limit]).map(Self.event)
        }
    }

    /// Events newest first, all of them or for one distinct ID, starting before `seq`.
    public func events(distinctID: String? = nil, before seq: Int64? = nil, limit: Int = 50) throws -> [StoredEvent] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let distinctID { conditions.append("distinct_id = ?"); arguments += [distinctID] }
            if let seq { conditions.append("seq < ?"); arguments += [seq] }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(db, sql: "SELECT \(Self.eventSelect) FROM event \(filter) ORDER BY seq DESC LIMIT ?",
                                    arguments: arguments).map(Self.event)
        }
    }

    /// A person's timeline, newest first: the events of all its distinct IDs, a page at a time.
    /// Each ID's events are read newest-first through the (distinct_id, seq) index and merged,
    /// so a page costs O(page × IDs) however many events the person has.
    public func events(personID: Int64, before seq: Int64? = nil, limit: Int = 50) throws -> [StoredEvent] {
        try read { db in
            let ids = try String.fetchAll(db, sql: "SELECT distinct_id FROM distinct_id WHERE person_id = ?", arguments: [personID])
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.eventSelect) FROM event WHERE distinct_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?
                """)
            var page: [StoredEvent] = []
            for id in ids {
                let rows = try Row.fetchAll(statement, arguments: [id, seq ?? Int64.max, limit])
                page.append(contentsOf: rows.map(Self.event))
                if page.count > 4 * limit {
                    page.sort { $0.seq > $1.seq }
                    page.removeLast(page.count - limit)
                }
            }
            page.sort { $0.seq > $1.seq }
            return Array(page.prefix(limit))
        }
    }

    /// One event by uuid, for the full-JSON view.
    public func event(uuid: UUID) throws -> StoredEvent? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.eventSelect) FROM event WHERE uuid = ?", arguments: [uuid.lowercased])
                .map(Self.event)
        }
    }

    /// Every event in ingestion order, for export, handed over one at a time to keep memory flat.
    public func forEachEvent(_ body: (StoredEvent) throws -> Void) throws {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.eventSelect) FROM event ORDER BY seq")
            while let row = try cursor.next() { try body(Self.event(row)) }
        }
    }
}
