import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

/// What `identikit compare` and `identikit push` keep in the store, as the SQLite store keeps it.
extension PostgresPersonStore {
    public func distinctIDGroups(after person: Int64?, limit: Int) async throws -> [DistinctIDGroup] {
        try await reading("reading distinct IDs") {
            var groups: [DistinctIDGroup] = []
            let after = person ?? Int64.min
            let rows = try await client.query("""
                SELECT person_id, distinct_id FROM distinct_id
                WHERE person_id IN (SELECT id FROM person WHERE id > \(after) ORDER BY id LIMIT \(limit))
                ORDER BY person_id, distinct_id COLLATE "C"
                """, logger: logger)
            for try await (id, distinctID) in rows.decode((Int64, String).self) {
                if groups.last?.personID == id { groups[groups.count - 1].distinctIDs.append(distinctID) } else {
                    groups.append(DistinctIDGroup(personID: id, distinctIDs: [distinctID]))
                }
            }
            return groups
        }
    }

    public func saveComparison(_ comparison: StoredComparison) async throws {
        try await reading("saving the comparison") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("DELETE FROM posthog_difference", logger: logger)
                let at = comparison.comparedAt.timeIntervalSince1970, sources = IDListColumn.text(comparison.sources)
                let agree = Int64(comparison.agree), onlyPostHog = Int64(comparison.onlyInPostHog)
                let onlyIdentikit = Int64(comparison.onlyInIdentikit)
                try await connection.query("""
                    INSERT INTO posthog_comparison (id, compared_at, sources, agree, only_in_posthog, only_in_identikit)
                    VALUES (1, to_timestamp(\(at)), \(sources)::jsonb, \(agree), \(onlyPostHog), \(onlyIdentikit))
                    ON CONFLICT (id) DO UPDATE SET compared_at = EXCLUDED.compared_at, sources = EXCLUDED.sources,
                        agree = EXCLUDED.agree, only_in_posthog = EXCLUDED.only_in_posthog,
                        only_in_identikit = EXCLUDED.only_in_identikit
                    """, logger: logger)
                // One statement for all rows: a compare of a large project has many disagreements.
                let positions = comparison.differences.indices.map(Int64.init)
                let ids = comparison.differences.map { IDListColumn.text($0.distinctIDs) }
                let posthog = comparison.differences.map { IDListColumn.text($0.posthog) }
                let identikit = comparison.differences.map { IDListColumn.text($0.identikit) }
                let statuses = comparison.differences.map(\.status.rawValue)
                try await connection.query("""
                    INSERT INTO posthog_difference (position, distinct_ids, posthog, identikit, status)
                    SELECT p, d::jsonb, h::jsonb, k::jsonb, s FROM UNNEST(\(positions), \(ids), \(posthog), \(identikit), \(statuses))
                        AS x(p, d, h, k, s)
                    """, logger: logger)
            }
        }
    }

    public func storedComparison() async throws -> StoredComparison? {
        try await snapshot("reading the comparison") { connection in
            var head: (Double, String, Int64, Int64, Int64)?
            for try await row in try await connection.query("""
                SELECT extract(epoch FROM compared_at)::float8, sources::text, agree, only_in_posthog, only_in_identikit
                FROM posthog_comparison WHERE id = 1
                """, logger: logger).decode((Double, String, Int64, Int64, Int64).self) { head = row }
            guard let head else { return nil }
            var differences: [StoredDifference] = []
            for try await row in try await connection.query("""
                SELECT id, distinct_ids::text, posthog::text, identikit::text, status FROM posthog_difference ORDER BY position
                """, logger: logger).decode((Int64, String, String, String, String).self) {
                differences.append(StoredDifference(id: row.0, distinctIDs: IDListColumn.ids(row.1), posthog: IDListColumn.groups(row.2),
                                                    identikit: IDListColumn.groups(row.3), status: DifferenceStatus(rawValue: row.4) ?? .open))
            }
            return StoredComparison(comparedAt: Date(timeIntervalSince1970: head.0), sources: IDListColumn.ids(head.1), agree: Int(head.2),
                                    onlyInPostHog: Int(head.3), onlyInIdentikit: Int(head.4), differences: differences)
        }
    }

    public func setDifferenceStatus(id: Int64, status: DifferenceStatus) async throws {
        let changed = try await reading("marking a disagreement") {
            var changed = 0
            for try await _ in try await client.query("""
                UPDATE posthog_difference SET status = \(status.rawValue) WHERE id = \(id) RETURNING id
                """, logger: logger).decode(Int64.self) { changed += 1 }
            return changed
        }
        if changed == 0 { throw NoSuchDifference(id: id) }
    }

    public func manualActions() async throws -> [ManualActionSummary] {
        try await reading("reading manual actions") {
            let kinds = [ActionKind.manualMerge, .manualForcedMerge, .split].map(\.rawValue)
            var actions: [ManualActionSummary] = []
            let rows = try await client.query("""
                SELECT id, kind, extract(epoch FROM at)::float8, distinct_ids::text, undone_by, l.link_a, l.link_b FROM action
                LEFT JOIN LATERAL (SELECT link.a AS link_a, link.b AS link_b FROM link WHERE link.action_id = action.id
                                   ORDER BY link.id LIMIT 1) AS l ON true
                WHERE kind = ANY(\(kinds)) ORDER BY id
                """, logger: logger)
            for try await row in rows.decode((Int64, String, Double, String, Int64?, String?, String?).self) {
                actions.append(ManualActionSummary(id: row.0, kind: ActionKind(rawValue: row.1) ?? .split, at: Date(timeIntervalSince1970: row.2),
                                                   target: row.5, source: row.6, distinctIDs: IDListColumn.ids(row.3), undoneBy: row.4))
            }
            return actions
        }
    }

    public func pushRecords() async throws -> [PushRecord] {
        try await reading("reading pushes") {
            var records: [PushRecord] = []
            let rows = try await client.query("""
                SELECT action_id, host, event_uuid, extract(epoch FROM pushed_at)::float8 FROM posthog_push ORDER BY pushed_at, action_id
                """, logger: logger)
            for try await row in rows.decode((Int64, String, UUID, Double).self) {
                records.append(PushRecord(actionID: row.0, host: row.1, eventUUID: row.2, pushedAt: Date(timeIntervalSince1970: row.3)))
            }
            return records
        }
    }

    public func recordPushes(_ records: [PushRecord]) async throws {
        try await reading("recording pushes") {
            try await client.withTransaction(logger: logger) { connection in
                for record in records {
                    let at = record.pushedAt.timeIntervalSince1970
                    try await connection.query("""
                        INSERT INTO posthog_push (action_id, host, event_uuid, pushed_at)
                        VALUES (\(record.actionID), \(record.host), \(record.eventUUID), to_timestamp(\(at)))
                        ON CONFLICT (action_id, host) DO NOTHING
                        """, logger: logger)
                }
            }
        }
    }
}
