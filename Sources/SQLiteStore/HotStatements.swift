import GRDB

/// The statements each event (and each batch's write-back) runs, prepared once per transaction
/// and driven through `HotStatement`.
struct HotStatements {
    let ownerOfID, personWithUUID, eventWithUUID, insertEvent, insertPerson, insertDistinctID, moveDistinctID: HotStatement
    let countForID, countForPerson, recountPerson, moveIDs, foldCounts: HotStatement
    /// The person write-back, by whether its key columns changed and whether its aggregates are recounted.
    private let personUpdates: [HotStatement]

    init(_ db: Database) throws {
        ownerOfID = try HotStatement(db, "SELECT person_id FROM distinct_id WHERE distinct_id = ?")
        personWithUUID = try HotStatement(db, "SELECT id FROM person WHERE uuid = ?")
        eventWithUUID = try HotStatement(db, "SELECT seq FROM event WHERE uuid = ?")
        // Once the rules ran on the event, with what it did (a plain INSERT: `eventWithUUID` deduped it).
        insertEvent = try HotStatement(db, """
            INSERT INTO event(uuid, event, distinct_id, timestamp, properties, source, effect) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        insertPerson = try HotStatement(db, "INSERT INTO person(uuid, created_at, is_identified, version) VALUES (?, ?, ?, ?)")
        // A new ID starts with the events already stored under it (any sent with $process_person_profile
        // false before it had a person; ?7 is the time of those without one; the event being applied is
        // stored and counted after the rules ran): the counters always count every event of the ID.
        // Only new IDs count: moving an existing one (a merge, undo or split) never reads its events.
        insertDistinctID = try HotStatement(db, """
            INSERT INTO distinct_id(distinct_id, person_id, joined_at, how, event_uuid, action_id, event_count, first_seen, last_seen)
            SELECT ?1, ?2, ?3, ?4, ?5, ?6, count(*), min(coalesce(timestamp, ?7)), max(coalesce(timestamp, ?7))
            FROM event WHERE distinct_id = ?1
            """)
        moveDistinctID = try HotStatement(db, """
            UPDATE distinct_id SET person_id = ?2, joined_at = ?3, how = ?4, event_uuid = ?5, action_id = ?6 WHERE distinct_id = ?1
            """)
        countForID = try HotStatement(db, "UPDATE distinct_id SET \(Self.addition(from: 1)) WHERE distinct_id = ?4")
        countForPerson = try HotStatement(db, "UPDATE person SET \(Self.addition(from: 1)) WHERE id = ?4")
        recountPerson = try HotStatement(db, "UPDATE person SET \(Self.recount(person: 1)) WHERE id = ?1")
        // A merge: moveIDs gives every ID of person ?5 to person ?1; foldCounts adds person ?1's aggregates to ?2's.
        moveIDs = try HotStatement(db, """
            UPDATE distinct_id SET person_id = ?1, joined_at = ?2, how = ?3, event_uuid = NULL, action_id = ?4 WHERE person_id = ?5
            """)
        foldCounts = try HotStatement(db, """
            UPDATE person SET
                id_count = id_count + (SELECT id_count FROM person WHERE id = ?1),
                event_count = event_count + (SELECT event_count FROM person WHERE id = ?1),
                first_seen = min(coalesce(first_seen, (SELECT first_seen FROM person WHERE id = ?1)),
                                 coalesce((SELECT first_seen FROM person WHERE id = ?1), first_seen)),
                last_seen = max(coalesce(last_seen, (SELECT last_seen FROM person WHERE id = ?1)),
                                coalesce((SELECT last_seen FROM person WHERE id = ?1), last_seen))
            WHERE id = ?2
            """)
        var personUpdates: [HotStatement] = []
        for keysChanged in [false, true] {
            for recount in [false, true] {
                // ?1 uuid, ?2 created_at, ?3 is_identified, ?4 properties, ?5 provenance, ?6 version,
                // ?7 email, ?8 name, ?9 the row id, ?10–?12 the counters to add.
                let keyColumns = keysChanged ? "uuid = ?1, created_at = ?2, email = ?7, name = ?8, " : ""
                let counterColumns = recount ? Self.recount(person: 9) : Self.addition(from: 10)
                personUpdates.append(try HotStatement(db, """
                    UPDATE person SET \(keyColumns)is_identified = ?3, properties = ?4, provenance = ?5, version = ?6, \(counterColumns)
                    WHERE id = ?9
                    """))
            }
        }
        self.personUpdates = personUpdates
    }

    func personUpdate(keysChanged: Bool, recount: Bool) -> HotStatement {
        personUpdates[(keysChanged ? 2 : 0) + (recount ? 1 : 0)]
    }

    /// Adds a count (?index) and widens first/last seen (the next two; NULL keeps them).
    private static func addition(from index: Int) -> String {
        """
        event_count = event_count + ?\(index),
            first_seen = coalesce(min(coalesce(first_seen, ?\(index + 1)), ?\(index + 1)), first_seen),
            last_seen = coalesce(max(coalesce(last_seen, ?\(index + 2)), ?\(index + 2)), last_seen)
        """
    }

    /// Recounts a person's aggregates from its distinct IDs' counters: O(its IDs), never O(events).
    private static func recount(person index: Int) -> String {
        """
        (id_count, event_count, first_seen, last_seen) =
            (SELECT count(*), coalesce(sum(event_count), 0), min(first_seen), max(last_seen)
             FROM distinct_id WHERE person_id = ?\(index))
        """
    }
}
