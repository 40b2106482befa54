import Foundation
import GRDB
import IdentityCore
import Store

extension SQLitePersonStore {
    /// Every write `key` of a person had or was asked for, oldest first (`PropertyHistory` decides
    /// what each was). Reads the events of the person's IDs through the (distinct_id, seq) index,
    /// skipping in SQL those whose text cannot mention the key, and the merges into the person and,
    /// transitively, into the persons merged into it.
    public func propertyHistory(personID: Int64, key: String) throws -> [PropertyWrite] {
        try read { db in
            guard let uuid = try String.fetchOne(db, sql: "SELECT uuid FROM person WHERE id = ?", arguments: [personID]) else { return [] }
            let needle = PropertyHistory.needle(key) ?? ""
            let events = try Row.fetchAll(db, sql: """
                SELECT \(Self.eventSelect) FROM event
                WHERE distinct_id IN (SELECT distinct_id FROM distinct_id WHERE person_id = ?1)
                  AND (instr(properties, ?2) > 0 OR instr(coalesce(effect, ''), ?2) > 0)
                ORDER BY seq
                """, arguments: [personID, needle]).map(Self.event)
            let kinds = ActionKind.allCases.filter(\.isMerge).map { "'\($0.rawValue)'" }.joined(separator: ",")
            let merges = try Row.fetchAll(db, sql: """
                WITH RECURSIVE merged(uuid) AS (
                    SELECT ?1
                    UNION
                    SELECT a.source_uuid FROM action a JOIN merged m ON a.target_uuid = m.uuid
                    WHERE a.kind IN (\(kinds)) AND a.undone_by IS NULL AND a.source_uuid IS NOT NULL
                )
                SELECT \(ActionColumns.select), event_seq FROM action
                WHERE target_uuid IN (SELECT uuid FROM merged) AND kind IN (\(kinds))
                """, arguments: [uuid]).map { row in
                PropertyHistory.Merge(action: ActionColumns.record(row), eventSeq: row[9])
            }
            return PropertyHistory.build(key: key, events: events, merges: merges)
        }
    }
}
