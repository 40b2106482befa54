import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// Verifies the store's invariants on one consistent snapshot: the SQLite store's checks that
    /// mean something on PostgreSQL (its own integrity and gapless `seq` do not). Reads every row
    /// once; it is meant for after a crash or an import, not for every command.
    public func check() async throws -> CheckReport {
        try await snapshot("checking the store") { connection in
            let stats = try await Self.stats(on: connection, logger: logger)
            var problems: [String] = []
            func expectNone(_ query: PostgresQuery, _ what: (Int) -> String) async throws {
                var found = 0
                for try await count in try await connection.query(query, logger: logger).decode(Int64.self) { found = Int(count) }
                if found > 0 { problems.append(what(found)) }
            }

            // The header's counts, kept as rows come and go (PostgresRowCounts).
            let counts = try await connection.query("""
                SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM distinct_id), (SELECT count(*) FROM event)
                """, logger: logger)
            for try await held in counts.decode((Int64, Int64, Int64).self) {
                for (what, said, rows) in [("person", stats.persons, held.0), ("distinct ID", stats.distinctIDs, held.1),
                                           ("event", stats.events, held.2)] where said != Int(rows) {
                    problems.append("the store's \(what) count says \(said) but it holds \(rows) \(what) rows")
                }
            }
            try await expectNone("SELECT count(*) FROM distinct_id d WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = d.person_id)") {
                "\($0) distinct IDs point at a person that does not exist"
            }
            try await expectNone("SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM distinct_id d WHERE d.person_id = p.id)") {
                "\($0) persons have no distinct ID"
            }
            // Aggregates the list screens sort by must agree with what they summarise.
            try await expectNone("""
                SELECT count(*) FROM person p WHERE p.id_count <> (SELECT count(*) FROM distinct_id d WHERE d.person_id = p.id)
                """) { "\($0) persons have a wrong distinct ID count" }
            try await expectNone("""
                SELECT count(*) FROM distinct_id d
                WHERE d.event_count <> (SELECT count(*) FROM event e WHERE e.distinct_id = d.distinct_id)
                """) { "\($0) distinct IDs have a wrong event count" }
            try await expectNone("""
                SELECT count(*) FROM person p
                WHERE p.event_count <> (SELECT coalesce(sum(d.event_count), 0) FROM distinct_id d WHERE d.person_id = p.id)
                """) { "\($0) persons have a wrong event count" }
            try await expectNone("""
                SELECT count(*) FROM person p
                WHERE p.first_seen IS DISTINCT FROM (SELECT min(d.first_seen) FROM distinct_id d WHERE d.person_id = p.id)
                   OR p.last_seen IS DISTINCT FROM (SELECT max(d.last_seen) FROM distinct_id d WHERE d.person_id = p.id)
                """) { "\($0) persons have a wrong first or last seen time" }

            // The search columns are copies of two properties: they must follow every change.
            var staleSearch = 0
            let rows = try await connection.query("SELECT properties::text, email, name FROM person", logger: logger)
            for try await (properties, email, name) in rows.decode((String, String?, String?).self) {
                let object = (try? JSONParser.parse(properties.utf8))?.objectValue ?? [:]
                let expected = (PersonRows.searchable(object["email"]), PersonRows.searchable(object["name"]))
                if expected.0 != (email ?? "") || expected.1 != (name ?? "") { staleSearch += 1 }
            }
            if staleSearch > 0 { problems.append("\(staleSearch) persons have an email or name column that differs from their properties") }

            // Merge records: a merge in force removed its source; an undo points back at its merge.
            let kinds = ActionKind.allCases.filter(\.isMerge).map(\.rawValue)
            try await expectNone("""
                SELECT count(*) FROM action a WHERE a.kind = ANY(\(kinds)) AND a.undone_by IS NULL
                  AND EXISTS (SELECT 1 FROM person p WHERE p.uuid = a.source_uuid)
                  AND NOT EXISTS (SELECT 1 FROM action later WHERE later.id > a.id AND later.kind = 'split'
                                  AND strpos(upper(later.details::text), upper(a.source_uuid::text)) > 0)
                """) { "\($0) merges in force whose merged-away person still exists" }
            try await expectNone("""
                SELECT count(*) FROM action a WHERE a.undone_by IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM action u WHERE u.id = a.undone_by AND u.kind = 'undo')
                """) { "\($0) merges are marked undone by an action that is not an undo" }
            try await expectNone("""
                SELECT count(*) FROM action u WHERE u.kind = 'undo' AND NOT EXISTS (SELECT 1 FROM action m WHERE m.undone_by = u.id)
                """) { "\($0) undos reverse no recorded merge" }
            try await expectNone("SELECT count(*) FROM (SELECT uuid FROM person GROUP BY uuid HAVING count(*) > 1) AS twice") {
                "\($0) person uuids are used twice"
            }
            return CheckReport(problems: problems, stats: stats)
        }
    }
}
