import Foundation
import GRDB
import IdentityCore
import Store

extension SQLitePersonStore {
    /// Likely identity mistakes, each kind over an index: persons by id count (the 99th percentile
    /// is one offset into `person_by_id_count`), generic-looking IDs as point lookups, and the
    /// emails of identified persons through the partial index `person_identified_email`.
    public func suspects(limit: Int = SuspectRules.limitPerKind) throws -> SuspectReport {
        try read { db in
            let persons = try Int.fetchOne(db, sql: "SELECT count(*) FROM person") ?? 0
            let p99 = try Int.fetchOne(db, sql: "SELECT id_count FROM person ORDER BY id_count DESC, id DESC LIMIT 1 OFFSET ?",
                                       arguments: [SuspectRules.percentileOffset(persons: persons)])
            let threshold = SuspectRules.idThreshold(p99: p99)
            var suspects = try SummaryColumns.summaries(Row.fetchAll(db, sql: """
                SELECT \(SummaryColumns.select) FROM person WHERE id_count > ? ORDER BY id_count DESC, id DESC LIMIT ?
                """, arguments: [threshold, limit]), db: db).map { Suspect(kind: .manyIDs, person: $0, count: $0.distinctIDCount) }

            let candidates = SuspectRules.genericCandidates
            let placeholders = Array(repeating: "?", count: candidates.count).joined(separator: ",")
            let generic = try Row.fetchAll(db, sql: """
                SELECT distinct_id, person_id FROM distinct_id WHERE distinct_id IN (\(placeholders)) ORDER BY distinct_id LIMIT ?
                """, arguments: StatementArguments(candidates) + [limit]).map { ($0[0] as String, $0[1] as Int64) }
            if !generic.isEmpty {
                let ids = Array(Set(generic.map(\.1)))
                let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(SummaryColumns.select) FROM person WHERE id IN (\(placeholders))
                    """, arguments: StatementArguments(ids))
                let byID = Dictionary(uniqueKeysWithValues: try SummaryColumns.summaries(rows, db: db).map { ($0.id, $0) })
                suspects += generic.compactMap { id, person in
                    byID[person].map { Suspect(kind: .genericID, person: $0, distinctID: id, count: $0.distinctIDCount) }
                }
            }

            suspects += try Row.fetchAll(db, sql: """
                SELECT min(email), count(*) AS n FROM person WHERE is_identified AND email IS NOT NULL AND email != ''
                GROUP BY email HAVING n > 1 ORDER BY n DESC, email LIMIT ?
                """, arguments: [limit]).map { Suspect(kind: .sharedEmail, email: $0[0], count: $0[1]) }
            return SuspectReport(idThreshold: threshold, suspects: suspects)
        }
    }
}
