import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// The counts. Events are counted (a rolled-back insert leaves a gap in `seq` on PostgreSQL);
    /// merges are the merge actions not undone.
    public func stats() async throws -> StoreStats {
        try await snapshot("counting") { connection in try await Self.stats(on: connection, logger: logger) }
    }

    static func stats(on connection: PostgresConnection, logger: Logger) async throws -> StoreStats {
        let kinds = ActionKind.allCases.filter(\.isMerge).map(\.rawValue)
        let rows = try await connection.query("""
            SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM distinct_id), (SELECT count(*) FROM event),
                   (SELECT count(*) FROM warning), (SELECT count(*) FROM action WHERE undone_by IS NULL AND kind = ANY(\(kinds)))
            """, logger: logger)
        var stats = StoreStats(persons: 0, distinctIDs: 0, events: 0, warnings: 0, merges: 0)
        for try await row in rows.decode((Int64, Int64, Int64, Int64, Int64).self) {
            stats = StoreStats(persons: Int(row.0), distinctIDs: Int(row.1), events: Int(row.2), warnings: Int(row.3), merges: Int(row.4))
        }
        return stats
    }
}
