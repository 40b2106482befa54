import Foundation
import IdentityCore
import Logging
import PostgresNIO

/// The reads at the start of a batch: a handful of queries, whatever the batch's size.
extension PostgresPersonStore {
    static let personColumns = """
        id, uuid, extract(epoch FROM created_at)::float8, is_identified, properties::text, provenance::text, version
        """
    static let distinctIDColumns = """
        distinct_id, person_id, extract(epoch FROM joined_at)::float8, how, event_uuid, action_id
        """
    static let actionColumns = """
        id, kind, event_uuid, extract(epoch FROM at)::float8, target_uuid, source_uuid, distinct_ids::text, details::text, undone_by
        """

    /// A person's identity columns (not its counters, which writers add to without conflict) as one
    /// hash: what the batch read, compared under lock at write-back (`verifyAndLock`).
    static let personStamp = "md5(ROW(created_at, is_identified, properties, provenance, version)::text)"

    /// Reads without locks: the rules run on what was committed, and the write-back locks and
    /// checks only the rows the batch rewrites, so writers meet for the length of a write-back,
    /// not of a whole batch.
    static func load(_ prefetch: Prefetch, on connection: PostgresConnection, logger: Logger) async throws -> BatchStorage.Loaded {
        var loaded = BatchStorage.Loaded()
        let keys = prefetch.distinctIDs.union(prefetch.idsOfOwnersOf).sorted()
        let ids = keys.map(\.text)
        if !ids.isEmpty {
            let rows = try await connection.query("""
                SELECT \(unescaped: distinctIDColumns) FROM distinct_id WHERE distinct_id = ANY(\(ids))
                """, logger: logger)
            for try await row in rows.decode((String, Int64, Double, String, UUID?, Int64?).self) {
                loaded.records[ExactText(row.0)] = distinctIDRecord(row)
                loaded.stamps.owners[ExactText(row.0)] = row.1
            }
        }
        loaded.knownDistinctIDs = Set(keys)

        var complete = prefetch.idsOfPersons
        for id in prefetch.idsOfOwnersOf { if let owner = loaded.records[id]?.personID { complete.insert(owner) } }
        let personIDs = Set(loaded.records.values.map(\.personID)).union(prefetch.persons).union(complete).sorted()
        let uuids = Array(prefetch.personUUIDs)
        if !personIDs.isEmpty || !uuids.isEmpty {
            let rows = try await connection.query("""
                SELECT \(unescaped: personColumns), \(unescaped: personStamp) FROM person
                WHERE id = ANY(\(personIDs)) OR uuid = ANY(\(uuids))
                """, logger: logger)
            for try await row in rows.decode((Int64, UUID, Double, Bool, String, String, Int64, String).self) {
                loaded.persons[row.0] = person((row.0, row.1, row.2, row.3, row.4, row.5, row.6))
                loaded.stamps.persons[row.0] = row.7
            }
        }
        loaded.knownPersonUUIDs = prefetch.personUUIDs

        if !complete.isEmpty {
            let owners = complete.sorted()
            let rows = try await connection.query("""
                SELECT \(unescaped: distinctIDColumns) FROM distinct_id WHERE person_id = ANY(\(owners))
                """, logger: logger)
            for try await row in rows.decode((String, Int64, Double, String, UUID?, Int64?).self) {
                let key = ExactText(row.0)
                loaded.records[key] = distinctIDRecord(row)
                loaded.stamps.owners[key] = row.1
                loaded.knownDistinctIDs.insert(key)
            }
        }
        loaded.completeIDsOf = complete

        let eventUUIDs = Array(prefetch.eventUUIDs)
        if !eventUUIDs.isEmpty {
            for try await uuid in try await connection.query("SELECT uuid FROM event WHERE uuid = ANY(\(eventUUIDs))",
                                                              logger: logger).decode(UUID.self) {
                loaded.existingEventUUIDs.insert(uuid)
            }
            for try await (uuid, type) in try await connection.query(
                "SELECT event_uuid, type FROM warning WHERE event_uuid = ANY(\(eventUUIDs))", logger: logger).decode((UUID, String).self) {
                if let type = WarningType(rawValue: type) { loaded.existingWarnings.insert(.init(eventUUID: uuid, type: type)) }
            }
        }
        loaded.knownEventUUIDs = prefetch.eventUUIDs

        let linkIDs = prefetch.linksOf.map(\.text)
        if !linkIDs.isEmpty {
            let rows = try await connection.query("""
                SELECT id, a, b, kind, event_uuid, action_id, extract(epoch FROM at)::float8 FROM link
                WHERE active AND (a = ANY(\(linkIDs)) OR b = ANY(\(linkIDs))) ORDER BY id
                """, logger: logger)
            for try await row in rows.decode((Int64, String, String, String, UUID?, Int64?, Double).self) {
                let link = Link(a: row.1, b: row.2, kind: JoinKind(rawValue: row.3) ?? .merge, eventUUID: row.4, actionID: row.5,
                                at: Date(timeIntervalSince1970: row.6))
                loaded.links.append(BatchStorage.StoredLink(id: row.0, link: link, active: true))
            }
        }
        loaded.knownLinkIDs = prefetch.linksOf

        let actionIDs = Array(prefetch.actions)
        if !actionIDs.isEmpty {
            let rows = try await connection.query(
                "SELECT \(unescaped: actionColumns) FROM action WHERE id = ANY(\(actionIDs))", logger: logger)
            for try await row in rows.decode((Int64, String, UUID?, Double, UUID?, UUID?, String, String, Int64?).self) {
                loaded.actions[row.0] = action(row)
            }
        }
        let removed = Array(prefetch.mergesThatRemoved)
        if !removed.isEmpty {
            for uuid in removed { loaded.mergesThatRemoved[uuid] = .some(nil) }
            let kinds = ActionKind.allCases.filter(\.isMerge).map(\.rawValue)
            let rows = try await connection.query("""
                SELECT source_uuid, max(id) FROM action
                WHERE source_uuid = ANY(\(removed)) AND undone_by IS NULL AND kind = ANY(\(kinds)) GROUP BY source_uuid
                """, logger: logger)
            for try await (uuid, id) in rows.decode((UUID, Int64).self) { loaded.mergesThatRemoved[uuid] = id }
        }

        loaded.personIDs = try await reserve(prefetch.personIDs, from: "person_id_seq", on: connection, logger: logger)
        loaded.actionIDs = try await reserve(prefetch.actionIDs, from: "action_id_seq", on: connection, logger: logger)
        return loaded
    }

    /// Ids for rows the batch may insert, taken from the table's sequence up front (unused ones are
    /// gaps, as with any rolled-back insert).
    private static func reserve(_ count: Int, from sequence: String, on connection: PostgresConnection, logger: Logger) async throws -> [Int64] {
        guard count > 0 else { return [] }
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        let rows = try await connection.query(
            "SELECT nextval('\(unescaped: sequence)') FROM generate_series(1, \(count))", logger: logger)
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        return ids
    }

    static func distinctIDRecord(_ row: (String, Int64, Double, String, UUID?, Int64?)) -> DistinctIDRecord {
        DistinctIDRecord(distinctID: row.0, personID: row.1, joinedAt: Date(timeIntervalSince1970: row.2),
                         how: JoinKind(rawValue: row.3) ?? .merge, eventUUID: row.4, actionID: row.5)
    }

    static func person(_ row: (Int64, UUID, Double, Bool, String, String, Int64)) -> Person {
        let provenance = ProvenanceCoding.decodeAll((try? JSONParser.parse(row.5.utf8)) ?? .null)
        return Person(rowID: row.0, uuid: row.1, createdAt: Date(timeIntervalSince1970: row.2), isIdentified: row.3,
                      properties: (try? JSONParser.parse(row.4.utf8))?.objectValue ?? [:],
                      provenance: provenance.sources, skippedWrites: provenance.skipped, version: row.6)
    }

    static func action(_ row: (Int64, String, UUID?, Double, UUID?, UUID?, String, String, Int64?)) -> ActionRecord {
        ActionRecord(id: row.0, kind: ActionKind(rawValue: row.1) ?? .manualMerge, eventUUID: row.2,
                     at: Date(timeIntervalSince1970: row.3), targetUUID: row.4, sourceUUID: row.5,
                     distinctIDs: ((try? JSONParser.parse(row.6.utf8))?.arrayValue ?? []).compactMap(\.stringValue),
                     details: ActionDetails(json: (try? JSONParser.parse(row.7.utf8)) ?? .null), undoneBy: row.8)
    }
}
