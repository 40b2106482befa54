import Foundation
import GRDB
import IdentityCore

extension SQLitePersonStore {
    /// Warnings grouped by type, most frequent first.
    public func warningGroups() throws -> [WarningGroup] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT type, count(*), max(created_at) FROM warning GROUP BY type ORDER BY count(*) DESC, type")
                .compactMap { row in
                    WarningType(rawValue: row[0]).map {
                        WarningGroup(type: $0, count: row[1], lastSeen: Date(timeIntervalSince1970: row[2]))
                    }
                }
        }
    }

    /// Warnings newest first, optionally of one type and containing `text` in their IDs, details, raw input or source,
    /// or equal to their event's uuid (an event's warnings, as the live screen links to them).
    public func warnings(type: WarningType? = nil, containing text: String? = nil, before id: Int64? = nil,
                         limit: Int = 100) throws -> [IngestionWarning] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let type { conditions.append("type = ?"); arguments += [type.rawValue] }
            if let id { conditions.append("id < ?"); arguments += [id] }
            if let text, !text.isEmpty {
                // instr() matches the text literally: % and _ in a search mean themselves.
                conditions.append("""
                    (instr(distinct_ids, ?) OR instr(details, ?) OR instr(coalesce(raw, ''), ?) OR instr(coalesce(source, ''), ?)
                     OR event_uuid = lower(?))
                    """)
                arguments += [text, text, text, text, text]
            }
            var sql = "SELECT \(WarningColumns.select) FROM warning"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(WarningColumns.warning)
        }
    }
}
