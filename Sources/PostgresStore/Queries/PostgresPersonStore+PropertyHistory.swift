import Foundation
import IdentityCore
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// Every write `key` of a person had or was asked for, oldest first (`PropertyHistory` decides
    /// what each was): the events of the person's IDs through the (distinct_id, seq) index, those
    /// whose text cannot mention the key skipped in SQL, and the merges into the person and,
    /// transitively, into the persons merged into it. One snapshot, so both agree.
    public func propertyHistory(personID: Int64, key: String) async throws -> [PropertyWrite] {
        let needle = PropertyHistory.needle(key) ?? ""
        let kinds = ActionKind.allCases.filter(\.isMerge).map(\.rawValue)
        return try await snapshot("reading a property's history") { connection in
            var uuid: UUID?
            for try await row in try await connection.query("SELECT uuid FROM person WHERE id = \(personID)", logger: logger)
                .decode(UUID.self) { uuid = row }
            guard let uuid else { return [] }
            var events: [StoredEvent] = []
            let eventRows = try await connection.query("""
                SELECT \(unescaped: Self.eventColumns) FROM event
                WHERE distinct_id IN (SELECT distinct_id FROM distinct_id WHERE person_id = \(personID))
                  AND (strpos(properties::text, \(needle)) > 0 OR strpos(coalesce(effect::text, ''), \(needle)) > 0)
                ORDER BY seq
                """, logger: logger)
            for try await row in eventRows.decode(EventRow.self) { events.append(Self.event(row)) }
            var merges: [PropertyHistory.Merge] = []
            let actionRows = try await connection.query("""
                WITH RECURSIVE merged(uuid) AS (
                    SELECT \(uuid)::uuid
                    UNION
                    SELECT a.source_uuid FROM action a JOIN merged m ON a.target_uuid = m.uuid
                    WHERE a.kind = ANY(\(kinds)) AND a.undone_by IS NULL AND a.source_uuid IS NOT NULL
                )
                SELECT \(unescaped: Self.actionColumns), event_seq FROM action
                WHERE target_uuid IN (SELECT uuid FROM merged) AND kind = ANY(\(kinds))
                """, logger: logger)
            for try await row in actionRows.decode((Int64, String, UUID?, Double, UUID?, UUID?, String, String, Int64?, Int64).self) {
                let action = Self.action((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8))
                merges.append(PropertyHistory.Merge(action: action, eventSeq: row.9))
            }
            return PropertyHistory.build(key: key, events: events, merges: merges)
        }
    }
}
