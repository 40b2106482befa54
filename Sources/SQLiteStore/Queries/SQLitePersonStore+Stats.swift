import Foundation
import GRDB

extension SQLitePersonStore {
    public func stats() throws -> StoreStats {
        try read { db in
            let mergeKinds = "'$identify','$create_alias','$merge_dangerously','manual_merge','manual_forced_merge'"
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM distinct_id),
                       -- Events are never deleted, so seq runs 1...n without gaps (SQLite gives max+1, and a
                       -- rolled-back insert leaves none): max(seq) counts them in O(log n) instead of scanning
                       -- millions of rows. `identikit check` verifies the two agree.
                       (SELECT coalesce(max(seq), 0) FROM event),
                       (SELECT count(*) FROM warning),
                       (SELECT count(*) FROM action WHERE undone_by IS NULL AND kind IN (\(mergeKinds)))
                """)!
            return StoreStats(persons: row[0], distinctIDs: row[1], events: row[2], warnings: row[3], merges: row[4])
        }
    }
}
