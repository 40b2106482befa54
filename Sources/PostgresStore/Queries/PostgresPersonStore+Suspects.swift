import Foundation
import IdentityCore
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// Likely identity mistakes, each kind over an index, on one snapshot: persons by id count (the
    /// 99th percentile is one offset into `person_by_id_count`), generic-looking IDs as point
    /// lookups, and identified persons' emails through the partial index `person_identified_email`.
    public func suspects(limit: Int) async throws -> SuspectReport {
        try await snapshot("finding suspects") { connection in
            var persons: Int64 = 0
            for try await count in try await connection.query("SELECT count(*) FROM person", logger: logger).decode(Int64.self) {
                persons = count
            }
            let offset = SuspectRules.percentileOffset(persons: Int(persons))
            var p99: Int?
            for try await count in try await connection.query("""
                SELECT id_count FROM person ORDER BY id_count DESC, id DESC LIMIT 1 OFFSET \(offset)
                """, logger: logger).decode(Int32.self) { p99 = Int(count) }
            let threshold = SuspectRules.idThreshold(p99: p99)

            var rows: [SummaryRow] = []
            for try await row in try await connection.query("""
                SELECT \(unescaped: Self.summaryColumns) FROM person WHERE id_count > \(threshold) ORDER BY id_count DESC, id DESC LIMIT \(limit)
                """, logger: logger).decode(SummaryRow.self) { rows.append(row) }
            var suspects = try await Self.summaries(rows, on: connection, logger: logger)
                .map { Suspect(kind: .manyIDs, person: $0, count: $0.distinctIDCount) }

            var generic: [(String, Int64)] = []
            for try await row in try await connection.query("""
                SELECT distinct_id, person_id FROM distinct_id WHERE distinct_id = ANY(\(SuspectRules.genericCandidates))
                ORDER BY distinct_id COLLATE "C" LIMIT \(limit)
                """, logger: logger).decode((String, Int64).self) { generic.append(row) }
            if !generic.isEmpty {
                var owners: [SummaryRow] = []
                for try await row in try await connection.query("""
                    SELECT \(unescaped: Self.summaryColumns) FROM person WHERE id = ANY(\(Array(Set(generic.map(\.1)))))
                    """, logger: logger).decode(SummaryRow.self) { owners.append(row) }
                let byID = Dictionary(uniqueKeysWithValues: try await Self.summaries(owners, on: connection, logger: logger).map { ($0.id, $0) })
                suspects += generic.compactMap { id, person in
                    byID[person].map { Suspect(kind: .genericID, person: $0, distinctID: id, count: $0.distinctIDCount) }
                }
            }

            for try await (email, count) in try await connection.query("""
                SELECT min(email COLLATE "C"), count(*) FROM person WHERE is_identified AND email IS NOT NULL AND email <> ''
                GROUP BY lower(email) HAVING count(*) > 1 ORDER BY count(*) DESC, lower(email) COLLATE "C" LIMIT \(limit)
                """, logger: logger).decode((String, Int64).self) {
                suspects.append(Suspect(kind: .sharedEmail, email: email, count: Int(count)))
            }
            return SuspectReport(idThreshold: threshold, suspects: suspects)
        }
    }
}
