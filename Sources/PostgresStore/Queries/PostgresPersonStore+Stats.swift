import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// The counts: persons, distinct IDs and events summed from `row_count` (PostgresRowCounts),
    /// merges in force from their own index. None reads every row.
    public func stats() async throws -> StoreStats {
        try await snapshot("counting") { connection in try await Self.stats(on: connection, logger: logger) }
    }

    static func stats(on connection: PostgresConnection, logger: Logger) async throws -> StoreStats {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: statsSQL), logger: logger)
        var stats = StoreStats(persons: 0, distinctIDs: 0, events: 0, warnings: 0, merges: 0)
        for try await row in rows.decode((Int64, Int64, Int64, Int64, Int64).self) {
            stats = StoreStats(persons: Int(row.0), distinctIDs: Int(row.1), events: Int(row.2), warnings: Int(row.3), merges: Int(row.4))
        }
        return stats
    }

    /// The kinds word for word as in the index `action_merge_in_force` (migration 7): PostgreSQL
    /// uses a partial index only for a condition it can see implies the index's.
    static let statsSQL = """
        SELECT coalesce(sum(persons), 0)::bigint, coalesce(sum(distinct_ids), 0)::bigint, coalesce(sum(events), 0)::bigint,
               (SELECT count(*) FROM warning),
               (SELECT count(*) FROM action WHERE undone_by IS NULL
                   AND kind IN ('$identify', '$create_alias', '$merge_dangerously', 'manual_merge', 'manual_forced_merge'))
        FROM row_count
        """
}
