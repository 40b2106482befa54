import Foundation
import GRDB

extension SQLitePersonStore {
    /// The header's counts: each an indexed lookup, whatever the store's size (`identikit check`
    /// verifies every one against the rows).
    public func stats() throws -> StoreStats {
        try read { db in
            let row = try Row.fetchOne(db, sql: Self.statsSQL)!
            return StoreStats(persons: row[0], distinctIDs: row[1], events: row[2], warnings: row[3], merges: row[4])
        }
    }

    static let statsSQL = """
        SELECT \(RowCountChanges.personsSQL), \(RowCountChanges.distinctIDsSQL),
               -- Events are never deleted, so seq runs 1...n without gaps (SQLite gives max+1, and a
               -- rolled-back insert leaves none): max(seq) counts them in O(log n).
               (SELECT coalesce(max(seq), 0) FROM event),
               (SELECT count(*) FROM warning),
               (SELECT count(*) FROM action WHERE \(mergesInForce))
        """

    /// Merges not undone. Word for word the condition of the index `action_merge_in_force`
    /// (migration v7): SQLite uses a partial index only for a query that repeats its condition.
    static let mergesInForce = "undone_by IS NULL AND kind IN ('$identify','$create_alias','$merge_dangerously','manual_merge','manual_forced_merge')"
}
