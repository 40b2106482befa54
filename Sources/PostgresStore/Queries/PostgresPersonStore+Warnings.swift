import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

extension PostgresPersonStore {
    static let warningColumns = """
        id, type, extract(epoch FROM created_at)::float8, event_uuid, distinct_ids::text, details::text, raw, source
        """

    static func warning(_ row: (Int64, String, Double, UUID?, String, String, String?, String?)) -> IngestionWarning {
        IngestionWarning(
            id: row.0, type: WarningType(rawValue: row.1) ?? .invalidEvent, createdAt: Date(timeIntervalSince1970: row.2),
            eventUUID: row.3, distinctIDs: ((try? JSONParser.parse(row.4.utf8))?.arrayValue ?? []).compactMap(\.stringValue),
            details: (try? JSONParser.parse(row.5.utf8))?.objectValue ?? [:], raw: row.6, source: row.7)
    }

    /// Warnings grouped by type, most frequent first.
    public func warningGroups() async throws -> [WarningGroup] {
        try await reading("reading warnings") {
            var groups: [WarningGroup] = []
            let rows = try await client.query("""
                SELECT type, count(*), extract(epoch FROM max(created_at))::float8 FROM warning
                GROUP BY type ORDER BY count(*) DESC, type COLLATE "C"
                """, logger: logger)
            for try await (type, count, last) in rows.decode((String, Int64, Double).self) {
                if let type = WarningType(rawValue: type) {
                    groups.append(WarningGroup(type: type, count: Int(count), lastSeen: Date(timeIntervalSince1970: last)))
                }
            }
            return groups
        }
    }

    /// Warnings newest first, optionally of one type and containing `text` (literally: `strpos`, so
    /// % and _ mean themselves) in their IDs, details, raw input or source, or equal to their event's uuid.
    public func warnings(type: WarningType?, containing text: String?, before id: Int64?, limit: Int) async throws -> [IngestionWarning] {
        let type = type?.rawValue
        let text = text.flatMap { $0.isEmpty ? nil : $0 }
        let before = id ?? Int64.max
        return try await reading("reading warnings") {
            var warnings: [IngestionWarning] = []
            let rows = try await client.query("""
                SELECT \(unescaped: Self.warningColumns) FROM warning
                WHERE (\(type)::text IS NULL OR type = \(type)) AND id < \(before)
                  AND (\(text)::text IS NULL OR strpos(distinct_ids::text, \(text)) > 0 OR strpos(details::text, \(text)) > 0
                       OR strpos(coalesce(raw, ''), \(text)) > 0 OR strpos(coalesce(source, ''), \(text)) > 0
                       OR event_uuid::text = lower(\(text)))
                ORDER BY id DESC LIMIT \(limit)
                """, logger: logger)
            for try await row in rows.decode((Int64, String, Double, UUID?, String, String, String?, String?).self) {
                warnings.append(Self.warning(row))
            }
            return warnings
        }
    }
}
