import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// Values of `property` shared by several persons, largest groups first. `email` and `name`
    /// use their columns, any case (as SQLite's NOCASE); other properties read `properties->>key`,
    /// the key bound as a parameter, and scan the table.
    public func duplicateGroups(property: String, limit: Int) async throws -> [DuplicateGroup] {
        try await reading("finding duplicates") {
            let query: PostgresQuery
            switch property {
            case "email":
                query = """
                    SELECT min(email COLLATE "C"), count(*) FROM person WHERE email IS NOT NULL AND email <> ''
                    GROUP BY lower(email) HAVING count(*) > 1 ORDER BY count(*) DESC, lower(email) COLLATE "C" LIMIT \(limit)
                    """
            case "name":
                query = """
                    SELECT min(name COLLATE "C"), count(*) FROM person WHERE name IS NOT NULL AND name <> ''
                    GROUP BY lower(name) HAVING count(*) > 1 ORDER BY count(*) DESC, lower(name) COLLATE "C" LIMIT \(limit)
                    """
            default:
                query = """
                    SELECT v, count(*) FROM (SELECT properties->>\(property) AS v FROM person) AS p WHERE v IS NOT NULL AND v <> ''
                    GROUP BY v HAVING count(*) > 1 ORDER BY count(*) DESC, v COLLATE "C" LIMIT \(limit)
                    """
            }
            var groups: [DuplicateGroup] = []
            for try await (value, count) in try await client.query(query, logger: logger).decode((String, Int64).self) {
                groups.append(DuplicateGroup(value: value, count: Int(count)))
            }
            return groups
        }
    }

    /// The persons whose `property` equals `value` (`email` and `name` in any case), oldest first.
    public func personsSharing(property: String, value: String, limit: Int) async throws -> [PersonSummary] {
        try await snapshot("finding duplicates") { connection in
            let query: PostgresQuery
            switch property {
            case "email":
                query = """
                    SELECT \(unescaped: Self.summaryColumns) FROM person WHERE lower(email) = lower(\(value))
                    ORDER BY created_at, id LIMIT \(limit)
                    """
            case "name":
                query = """
                    SELECT \(unescaped: Self.summaryColumns) FROM person WHERE lower(name) = lower(\(value))
                    ORDER BY created_at, id LIMIT \(limit)
                    """
            default:
                query = """
                    SELECT \(unescaped: Self.summaryColumns) FROM person WHERE properties->>\(property) = \(value)
                    ORDER BY created_at, id LIMIT \(limit)
                    """
            }
            var rows: [SummaryRow] = []
            for try await row in try await connection.query(query, logger: logger).decode(SummaryRow.self) { rows.append(row) }
            return try await Self.summaries(rows, on: connection, logger: logger)
        }
    }
}
