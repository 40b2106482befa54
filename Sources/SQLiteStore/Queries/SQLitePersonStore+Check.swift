import Foundation
import GRDB
import IdentityCore

extension SQLitePersonStore {
    /// Verifies the store's invariants on one consistent snapshot. Reads every row once; it is
    /// meant for after a crash or an import, not for every command.
    public func check() throws -> CheckReport {
        let stats = try self.stats()
        let problems = try read { db -> [String] in
            var problems: [String] = []
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            func expectNone(_ sql: String, _ what: (Int) -> String) throws {
                let found = try count(sql)
                if found > 0 { problems.append(what(found)) }
            }

            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems.append("SQLite integrity check: " + integrity.prefix(5).joined(separator: "; ")) }

            // The header's counts, kept as rows come and go (RowCountChanges), on this same snapshot.
            let counts = try Row.fetchOne(db, sql: """
                SELECT \(RowCountChanges.personsSQL), (SELECT count(*) FROM person),
                       \(RowCountChanges.distinctIDsSQL), (SELECT count(*) FROM distinct_id)
                """)!
            for (index, what) in ["person", "distinct ID"].enumerated() {
                let (said, held) = (counts[index * 2] as Int, counts[index * 2 + 1] as Int)
                if said != held { problems.append("the store's \(what) count says \(said) but it holds \(held) \(what) rows") }
            }
            let eventRows = try count("SELECT count(*) FROM event")
            let lastSeq = try count("SELECT coalesce(max(seq), 0) FROM event")
            if eventRows != lastSeq {
                problems.append("the event table has \(eventRows) rows but its last seq is \(lastSeq): events were deleted")
            }
            try expectNone("SELECT count(*) FROM distinct_id d WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = d.person_id)") {
                "\($0) distinct IDs point at a person that does not exist"
            }
            try expectNone("SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM distinct_id d WHERE d.person_id = p.id)") {
                "\($0) persons have no distinct ID"
            }
            // Aggregates the list screens sort by must agree with what they summarise.
            try expectNone("""
                SELECT count(*) FROM person p WHERE p.id_count <> (SELECT count(*) FROM distinct_id d WHERE d.person_id = p.id)
                """) { "\($0) persons have a wrong distinct ID count" }
            try expectNone("""
                SELECT count(*) FROM distinct_id d
                WHERE d.event_count <> (SELECT count(*) FROM event e WHERE e.distinct_id = d.distinct_id)
                """) { "\($0) distinct IDs have a wrong event count" }
            try expectNone("""
                SELECT count(*) FROM person p
                WHERE p.event_count <> (SELECT coalesce(sum(d.event_count), 0) FROM distinct_id d WHERE d.person_id = p.id)
                """) { "\($0) persons have a wrong event count" }
            try expectNone("""
                SELECT count(*) FROM person p
                WHERE p.first_seen IS NOT (SELECT min(d.first_seen) FROM distinct_id d WHERE d.person_id = p.id)
                   OR p.last_seen IS NOT (SELECT max(d.last_seen) FROM distinct_id d WHERE d.person_id = p.id)
                """) { "\($0) persons have a wrong first or last seen time" }
            // The search columns are copies of two properties: they must follow every change.
            var staleSearch = 0
            let rows = try Row.fetchCursor(db, sql: "SELECT \(PersonColumns.select), email, name FROM person")
            while let row = try rows.next() {
                let keys = PersonColumns.Keys(PersonColumns.person(row))
                if keys.email != row[7] || keys.name != row[8] { staleSearch += 1 }
            }
            if staleSearch > 0 { problems.append("\(staleSearch) persons have an email or name column that differs from their properties") }
            // Substring search reads its own copy of the distinct IDs (three characters or more).
            let searchable = try count("SELECT count(*) FROM distinct_id WHERE length(distinct_id) >= 3")
            let indexed = try count("SELECT count(*) FROM distinct_id_search")
            if searchable != indexed {
                problems.append("the substring search index has \(indexed) distinct IDs but the store \(searchable) of three characters or more")
            }

            // Merge records: a merge in force removed its source; an undo points back at its merge.
            let mergeKinds = ActionKind.allCases.filter(\.isMerge).map { "'\($0.rawValue)'" }.joined(separator: ",")
            try expectNone("""
                SELECT count(*) FROM action a WHERE a.kind IN (\(mergeKinds)) AND a.undone_by IS NULL
                  AND EXISTS (SELECT 1 FROM person p WHERE p.uuid = a.source_uuid)
                  AND NOT EXISTS (SELECT 1 FROM action later WHERE later.id > a.id AND later.kind = 'split'
                                  AND instr(upper(later.details), upper(a.source_uuid)))
                """) { "\($0) merges in force whose merged-away person still exists" }
            try expectNone("""
                SELECT count(*) FROM action a WHERE a.undone_by IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM action u WHERE u.id = a.undone_by AND u.kind = 'undo')
                """) { "\($0) merges are marked undone by an action that is not an undo" }
            try expectNone("""
                SELECT count(*) FROM action u WHERE u.kind = 'undo'
                  AND NOT EXISTS (SELECT 1 FROM action m WHERE m.undone_by = u.id)
                """) { "\($0) undos reverse no recorded merge" }
            try expectNone("SELECT count(*) FROM (SELECT uuid FROM person GROUP BY uuid HAVING count(*) > 1)") {
                "\($0) person uuids are used twice"
            }
            return problems
        }
        var all = problems
        if !(try searchIndexMatchesPersons()) {
            all.append("the substring search index of emails and names does not match the persons' email and name columns")
        }
        return CheckReport(problems: all, stats: stats)
    }

    /// FTS5's own comparison of `person_search` with the rows it indexes. It is run as a command
    /// (an INSERT), so it needs a transaction that may write; it is rolled back at once. A read-only
    /// store cannot run it and is not faulted for that.
    private func searchIndexMatchesPersons() throws -> Bool {
        guard !isReadOnly else { return true }
        return try Self.retryingWhenBusy {
            try pool.writeWithoutTransaction { db in
                var matches = true
                try db.inTransaction(.deferred) {
                    do {
                        try db.execute(sql: "INSERT INTO person_search(person_search, rank) VALUES ('integrity-check', 1)")
                    } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
                        matches = false
                    }
                    return .rollback
                }
                return matches
            }
        }
    }
}
