import Foundation
import GRDB
import IdentityCore
import Store

/// The engine's storage on one SQLite write transaction. Statements are cached per connection,
/// so a batch of events prepares each one once.
///
/// Besides keeping rows, it maintains the per-person aggregates (distinct ID and event counts,
/// first and last seen) that list screens sort by, so nothing ever counts events to draw a list.
///
/// Persons read or written during the transaction stay decoded in memory and are written back
/// once, at `flush()` (SQLiteStorage+Flush.swift): an active user's person is parsed and
/// serialized once per batch, not per event.
public final class SQLiteStorage: IdentityStorage {
    let db: Database
    var persons: [Int64: Person] = [:]
    var dirty: Set<Int64> = []
    /// The indexed key columns of each person row as stored, so a write-back that leaves them
    /// alone does not rewrite their index entries.
    var storedKeys: [Int64: PersonColumns.Keys] = [:]
    /// Persons whose distinct IDs changed owner: their aggregates are recounted once, at flush,
    /// so moving a thousand IDs one by one (undo, split) costs O(IDs), not O(IDs²).
    var staleAggregates: Set<Int64> = []
    /// Event counts and times per distinct ID not yet added to the counters: one UPDATE per ID
    /// per batch instead of two per event.
    var pendingCounts: [ExactText: PendingCount] = [:]
    /// Substring search's tables, written after everything else (see SearchIndexWriteBack).
    var search = SearchIndexWriteBack()
    /// Person and distinct ID rows added or removed, for the stored counts (see RowCountChanges).
    var rowCounts = RowCountChanges()
    /// Distinct ID → person lookups made or changed in this transaction (nil: no such ID).
    private var owners: [ExactText: Int64?] = [:]

    /// The statements each event runs, prepared once per transaction.
    private var prepared: HotStatements?

    init(_ db: Database) { self.db = db }

    func hot() throws -> HotStatements {
        if let prepared { return prepared }
        let statements = try HotStatements(db)
        prepared = statements
        return statements
    }

    /// After the write-back: the transaction's decoded persons are freed on another thread.
    func releaseCaches() {
        BackgroundRelease.release((persons, storedKeys, owners))
        persons = [:]
        storedKeys = [:]
        owners = [:]
    }

    private func run(_ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    private func row(_ sql: String, _ arguments: StatementArguments) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    // MARK: Events

    /// Only dedupes: the row is written by `recordEffect`, with the effect, once the rules ran.
    /// An insert and then an update of the same row cost a tenth of the ingest (identikit-bench).
    public func insertEvent(_ event: Event) throws -> Bool {
        let lookup = try hot().eventWithUUID
        lookup.bind(1, event.storedUUID)
        return try lookup.int64() == nil
    }

    /// Writes the event's row. While the rules ran it was not stored yet, so a distinct ID created
    /// meanwhile counted the events before it; this one is counted here, like any later event.
    public func recordEffect(_ effect: EventEffect?, ofEvent event: Event) throws {
        let time = (event.timestamp ?? Date()).timeIntervalSince1970
        let insert = try hot().insertEvent
        insert.bind(1, event.storedUUID)
        insert.bind(2, event.name)
        insert.bind(3, event.distinctID)
        insert.bind(4, event.timestamp?.timeIntervalSince1970)
        insert.bind(5, event.storedProperties)
        insert.bind(6, event.source)
        if let effect { insert.bind(7, utf8: effect.storedBytes) } else { insert.bind(7, nil as String?) }
        try insert.execute()
        pendingCounts[ExactText(event.distinctID), default: PendingCount()].add(PendingCount(count: 1, first: time, last: time))
    }

    public func recordDuplicate(ofEvent event: Event) throws {
        try run("UPDATE event SET duplicates = duplicates + 1 WHERE uuid = ?", [event.storedUUID])
    }

    // MARK: Persons

    public func personID(forDistinctID distinctID: String) throws -> Int64? {
        let key = ExactText(distinctID)
        if let known = owners[key] { return known }
        let lookup = try hot().ownerOfID
        lookup.bind(1, distinctID)
        let owner = try lookup.int64()
        owners[key] = owner
        return owner
    }

    public func personID(forUUID uuid: UUID) throws -> Int64? {
        let lookup = try hot().personWithUUID
        lookup.bind(1, uuid.lowercased)
        return try lookup.int64()
    }

    public func person(_ rowID: Int64) throws -> Person? {
        if let cached = persons[rowID] { return cached }
        let loaded = try row("SELECT \(PersonColumns.select) FROM person WHERE id = ?", [rowID]).map(PersonColumns.person)
        persons[rowID] = loaded
        if let loaded {
            let keys = PersonColumns.Keys(loaded)
            storedKeys[rowID] = keys
            search.met(rowID, as: keys.searchEntry)
        }
        return loaded
    }

    /// Inserts the row for its id; the properties are written once, at flush, with the batch's
    /// later changes (a new person is usually touched again by the events that follow).
    public func insertPerson(_ person: Person) throws -> Int64 {
        let insert = try hot().insertPerson
        insert.bind(1, person.uuid.lowercased)
        insert.bind(2, person.createdAt.timeIntervalSince1970)
        insert.bind(3, person.isIdentified)
        insert.bind(4, person.version)
        try insert.execute()
        let rowID = db.lastInsertedRowID
        var stored = person
        stored.rowID = rowID
        persons[rowID] = stored
        storedKeys[rowID] = PersonColumns.Keys(uuid: person.uuid, createdAt: person.createdAt.timeIntervalSince1970)
        search.met(rowID, as: .init())
        dirty.insert(rowID)
        rowCounts.persons += 1
        return rowID
    }

    public func updatePerson(_ person: Person) throws {
        guard let rowID = person.rowID else { throw IdentityError.storeInconsistent("updating a person without a row id") }
        persons[rowID] = person
        dirty.insert(rowID)
    }

    public func deletePerson(_ rowID: Int64) throws {
        if !search.hasMet(rowID), let row = try row("SELECT email, name FROM person WHERE id = ?", [rowID]) {
            search.met(rowID, as: .init(email: row[0], name: row[1]))
        }
        persons[rowID] = nil
        storedKeys[rowID] = nil
        dirty.remove(rowID)
        staleAggregates.remove(rowID)
        try run("DELETE FROM person WHERE id = ?", [rowID])
        rowCounts.persons -= db.changesCount
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
        let statements = try hot()
        let write = previousOwner == nil ? statements.insertDistinctID : statements.moveDistinctID
        write.bind(1, record.distinctID)
        write.bind(2, record.personID)
        write.bind(3, record.joinedAt.timeIntervalSince1970)
        write.bind(4, record.how.rawValue)
        write.bind(5, record.eventUUID?.lowercased)
        write.bind(6, record.actionID)
        if previousOwner == nil { write.bind(7, Date().timeIntervalSince1970) }
        try write.execute()
        owners[ExactText(record.distinctID)] = record.personID
        // A new row counted the events stored under the ID so far (those sent before without a person;
        // the event being applied is stored and counted after), so nothing is pending for it.
        if previousOwner == nil {
            pendingCounts[ExactText(record.distinctID)] = nil
            search.added(distinctID: record.distinctID)
            rowCounts.distinctIDs += 1
        }
        if previousOwner != record.personID {
            if let previousOwner { staleAggregates.insert(previousOwner) }
            staleAggregates.insert(record.personID)
        }
    }

    public func moveAllDistinctIDs(_ ids: [String], from source: Int64, to target: Int64, how: JoinKind, actionID: Int64?, at: Date) throws {
        for id in ids.map(ExactText.init) where owners[id] != nil { owners[id] = target }
        let statements = try hot()
        statements.moveIDs.bind(1, target)
        statements.moveIDs.bind(2, at.timeIntervalSince1970)
        statements.moveIDs.bind(3, how.rawValue)
        statements.moveIDs.bind(4, actionID)
        statements.moveIDs.bind(5, source)
        try statements.moveIDs.execute()
        if staleAggregates.contains(source) || staleAggregates.contains(target) {
            // Counts not settled yet this transaction: recount the survivor at flush instead of folding.
            staleAggregates.remove(source)
            staleAggregates.insert(target)
            return
        }
        // O(1): fold the source's aggregates into the target's instead of recounting. The source
        // keeps its numbers: the merge deletes it next.
        statements.foldCounts.bind(1, source)
        statements.foldCounts.bind(2, target)
        try statements.foldCounts.execute()
    }

    // MARK: Warnings

    @discardableResult
    public func insertWarning(_ warning: IngestionWarning) throws -> Bool {
        let insert = try HotStatement(db, """
            INSERT OR IGNORE INTO warning(type, created_at, event_uuid, distinct_ids, details, raw, source, event_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM event))
            """)
        insert.bind(1, warning.type.rawValue)
        insert.bind(2, warning.createdAt.timeIntervalSince1970)
        insert.bind(3, warning.eventUUID?.lowercased)
        insert.bind(4, JSONCoding.string(JSONValue.array(warning.distinctIDs.map(JSONValue.string))))
        insert.bind(5, JSONCoding.string(JSONValue.object(warning.details)))
        insert.bind(6, warning.raw)
        insert.bind(7, warning.source)
        try insert.execute()
        return db.changesCount > 0
    }

    // MARK: Actions and links

    /// A merge made by an event writes one of these and one link (`insertLink`): both on the C API,
    /// as `HotStatement` says why.
    public func insertAction(_ action: ActionRecord) throws -> Int64 {
        let insert = try HotStatement(db, """
            INSERT INTO action(kind, event_uuid, at, target_uuid, source_uuid, distinct_ids, details, undone_by, event_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM event))
            """)
        ActionColumns.bind(action, to: insert)
        try insert.execute()
        return db.lastInsertedRowID
    }

    public func updateAction(_ action: ActionRecord) throws {
        guard let id = action.id else { throw IdentityError.storeInconsistent("updating an action without an id") }
        let update = try HotStatement(db, """
            UPDATE action SET kind = ?, event_uuid = ?, at = ?, target_uuid = ?, source_uuid = ?, distinct_ids = ?,
                details = ?, undone_by = ?
            WHERE id = ?
            """)
        ActionColumns.bind(action, to: update)
        update.bind(9, id)
        try update.execute()
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
        let insert = try HotStatement(db, "INSERT INTO link(a, b, kind, event_uuid, action_id, at) VALUES (?, ?, ?, ?, ?, ?)")
        insert.bind(1, link.a)
        insert.bind(2, link.b)
        insert.bind(3, link.kind.rawValue)
        insert.bind(4, link.eventUUID?.lowercased)
        insert.bind(5, link.actionID)
        insert.bind(6, link.at.timeIntervalSince1970)
        try insert.execute()
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
