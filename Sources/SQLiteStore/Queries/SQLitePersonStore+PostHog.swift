import Foundation
import GRDB
import IdentityCore
import Store

/// What `identikit compare` and `identikit push` keep in the store: the last comparison with a
/// PostHog export and the merges pushed to PostHog hosts.
extension SQLitePersonStore {
    public func distinctIDGroups(after person: Int64?, limit: Int) throws -> [DistinctIDGroup] {
        try read { db in
            var groups: [DistinctIDGroup] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT person_id, distinct_id FROM distinct_id
                WHERE person_id IN (SELECT id FROM person WHERE id > ? ORDER BY id LIMIT ?)
                ORDER BY person_id, distinct_id
                """, arguments: [person ?? Int64.min, limit])
            while let row = try rows.next() {
                let id: Int64 = row[0]
                if groups.last?.personID == id { groups[groups.count - 1].distinctIDs.append(row[1]) } else {
                    groups.append(DistinctIDGroup(personID: id, distinctIDs: [row[1]]))
                }
            }
            return groups
        }
    }

    public func saveComparison(_ comparison: StoredComparison) throws {
        try writeTables { db in
            try db.execute(sql: "DELETE FROM posthog_difference")
            try db.execute(sql: """
                INSERT OR REPLACE INTO posthog_comparison (id, compared_at, sources, agree, only_in_posthog, only_in_identikit)
                VALUES (1, ?, ?, ?, ?, ?)
                """, arguments: [comparison.comparedAt.timeIntervalSince1970, IDListColumn.text(comparison.sources),
                                 comparison.agree, comparison.onlyInPostHog, comparison.onlyInIdentikit])
            let insert = try db.makeStatement(sql: """
                INSERT INTO posthog_difference (position, distinct_ids, posthog, identikit, status) VALUES (?, ?, ?, ?, ?)
                """)
            for (position, difference) in comparison.differences.enumerated() {
                try insert.execute(arguments: [position, IDListColumn.text(difference.distinctIDs), IDListColumn.text(difference.posthog),
                                               IDListColumn.text(difference.identikit), difference.status.rawValue])
            }
        }
    }

    public func storedComparison() throws -> StoredComparison? {
        try read { db in
            guard let head = try Row.fetchOne(db, sql: """
                SELECT compared_at, sources, agree, only_in_posthog, only_in_identikit FROM posthog_comparison WHERE id = 1
                """) else { return nil }
            let differences = try Row.fetchAll(db, sql: """
                SELECT id, distinct_ids, posthog, identikit, status FROM posthog_difference ORDER BY position
                """).map { row in
                StoredDifference(id: row[0], distinctIDs: IDListColumn.ids(row[1]), posthog: IDListColumn.groups(row[2]),
                                 identikit: IDListColumn.groups(row[3]), status: DifferenceStatus(rawValue: row[4]) ?? .open)
            }
            return StoredComparison(comparedAt: Date(timeIntervalSince1970: head[0]), sources: IDListColumn.ids(head[1]),
                                    agree: head[2], onlyInPostHog: head[3], onlyInIdentikit: head[4], differences: differences)
        }
    }

    public func setDifferenceStatus(id: Int64, status: DifferenceStatus) throws {
        try writeTables { db in
            try db.execute(sql: "UPDATE posthog_difference SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
            if db.changesCount == 0 { throw NoSuchDifference(id: id) }
        }
    }

    public func manualActions() throws -> [ManualActionSummary] {
        try read { db in
            let kinds = [ActionKind.manualMerge, .manualForcedMerge, .split].map(\.rawValue)
            return try Row.fetchAll(db, sql: """
                SELECT id, kind, at, distinct_ids, undone_by,
                       (SELECT a FROM link WHERE action_id = action.id ORDER BY id LIMIT 1),
                       (SELECT b FROM link WHERE action_id = action.id ORDER BY id LIMIT 1)
                FROM action WHERE kind IN (?, ?, ?) ORDER BY id
                """, arguments: StatementArguments(kinds)).map { row in
                ManualActionSummary(id: row[0], kind: ActionKind(rawValue: row[1]) ?? .split, at: Date(timeIntervalSince1970: row[2]),
                                    target: row[5], source: row[6], distinctIDs: IDListColumn.ids(row[3]), undoneBy: row[4])
            }
        }
    }

    public func pushRecords() throws -> [PushRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT action_id, host, event_uuid, pushed_at FROM posthog_push ORDER BY pushed_at, action_id").map { row in
                PushRecord(actionID: row[0], host: row[1], eventUUID: UUID(text: row[2]) ?? UUID(),
                           pushedAt: Date(timeIntervalSince1970: row[3]))
            }
        }
    }

    public func recordPushes(_ records: [PushRecord]) throws {
        try writeTables { db in
            for record in records {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO posthog_push (action_id, host, event_uuid, pushed_at) VALUES (?, ?, ?, ?)
                    """, arguments: [record.actionID, record.host, record.eventUUID.lowercased, record.pushedAt.timeIntervalSince1970])
            }
        }
    }

    /// A write to tables the rules never read (no engine, no storage), with the same lock and retries.
    private func writeTables(_ body: (Database) throws -> Void) throws {
        if let readOnlyReason {
            throw StoreError.notWritable(path: path, reason: "it is read-only: \(readOnlyReason)")
        }
        try Self.retryingWhenBusy { try pool.write { db in try body(db) } }
    }
}
