import Foundation
import IdentityCore
import Store
import Logging
import PostgresNIO

/// Another writer stored one of this batch's events first: the batch runs again, and finds it.
struct BatchConflict: Error {}

/// The write-back at the end of a batch: one multi-row statement per kind of change, in an order
/// that keeps the foreign keys whole (persons before their IDs, IDs moved before a person goes).
extension PostgresPersonStore {
    static func flush(_ changes: BatchStorage.Changes, of loaded: BatchStorage.Loaded, on connection: PostgresConnection,
                      logger: Logger) async throws {
        // Rows no other writer touches first: the batch's own events, persons and records.
        let seqs = try await insertEvents(changes, on: connection, logger: logger)
        try await countDuplicates(changes, on: connection, logger: logger)

        let newPersons = changes.newPersons.sorted().compactMap { loaded.persons[$0] }
        if !newPersons.isEmpty {
            let rows = PersonRows(newPersons)
            try await connection.query("""
                INSERT INTO person (id, uuid, created_at, is_identified, properties, provenance, version, email, name)
                SELECT i, u, to_timestamp(c), b, p::jsonb, v::jsonb, n, NULLIF(e, ''), NULLIF(m, '')
                FROM UNNEST(\(rows.ids), \(rows.uuids), \(rows.createdAt), \(rows.identified), \(rows.properties),
                            \(rows.provenance), \(rows.versions), \(rows.emails), \(rows.names)) AS x(i, u, c, b, p, v, n, e, m)
                """, logger: logger)
        }
        try await writeRecords(changes, loaded: loaded, seqs: seqs, on: connection, logger: logger)

        // Then the shared rows, locked and checked against what the rules read, and written at once.
        let counted = changes.counts.keys.filter { !changes.newDistinctIDs.contains($0) }
        let recounted = recounted(changes, loaded: loaded, counted: counted)
        try await verifyAndLock(changes, loaded: loaded, counted: counted, recounted: recounted, on: connection, logger: logger)

        let added = changes.newDistinctIDs.sorted().compactMap { loaded.records[$0] }
        if !added.isEmpty {
            let rows = DistinctIDRows(added)
            // A new ID's event counters go in with it, not in a second pass (NaN: no events yet).
            let counts = added.map { changes.counts[ExactText($0.distinctID)] }
            let eventCounts = counts.map { Int64($0?.count ?? 0) }
            let firsts = counts.map { $0?.first ?? .nan }, lasts = counts.map { $0?.last ?? .nan }
            // A plain INSERT: an ID another writer added meanwhile fails the batch, which then runs again.
            try await connection.query("""
                INSERT INTO distinct_id (distinct_id, person_id, joined_at, how, event_uuid, action_id, event_count, first_seen, last_seen)
                SELECT d, p, to_timestamp(j), h, NULLIF(e, '')::uuid, NULLIF(a, 0), n,
                       CASE WHEN f = 'NaN'::float8 THEN NULL ELSE to_timestamp(f) END,
                       CASE WHEN l = 'NaN'::float8 THEN NULL ELSE to_timestamp(l) END
                FROM UNNEST(\(rows.ids), \(rows.persons), \(rows.joinedAt), \(rows.how), \(rows.eventUUIDs), \(rows.actionIDs),
                            \(eventCounts), \(firsts), \(lasts))
                    AS x(d, p, j, h, e, a, n, f, l)
                """, logger: logger)
        }
        let moved = changes.movedDistinctIDs.sorted().compactMap { loaded.records[$0] }
        if !moved.isEmpty {
            let rows = DistinctIDRows(moved)
            try await connection.query("""
                UPDATE distinct_id SET person_id = x.p, joined_at = to_timestamp(x.j), how = x.h,
                    event_uuid = NULLIF(x.e, '')::uuid, action_id = NULLIF(x.a, 0)
                FROM UNNEST(\(rows.ids), \(rows.persons), \(rows.joinedAt), \(rows.how), \(rows.eventUUIDs), \(rows.actionIDs))
                    AS x(d, p, j, h, e, a)
                WHERE distinct_id.distinct_id = x.d
                """, logger: logger)
        }

        let changed = changes.changedPersons.subtracting(changes.newPersons).subtracting(changes.deletedPersons)
            .sorted().compactMap { loaded.persons[$0] }
        if !changed.isEmpty {
            let rows = PersonRows(changed)
            try await connection.query("""
                UPDATE person SET created_at = to_timestamp(x.c), is_identified = x.b, properties = x.p::jsonb,
                    provenance = x.v::jsonb, version = x.n, email = NULLIF(x.e, ''), name = NULLIF(x.m, '')
                FROM UNNEST(\(rows.ids), \(rows.createdAt), \(rows.identified), \(rows.properties), \(rows.provenance),
                            \(rows.versions), \(rows.emails), \(rows.names)) AS x(i, c, b, p, v, n, e, m)
                WHERE person.id = x.i
                """, logger: logger)
        }
        if !changes.deletedPersons.isEmpty {
            let ids = changes.deletedPersons.sorted()
            try await connection.query("DELETE FROM person WHERE id = ANY(\(ids))", logger: logger)
        }

        try await count(changes, counted: counted, recounted: recounted, on: connection, logger: logger)
        // A person made and deleted in this batch was never inserted; every stored one deleted was locked above.
        let storedDeleted = changes.deletedPersons.filter { loaded.stamps.persons[$0] != nil }.count
        try await PostgresRowCounts.add(persons: newPersons.count - storedDeleted, distinctIDs: added.count, events: seqs.count,
                                        on: connection, logger: logger)
    }

    /// Persons whose ID and event aggregates the batch recounts.
    static func recounted(_ changes: BatchStorage.Changes, loaded: BatchStorage.Loaded, counted: [ExactText]) -> Set<Int64> {
        var touched = changes.touchedPersons
        for id in changes.newDistinctIDs where changes.counts[id] != nil {
            if let owner = loaded.records[id]?.personID { touched.insert(owner) }
        }
        for id in counted { if let owner = loaded.records[id]?.personID { touched.insert(owner) } }
        return touched.subtracting(changes.deletedPersons)
    }

    /// Locks every existing person and distinct ID row the write-back changes (persons first, then
    /// IDs, each in key order: writers queue instead of deadlocking), and checks that the rows the
    /// batch's decisions rest on are as it read them: the persons it rewrites, deletes or gives
    /// IDs to, and the owner of every ID it moves or counts. Otherwise another writer got there
    /// first, and the batch runs again on fresh reads. Counters are added, never compared, so
    /// writers sharing a busy person (a generic ID's) do not undo each other's work.
    private static func verifyAndLock(_ changes: BatchStorage.Changes, loaded: BatchStorage.Loaded, counted: [ExactText],
                                      recounted: Set<Int64>, on connection: PostgresConnection, logger: Logger) async throws {
        var checked = changes.changedPersons.union(changes.deletedPersons)
        for id in changes.newDistinctIDs.union(changes.movedDistinctIDs) {
            if let owner = loaded.records[id]?.personID { checked.insert(owner) }
        }
        // Only rows read from the database: a person made in this batch (even one deleted again) is its own.
        let stored = Set(loaded.stamps.persons.keys)
        checked.formIntersection(stored)
        let locked = checked.union(recounted).intersection(stored).sorted()
        if !locked.isEmpty {
            var current: [Int64: String] = [:]
            let rows = try await connection.query("""
                SELECT id, \(unescaped: personStamp) FROM person WHERE id = ANY(\(locked)) ORDER BY id FOR UPDATE
                """, logger: logger)
            for try await (id, stamp) in rows.decode((Int64, String).self) { current[id] = stamp }
            for id in locked {
                guard let stamp = current[id] else { throw BatchConflict() }
                if checked.contains(id), stamp != loaded.stamps.persons[id] { throw BatchConflict() }
            }
        }
        // A personless event's ID has no row to lock.
        let ids = changes.movedDistinctIDs.union(counted).filter { loaded.stamps.owners[$0] != nil }.sorted()
        if !ids.isEmpty {
            var owners: [ExactText: Int64] = [:]
            let texts = ids.map(\.text)
            let rows = try await connection.query("""
                SELECT distinct_id, person_id FROM distinct_id WHERE distinct_id = ANY(\(texts)) ORDER BY distinct_id FOR UPDATE
                """, logger: logger)
            for try await (id, owner) in rows.decode((String, Int64).self) { owners[ExactText(id)] = owner }
            for id in ids where owners[id] != loaded.stamps.owners[id] { throw BatchConflict() }
        }
    }

    /// Inserts the batch's events; their seqs, in the batch's order.
    private static func insertEvents(_ changes: BatchStorage.Changes, on connection: PostgresConnection,
                                     logger: Logger) async throws -> [Int64] {
        let events = changes.events
        guard !events.isEmpty else { return [] }
        let uuids = events.map(\.uuid), names = events.map(\.name), ids = events.map(\.distinctID)
        let times = events.map { $0.timestamp?.timeIntervalSince1970 ?? .nan }
        let properties = events.map(\.storedProperties), sources = events.map { $0.source ?? "" }
        let effects = changes.effects, duplicates = events.map { changes.duplicates[$0.uuid] ?? 0 }
        let rows = try await connection.query("""
            INSERT INTO event (uuid, event, distinct_id, timestamp, properties, source, effect, duplicates)
            SELECT u, e, d, CASE WHEN t = 'NaN'::float8 THEN NULL ELSE to_timestamp(t) END, p::json, NULLIF(s, ''),
                   NULLIF(f, '')::jsonb, c
            FROM UNNEST(\(uuids), \(names), \(ids), \(times), \(properties), \(sources), \(effects), \(duplicates))
                 WITH ORDINALITY AS x(u, e, d, t, p, s, f, c, n)
            ORDER BY n
            ON CONFLICT (uuid) DO NOTHING
            RETURNING uuid, seq
            """, logger: logger)
        var seqs: [UUID: Int64] = [:]
        for try await (uuid, seq) in rows.decode((UUID, Int64).self) { seqs[uuid] = seq }
        if seqs.count != events.count { throw BatchConflict() }
        return events.map { seqs[$0.uuid]! }
    }

    /// Counts ignored copies on the stored events they repeat (copies of this batch's own events
    /// were counted as those were inserted).
    private static func countDuplicates(_ changes: BatchStorage.Changes, on connection: PostgresConnection,
                                        logger: Logger) async throws {
        let inBatch = Set(changes.events.map(\.uuid))
        let earlier = changes.duplicates.filter { !inBatch.contains($0.key) }.sorted { $0.key.uuidString < $1.key.uuidString }
        guard !earlier.isEmpty else { return }
        let uuids = earlier.map(\.key), counts = earlier.map(\.value)
        try await connection.query("""
            UPDATE event SET duplicates = event.duplicates + x.c FROM UNNEST(\(uuids), \(counts)) AS x(u, c) WHERE event.uuid = x.u
            """, logger: logger)
    }

    /// The seq of the last event stored before a record that came after `count` of the batch's
    /// events (`nil`: none of them, and the batch stored no event, so the newest in the table).
    private static func eventSeq(after count: Int, of seqs: [Int64]) -> Int64? {
        if count > 0 { return seqs[count - 1] }
        // Before the batch's first event: any seq below it places the record the same way.
        return seqs.min().map { $0 - 1 }
    }

    /// Event counters per distinct ID, then each touched person's aggregates from its IDs' (its row
    /// locked by `verifyAndLock`, so this statement sees every other writer's committed counts).
    private static func count(_ changes: BatchStorage.Changes, counted: [ExactText], recounted: Set<Int64>,
                              on connection: PostgresConnection, logger: Logger) async throws {
        // IDs new in this batch were inserted with their counters.
        if !counted.isEmpty {
            let keys = counted.sorted(), ids = keys.map(\.text)
            let counts = keys.map { Int64(changes.counts[$0]!.count) }
            let firsts = keys.map { changes.counts[$0]!.first }, lasts = keys.map { changes.counts[$0]!.last }
            try await connection.query("""
                UPDATE distinct_id SET event_count = event_count + x.n,
                    first_seen = LEAST(first_seen, to_timestamp(x.f)), last_seen = GREATEST(last_seen, to_timestamp(x.l))
                FROM UNNEST(\(ids), \(counts), \(firsts), \(lasts)) AS x(d, n, f, l)
                WHERE distinct_id.distinct_id = x.d
                """, logger: logger)
        }
        let persons = recounted.sorted()
        guard !persons.isEmpty else { return }
        try await connection.query("""
            UPDATE person SET id_count = s.n, event_count = s.e, first_seen = s.f, last_seen = s.l
            FROM (SELECT person_id, count(*) AS n, sum(event_count) AS e, min(first_seen) AS f, max(last_seen) AS l
                  FROM distinct_id WHERE person_id = ANY(\(persons)) GROUP BY person_id) AS s
            WHERE person.id = s.person_id
            """, logger: logger)
    }

    /// Actions, warnings and links, each kind in one multi-row statement: a batch of identifies
    /// makes thousands of links, and one round trip each cost more than the whole batch's SQL.
    private static func writeRecords(_ changes: BatchStorage.Changes, loaded: BatchStorage.Loaded, seqs: [Int64],
                                     on connection: PostgresConnection, logger: Logger) async throws {
        let actions = changes.newActions.compactMap { id in loaded.actions[id].map { (id, $0) } }
        if !actions.isEmpty {
            let rows = ActionRows(actions, seqs: actions.map { eventSeq(after: changes.eventsBeforeAction[$0.0] ?? 0, of: seqs) })
            try await connection.query("""
                INSERT INTO action (id, kind, event_uuid, at, target_uuid, source_uuid, distinct_ids, details, undone_by, event_seq)
                SELECT i, k, NULLIF(e, '')::uuid, to_timestamp(t), NULLIF(g, '')::uuid, NULLIF(o, '')::uuid, d::jsonb, x.details::jsonb,
                       NULLIF(u, 0), CASE WHEN s < 0 THEN (SELECT coalesce(max(seq), 0) FROM event) ELSE s END
                FROM UNNEST(\(rows.ids), \(rows.kinds), \(rows.eventUUIDs), \(rows.at), \(rows.targets), \(rows.sources),
                            \(rows.distinctIDs), \(rows.details), \(rows.undoneBy), \(rows.eventSeqs))
                    AS x(i, k, e, t, g, o, d, details, u, s)
                """, logger: logger)
        }
        for id in changes.changedActions.sorted() {
            guard let action = loaded.actions[id] else { continue }
            try await connection.query("""
                UPDATE action SET details = \(action.details.jsonText)::jsonb, undone_by = \(action.undoneBy) WHERE id = \(id)
                """, logger: logger)
        }
        if !changes.warnings.isEmpty {
            let rows = WarningRows(changes.warnings, seqs: changes.eventsBeforeWarning.map { eventSeq(after: $0, of: seqs) })
            try await connection.query("""
                INSERT INTO warning (type, created_at, event_uuid, distinct_ids, details, raw, source, event_seq)
                SELECT k, to_timestamp(t), NULLIF(e, '')::uuid, d::jsonb, x.details::json, NULLIF(r, ''), NULLIF(o, ''),
                       CASE WHEN s < 0 THEN (SELECT coalesce(max(seq), 0) FROM event) ELSE s END
                FROM UNNEST(\(rows.types), \(rows.createdAt), \(rows.eventUUIDs), \(rows.distinctIDs), \(rows.details),
                            \(rows.raws), \(rows.sources), \(rows.eventSeqs)) WITH ORDINALITY AS x(k, t, e, d, details, r, o, s, n)
                ORDER BY n
                ON CONFLICT (event_uuid, type) WHERE event_uuid IS NOT NULL DO NOTHING
                """, logger: logger)
        }
        if !changes.retiredLinkIDs.isEmpty {
            let ids = changes.retiredLinkIDs.sorted()
            try await connection.query("UPDATE link SET active = false WHERE id = ANY(\(ids))", logger: logger)
        }
        if !changes.retiredByAction.isEmpty {
            let ids = changes.retiredByAction.sorted()
            try await connection.query("UPDATE link SET active = false WHERE action_id = ANY(\(ids))", logger: logger)
        }
        if !changes.newLinks.isEmpty {
            let links = changes.newLinks
            let a = links.map(\.a), b = links.map(\.b), kinds = links.map(\.kind.rawValue)
            let events = links.map { $0.eventUUID?.lowercased ?? "" }, actionIDs = links.map { $0.actionID ?? 0 }
            let at = links.map(\.at.timeIntervalSince1970)
            try await connection.query("""
                INSERT INTO link (a, b, kind, event_uuid, action_id, at)
                SELECT a, b, k, NULLIF(e, '')::uuid, NULLIF(i, 0), to_timestamp(t)
                FROM UNNEST(\(a), \(b), \(kinds), \(events), \(actionIDs), \(at)) WITH ORDINALITY AS x(a, b, k, e, i, t, n)
                ORDER BY n
                """, logger: logger)
        }
    }
}

/// New actions as column arrays for UNNEST ("" and 0 stand for NULL, a negative seq for "after
/// the newest event").
struct ActionRows {
    var ids: [Int64] = [], kinds: [String] = [], eventUUIDs: [String] = [], at: [Double] = []
    var targets: [String] = [], sources: [String] = [], distinctIDs: [String] = [], details: [String] = []
    var undoneBy: [Int64] = [], eventSeqs: [Int64] = []

    init(_ actions: [(Int64, ActionRecord)], seqs: [Int64?]) {
        for ((id, action), seq) in zip(actions, seqs) {
            ids.append(id)
            kinds.append(action.kind.rawValue)
            eventUUIDs.append(action.eventUUID?.lowercased ?? "")
            at.append(action.at.timeIntervalSince1970)
            targets.append(action.targetUUID?.lowercased ?? "")
            sources.append(action.sourceUUID?.lowercased ?? "")
            distinctIDs.append(JSONWriter.string(.array(action.distinctIDs.map(JSONValue.string))))
            details.append(action.details.jsonText)
            undoneBy.append(action.undoneBy ?? 0)
            eventSeqs.append(seq ?? -1)
        }
    }
}

/// New warnings as column arrays for UNNEST ("" stands for NULL: no warning keeps an empty raw
/// text or source).
struct WarningRows {
    var types: [String] = [], createdAt: [Double] = [], eventUUIDs: [String] = [], distinctIDs: [String] = []
    var details: [String] = [], raws: [String] = [], sources: [String] = [], eventSeqs: [Int64] = []

    init(_ warnings: [IngestionWarning], seqs: [Int64?]) {
        for (warning, seq) in zip(warnings, seqs) {
            types.append(warning.type.rawValue)
            createdAt.append(warning.createdAt.timeIntervalSince1970)
            eventUUIDs.append(warning.eventUUID?.lowercased ?? "")
            distinctIDs.append(JSONWriter.string(.array(warning.distinctIDs.map(JSONValue.string))))
            details.append(JSONWriter.string(.object(warning.details)))
            raws.append(warning.raw ?? "")
            sources.append(warning.source ?? "")
            eventSeqs.append(seq ?? -1)
        }
    }
}

/// Persons as column arrays for UNNEST.
struct PersonRows {
    var ids: [Int64] = [], uuids: [UUID] = [], createdAt: [Double] = [], identified: [Bool] = []
    var properties: [String] = [], provenance: [String] = [], versions: [Int64] = [], emails: [String] = [], names: [String] = []

    init(_ persons: [Person]) {
        for person in persons {
            ids.append(person.rowID ?? 0)
            uuids.append(person.uuid)
            createdAt.append(person.createdAt.timeIntervalSince1970)
            identified.append(person.isIdentified)
            properties.append(JSONWriter.string(.object(person.properties)))
            provenance.append(ProvenanceCoding.string(person))
            versions.append(person.version)
            emails.append(Self.searchable(person.properties["email"]))
            names.append(Self.searchable(person.properties["name"]))
        }
    }

    /// The search copy of `email` or `name`, "" for none (bound in arrays, NULLIF makes it NULL).
    static func searchable(_ value: JSONValue?) -> String { SearchCopy.text(of: value) ?? "" }
}

/// Distinct ID rows as column arrays for UNNEST ("" and 0 stand for NULL).
struct DistinctIDRows {
    var ids: [String] = [], persons: [Int64] = [], joinedAt: [Double] = [], how: [String] = []
    var eventUUIDs: [String] = [], actionIDs: [Int64] = []

    init(_ records: [DistinctIDRecord]) {
        for record in records {
            ids.append(record.distinctID)
            persons.append(record.personID)
            joinedAt.append(record.joinedAt.timeIntervalSince1970)
            how.append(record.how.rawValue)
            eventUUIDs.append(record.eventUUID?.lowercased ?? "")
            actionIDs.append(record.actionID ?? 0)
        }
    }
}
