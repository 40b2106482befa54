import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

/// Reads `PersonSummary` rows; display names need the person's distinct IDs, fetched for the page at once.
extension PostgresPersonStore {
    static let summaryColumns = """
        id, uuid, extract(epoch FROM created_at)::float8, is_identified, name, email, id_count::int8, event_count,
        extract(epoch FROM first_seen)::float8, extract(epoch FROM last_seen)::float8
        """

    typealias SummaryRow = (Int64, UUID, Double, Bool, String?, String?, Int64, Int64, Double?, Double?)

    /// `name`, else `email`, else the first ID that joined by an identify, else the oldest ID.
    static func summaries(_ rows: [SummaryRow], on connection: PostgresConnection, logger: Logger) async throws -> [PersonSummary] {
        let needNames = rows.filter { $0.4 == nil && $0.5 == nil }.map(\.0)
        var firstIDs: [Int64: String] = [:]
        if !needNames.isEmpty {
            var byPerson: [Int64: [(String, String)]] = [:]
            let idRows = try await connection.query("""
                SELECT person_id, distinct_id, how FROM distinct_id WHERE person_id = ANY(\(needNames))
                ORDER BY person_id, joined_at, distinct_id COLLATE "C"
                """, logger: logger)
            for try await (person, id, how) in idRows.decode((Int64, String, String).self) {
                byPerson[person, default: []].append((id, how))
            }
            for (person, ids) in byPerson {
                firstIDs[person] = (ids.first { $0.1 == JoinKind.identify.rawValue } ?? ids.first)?.0
            }
        }
        return rows.map { row in
            PersonSummary(id: row.0, uuid: row.1, displayName: row.4 ?? row.5 ?? firstIDs[row.0] ?? "(no distinct ID)",
                          isIdentified: row.3, distinctIDCount: Int(row.6), eventCount: Int(row.7),
                          createdAt: Date(timeIntervalSince1970: row.2),
                          firstSeen: row.8.map(Date.init(timeIntervalSince1970:)),
                          lastSeen: row.9.map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// Runs reads on one consistent snapshot (a read-only repeatable-read transaction), turning
    /// connection and server errors into one clear line.
    func snapshot<T: Sendable>(_ what: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await reading(what) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                return try await body(connection)
            }
        }
    }
}
