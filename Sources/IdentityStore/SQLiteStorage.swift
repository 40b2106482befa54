import Foundation
import GRDB
import IdentityCore

/// The engine's storage on one SQLite write transaction. Statements are cached per connection,
/// so a batch of events prepares each one once.
///
/// Besides keeping rows, it maintains the per-person aggregates (distinct ID and event counts,
/// first and last seen) that list screens sort by, so nothing ever counts events to draw a list.
///
/// Persons read or written during the transaction stay decoded in memory and are written back
/// once, at `flush()`: an active user's person is parsed and serialized once per batch, not per event.
public final class SQLiteStorage: IdentityStorage {
    let db: Database
    private var persons: [Int64: Person] = [:]
    private var dirty: Set<Int64> = []
    /// Persons whose distinct IDs changed owner: their aggregates are recounted once, at flush,
    /// so moving a thousand IDs one by one (undo, split) costs O(IDs), not O(IDs²).
    private var staleAggregates: Set<Int64> = []
    /// Event counts and times per distinct ID not yet added to the counters: one UPDATE per ID
    /// per batch instead of two per event.
    private var pendingCounts: [String: PendingCount] = [:]
    /// Distinct ID → person lookups made or changed in this transaction (nil: no such ID).
    private var owners: [String: Int64?] = [:]

    init(_ db: Database) { self.db = db }

    /// Writes back the persons changed since the last flush. `PersonStore.write` calls it before commit.
    func flush() throws {
        for rowID in dirty.sorted() {
            guard let person = persons[rowID] else { continue }
            var arguments = PersonColumns.arguments(person)
            arguments += [rowID]
            try run("""
                UPDATE person SET uuid = ?, created_at = ?, is_identified = ?, properties = ?, provenance = ?, version = ?,
                    email = ?, name = ?
                WHERE id = ?
                """, arguments)
        }
        dirty.removeAll()
        try applyPendingCounts()
        for rowID in staleAggregates.sorted() { try recomputeAggregates(rowID) }
        staleAggregates.removeAll()
    }

    private func run(_ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    private func row(_ sql: String, _ arguments: StatementArguments) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    // MARK: Events

    public func containsEvent(_ uuid: UUID) throws -> Bool {
        try row("SELECT 1 FROM event WHERE uuid = ?", [uuid.lowercased]) != nil
    }

    public func insertEvent(_ event: Event) throws {
        let time = (event.timestamp ?? Date()).timeIntervalSince1970
        try run("INSERT INTO event(uuid, event, distinct_id, timestamp, properties, source) VALUES (?, ?, ?, ?, ?, ?)",
                [event.storedUUID, event.name, event.distinctID, event.timestamp?.timeIntervalSince1970,
                 event.storedProperties, event.source])
        pendingCounts[event.distinctID, default: PendingCount()].add(PendingCount(count: 1, first: time, last: time))
    }

    /// Adds the batch's events to the counters: one UPDATE per distinct ID and one per person.
    /// Counters on an ID travel with it through merges and splits; a person's are the sum of its IDs'.
    /// A merge earlier in the batch needs nothing settled first: it folds the settled counters, and
    /// the pending ones land here on the IDs' owner at commit, which is the survivor.
    private func applyPendingCounts() throws {
        var perPerson: [Int64: PendingCount] = [:]
        for (distinctID, pending) in pendingCounts {
            try run("""
                UPDATE distinct_id SET event_count = event_count + ?1,
                    first_seen = min(coalesce(first_seen, ?2), ?2), last_seen = max(coalesce(last_seen, ?3), ?3)
                WHERE distinct_id = ?4
                """, [pending.count, pending.first, pending.last, distinctID])
            // Persons recounted at flush get these from their IDs' counters.
            guard let owner = try personID(forDistinctID: distinctID), !staleAggregates.contains(owner) else { continue }
            perPerson[owner, default: PendingCount()].add(pending)
        }
        for (personID, pending) in perPerson {
            try run("""
                UPDATE person SET event_count = event_count + ?1,
                    first_seen = min(coalesce(first_seen, ?2), ?2), last_seen = max(coalesce(last_seen, ?3), ?3)
                WHERE id = ?4
                """, [pending.count, pending.first, pending.last, personID])
        }
        pendingCounts.removeAll(keepingCapacity: true)
    }

    // MARK: Persons

    public func personID(forDistinctID distinctID: String) throws -> Int64? {
        if let known = owners[distinctID] { return known }
        let owner: Int64? = try row("SELECT person_id FROM distinct_id WHERE distinct_id = ?", [distinctID])?[0]
        owners[distinctID] = owner
        return owner
    }

    public func personID(forUUID uuid: UUID) throws -> Int64? {
        try row("SELECT id FROM person WHERE uuid = ?", [uuid.lowercased])?[0]
    }

    public func person(_ rowID: Int64) throws -> Person? {
        if let cached = persons[rowID] { return cached }
        let loaded = try row("SELECT \(PersonColumns.select) FROM person WHERE id = ?", [rowID]).map(PersonColumns.person)
        persons[rowID] = loaded
        return loaded
    }

    /// Inserts the row for its id; the properties are written once, at flush, with the batch's
    /// later changes (a new person is usually touched again by the events that follow).
    public func insertPerson(_ person: Person) throws -> Int64 {
        try run("INSERT INTO person(uuid, created_at, is_identified, version) VALUES (?, ?, ?, ?)",
                [person.uuid.lowercased, person.createdAt.timeIntervalSince1970, person.isIdentified, person.version])
        let rowID = db.lastInsertedRowID
        var stored = person
        stored.rowID = rowID
        persons[rowID] = stored
        dirty.insert(rowID)
        return rowID
    }

    public func updatePerson(_ person: Person) throws {
        guard let rowID = person.rowID else { throw IdentityError.storeInconsistent("updating a person without a row id") }
        persons[rowID] = person
        dirty.insert(rowID)
    }

    public func deletePerson(_ rowID: Int64) throws {
        persons[rowID] = nil
        dirty.remove(rowID)
        staleAggregates.remove(rowID)
        try run("DELETE FROM person WHERE id = ?", [rowID])
    }

    // MARK: Distinct IDs

    public func distinctIDs(ofPerson rowID: Int64) throws -> [DistinctIDRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(DistinctIDColumns.select) FROM distinct_id WHERE person_id = ? ORDER BY joined_at, distinct_id"),
                         arguments: [rowID]).map(DistinctIDColumns.record)
    }

    public func distinctIDRecord(_ distinctID: String) throws -> DistinctIDRecord? {
        try row("SELECT \(DistinctIDColumns.select) FROM distinct_id WHERE distinct_id = ?", [distinctID])
            .map(DistinctIDColumns.record)
    }

    public func upsertDistinctID(_ record: DistinctIDRecord) throws {
        let previousOwner = try personID(forDistinctID: record.distinctID)
        try run("""
            INSERT INTO distinct_id(distinct_id, person_id, joined_at, how, event_uuid, action_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(distinct_id) DO UPDATE SET person_id = excluded.person_id, joined_at = excluded.joined_at,
                how = excluded.how, event_uuid = excluded.event_uuid, action_id = excluded.action_id
            """, [record.distinctID, record.personID, record.joinedAt.timeIntervalSince1970, record.how.rawValue,
                  record.eventUUID?.lowercased, record.actionID])
        owners[record.distinctID] = record.personID
        if previousOwner != record.personID {
            if let previousOwner { staleAggregates.insert(previousOwner) }
            staleAggregates.insert(record.personID)
        }
    }

    public func moveAllDistinctIDs(from source: Int64, to target: Int64, how: JoinKind, actionID: Int64?, at: Date) throws {
        for (id, owner) in owners where owner == source { owners[id] = target }
        try run("UPDATE distinct_id SET person_id = ?, joined_at = ?, how = ?, event_uuid = NULL, action_id = ? WHERE person_id = ?",
                [target, at.timeIntervalSince1970, how.rawValue, actionID, source])
        if staleAggregates.contains(source) || staleAggregates.contains(target) {
            // Counts not settled yet this transaction: recount the survivor at flush instead of folding.
            staleAggregates.remove(source)
            staleAggregates.insert(target)
            return
        }
        // O(1): fold the source's aggregates into the target's instead of recounting.
        try run("""
            UPDATE person SET
                id_count = id_count + (SELECT id_count FROM person WHERE id = ?1),
                event_count = event_count + (SELECT event_count FROM person WHERE id = ?1),
                first_seen = min(coalesce(first_seen, (SELECT first_seen FROM person WHERE id = ?1)),
                                 coalesce((SELECT first_seen FROM person WHERE id = ?1), first_seen)),
                last_seen = max(coalesce(last_seen, (SELECT last_seen FROM person WHERE id = ?1)),
                                coalesce((SELECT last_seen FROM person WHERE id = ?1), last_seen))
            WHERE id = ?2
            """, [source, target])
        try run("UPDATE person SET id_count = 0, event_count = 0, first_seen = NULL, last_seen = NULL WHERE id = ?", [source])
    }

    /// Recounts a person's aggregates from its distinct IDs' counters: O(its IDs), never O(events).
    private func recomputeAggregates(_ personID: Int64) throws {
        try run("""
            UPDATE person SET (id_count, event_count, first_seen, last_seen) =
                (SELECT count(*), coalesce(sum(event_count), 0), min(first_seen), max(last_seen)
                 FROM distinct_id WHERE person_id = ?1)
            WHERE id = ?1
            """, [personID])
    }

    // MARK: Warnings

    @discardableResult
    public func insertWarning(_ warning: IngestionWarning) throws -> Bool {
        try run("""
            INSERT OR IGNORE INTO warning(type, created_at, event_uuid, distinct_ids, details, raw, source, event_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM event))
            """, [warning.type.rawValue, warning.createdAt.timeIntervalSince1970, warning.eventUUID?.lowercased,
                  JSONCoding.string(JSONValue.array(warning.distinctIDs.map(JSONValue.string))), JSONCoding.string(JSONValue.object(warning.details)),
                  warning.raw, warning.source])
        return db.changesCount > 0
    }

    // MARK: Actions and links

    public func insertAction(_ action: ActionRecord) throws -> Int64 {
        try run("""
            INSERT INTO action(kind, event_uuid, at, target_uuid, source_uuid, distinct_ids, details, undone_by, event_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM event))
            """, ActionColumns.arguments(action))
        return db.lastInsertedRowID
    }

    public func updateAction(_ action: ActionRecord) throws {
        guard let id = action.id else { throw IdentityError.storeInconsistent("updating an action without an id") }
        var arguments = ActionColumns.arguments(action)
        arguments += [id]
        try run("""
            UPDATE action SET kind = ?, event_uuid = ?, at = ?, target_uuid = ?, source_uuid = ?, distinct_ids = ?,
                details = ?, undone_by = ?
            WHERE id = ?
            """, arguments)
    }

    public func action(_ id: Int64) throws -> ActionRecord? {
        try row("SELECT \(ActionColumns.select) FROM action WHERE id = ?", [id]).map(ActionColumns.record)
    }

    public func mergeThatRemoved(_ personUUID: UUID) throws -> Int64? {
        let kinds = ActionKind.allCases.filter(\.isMerge).map { "'\($0.rawValue)'" }.joined(separator: ",")
        return try row("SELECT max(id) FROM action WHERE source_uuid = ? AND undone_by IS NULL AND kind IN (\(kinds))",
                       [personUUID.lowercased])?[0]
    }

    public func insertLink(_ link: Link) throws {
        try run("INSERT INTO link(a, b, kind, event_uuid, action_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                [link.a, link.b, link.kind.rawValue, link.eventUUID?.lowercased, link.actionID, link.at.timeIntervalSince1970])
    }

    public func activeLinks(touching distinctIDs: [String]) throws -> [Link] {
        var links: [Link] = []
        let statement = try db.cachedStatement(sql: """
            SELECT a, b, kind, event_uuid, action_id, at FROM link WHERE active AND a = ?1
            UNION ALL SELECT a, b, kind, event_uuid, action_id, at FROM link WHERE active AND b = ?1 AND a <> ?1
            """)
        for id in distinctIDs {
            for row in try Row.fetchAll(statement, arguments: [id]) {
                links.append(Link(a: row[0], b: row[1], kind: JoinKind(rawValue: row[2]) ?? .merge,
                                  eventUUID: (row[3] as String?).flatMap(UUID.init(text:)),
                                  actionID: row[4], at: Date(timeIntervalSince1970: row[5])))
            }
        }
        return links
    }

    public func retireLinks(createdBy actionID: Int64) throws {
        try run("UPDATE link SET active = 0 WHERE action_id = ?", [actionID])
    }

    public func retireLinks(touching distinctIDs: [String]) throws {
        for id in distinctIDs {
            try run("UPDATE link SET active = 0 WHERE active AND (a = ?1 OR b = ?1)", [id])
        }
    }
}

/// Events counted in this transaction but not yet added to the stored counters.
struct PendingCount {
    var count = 0
    var first = Double.infinity
    var last = -Double.infinity

    mutating func add(_ other: PendingCount) {
        count += other.count
        first = min(first, other.first)
        last = max(last, other.last)
    }
}
