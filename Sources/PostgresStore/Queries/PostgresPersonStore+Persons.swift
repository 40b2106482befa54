import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// One page of the persons `filter` lets through, newest first in the chosen order, starting
    /// after `cursor`: a keyset over the order's index, so every page costs the same (with a filter,
    /// rows are tested along the index until the page is full).
    public func persons(order: PersonOrder, descending: Bool, after cursor: PersonCursor?, filter: PersonFilter,
                        limit: Int) async throws -> PersonPage {
        let key = PostgresOrderKey(order)
        let comparison = descending ? "<" : ">"
        let direction = descending ? "DESC" : "ASC"
        var bindings = PostgresBindings()
        var clauses: [String] = []
        if let cursor {
            clauses.append("(\(key.column), id) \(comparison) (\(key.cast)(\(bindings.next(cursor.value))), \(bindings.next(cursor.id)))")
        }
        clauses += filter.postgresClauses(&bindings)
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.map { "(\($0))" }.joined(separator: " AND ")
        let sql = """
            SELECT \(Self.summaryColumns), \(key.value) AS sort_value FROM person \(whereClause)
            ORDER BY \(key.column) \(direction), id \(direction) LIMIT \(bindings.next(limit))
            """
        return try await snapshot("reading persons") { connection in
            var rows: [SummaryRow] = []
            var last: Double = 0
            let decoded = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                .decode((Int64, UUID, Double, Bool, String?, String?, Int64, Int64, Double?, Double?, Double).self)
            for try await row in decoded {
                rows.append((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9))
                last = row.10
            }
            let persons = try await Self.summaries(rows, on: connection, logger: logger)
            let next = rows.count == limit ? rows.last.map { PersonCursor(value: last, id: $0.0) } : nil
            return PersonPage(persons: persons, next: next)
        }
    }

    /// Persons a distinct ID, `email` or `name` of which contains `text` (any case), newest first:
    /// `ILIKE '%text%'` over pg_trgm's GIN indexes (distinct IDs' in `distinct_id_search`). Text of one or two characters has no trigram,
    /// so it matches prefixes instead, as the SQLite store does.
    ///
    /// Prefixes are read first, from ordinary indexes, and when they fill the page the trigram
    /// indexes are not read at all. A GIN index answers a text whose trigrams every row has (the
    /// `user-` of `user-12345`, typed letter by letter) by building and rechecking a bitmap of every
    /// row: 0.8 s on a million persons, against a millisecond for the prefix range.
    public func searchPersons(_ text: String, limit: Int) async throws -> [PersonSummary] {
        guard !text.isEmpty else { return try await persons(order: .firstSeen, descending: true, after: nil, limit: limit).persons }
        let logger = logger
        return try await snapshot("searching persons") { connection in
            let prefixed = try await Self.prefixRows(text, limit: limit, on: connection, logger: logger)
            guard text.count >= 3, prefixed.count < limit else { return try await Self.summaries(prefixed, on: connection, logger: logger) }
            let containing = try await Self.substringRows(text, limit: limit, on: connection, logger: logger)
            // Both lists are newest first; prefix matches are kept whatever the trigram branches' LIMITs picked.
            var seen = Set<Int64>()
            let rows = (prefixed + containing)
                .filter { seen.insert($0.0).inserted }
                .sorted { ($0.2, $0.0) > ($1.2, $1.0) }
                .prefix(limit)
            return try await Self.summaries(Array(rows), on: connection, logger: logger)
        }
    }

    /// Persons a distinct ID, `email` or `name` of which contains `text`, through the trigram indexes.
    private static func substringRows(_ text: String, limit: Int, on connection: PostgresConnection,
                                      logger: Logger) async throws -> [SummaryRow] {
        let pattern = PropertyCondition.likePattern(containing: text)
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.summaryColumns) FROM person WHERE id IN (
                SELECT person_id FROM distinct_id WHERE distinct_id IN (
                    SELECT distinct_id FROM distinct_id_search WHERE distinct_id ILIKE \(pattern) LIMIT \(limit))
                UNION SELECT id FROM (SELECT id FROM person WHERE email ILIKE \(pattern) LIMIT \(limit)) AS e
                UNION SELECT id FROM (SELECT id FROM person WHERE name ILIKE \(pattern) LIMIT \(limit)) AS n
            )
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """, logger: logger)
        var found: [SummaryRow] = []
        for try await row in rows.decode(SummaryRow.self) { found.append(row) }
        return found
    }

    /// Persons whose distinct ID, `email` or `name` starts with `text` (any case). Each branch is a
    /// range over a pattern index (`text_pattern_ops`, on `lower()` for email and name), compared
    /// and walked bytewise like SQLite's, so the same first rows are found.
    private static func prefixRows(_ text: String, limit: Int, on connection: PostgresConnection,
                                   logger: Logger) async throws -> [SummaryRow] {
        let upper = text + "\u{10FFFF}"
        let lower = text.lowercased(), lowerUpper = text.lowercased() + "\u{10FFFF}"
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.summaryColumns) FROM person WHERE id IN (
                SELECT person_id FROM (SELECT person_id FROM distinct_id
                                       WHERE distinct_id ~>=~ \(text) AND distinct_id ~<~ \(upper)
                                       ORDER BY distinct_id USING ~<~ LIMIT \(limit)) AS d
                UNION SELECT id FROM (SELECT id FROM person WHERE email IS NOT NULL
                                      AND lower(email) ~>=~ \(lower) AND lower(email) ~<~ \(lowerUpper)
                                      ORDER BY lower(email) USING ~<~ LIMIT \(limit)) AS e
                UNION SELECT id FROM (SELECT id FROM person WHERE name IS NOT NULL
                                      AND lower(name) ~>=~ \(lower) AND lower(name) ~<~ \(lowerUpper)
                                      ORDER BY lower(name) USING ~<~ LIMIT \(limit)) AS n
            )
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """, logger: logger)
        var found: [SummaryRow] = []
        for try await row in rows.decode(SummaryRow.self) { found.append(row) }
        return found
    }

    /// The person a reference names: a distinct ID first, then a person uuid.
    public func resolvePerson(_ reference: String) async throws -> Person? {
        try await snapshot("resolving a person") { connection in
            try await Self.resolve(reference, on: connection, logger: logger)
        }
    }

    static func resolve(_ reference: String, on connection: PostgresConnection, logger: Logger) async throws -> Person? {
        let byID = try await connection.query("""
            SELECT \(unescaped: personColumns) FROM person WHERE id = (SELECT person_id FROM distinct_id WHERE distinct_id = \(reference))
            """, logger: logger)
        var found: Person?
        for try await row in byID.decode((Int64, UUID, Double, Bool, String, String, Int64).self) { found = person(row) }
        guard found == nil else { return found }
        if let uuid = UUID(text: reference) {
            let byUUID = try await connection.query("SELECT \(unescaped: personColumns) FROM person WHERE uuid = \(uuid)", logger: logger)
            for try await row in byUUID.decode((Int64, UUID, Double, Bool, String, String, Int64).self) { found = person(row) }
        } else if let (low, high) = UUIDPrefix.bounds(reference) {
            let byPrefix = try await connection.query("""
                SELECT \(unescaped: personColumns) FROM person WHERE uuid BETWEEN \(low) AND \(high) LIMIT 2
                """, logger: logger)
            var matches: [Person] = []
            for try await row in byPrefix.decode((Int64, UUID, Double, Bool, String, String, Int64).self) { matches.append(person(row)) }
            if matches.count == 1 { found = matches[0] }  // two: ambiguous, no answer
        }
        return found
    }

    /// Everything the person screen and `identikit person` show.
    public func personDetail(_ reference: String) async throws -> PersonDetail? {
        try await snapshot("reading a person") { connection in
            guard let person = try await Self.resolve(reference, on: connection, logger: logger), let rowID = person.rowID else { return nil }
            var ids: [DistinctIDRecord] = []
            let idRows = try await connection.query("""
                SELECT \(unescaped: Self.distinctIDColumns) FROM distinct_id WHERE person_id = \(rowID)
                ORDER BY joined_at, distinct_id COLLATE "C"
                """, logger: logger)
            for try await row in idRows.decode((String, Int64, Double, String, UUID?, Int64?).self) { ids.append(Self.distinctIDRecord(row)) }
            var history: [ActionRecord] = []
            let actions = try await connection.query("""
                SELECT \(unescaped: Self.actionColumns) FROM action WHERE target_uuid = \(person.uuid) OR source_uuid = \(person.uuid)
                ORDER BY id DESC
                """, logger: logger)
            for try await row in actions.decode((Int64, String, UUID?, Double, UUID?, UUID?, String, String, Int64?).self) {
                history.append(Self.action(row))
            }
            var counts: (Int64, Double?, Double?) = (0, nil, nil)
            let countRows = try await connection.query("""
                SELECT event_count, extract(epoch FROM first_seen)::float8, extract(epoch FROM last_seen)::float8
                FROM person WHERE id = \(rowID)
                """, logger: logger)
            for try await row in countRows.decode((Int64, Double?, Double?).self) { counts = row }
            return PersonDetail(person: person, distinctIDs: ids, history: history, eventCount: Int(counts.0),
                                firstSeen: counts.1.map(Date.init(timeIntervalSince1970:)),
                                lastSeen: counts.2.map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// Full persons with their distinct IDs, in the order given; one read for a whole page.
    public func personsWithDistinctIDs(_ rowIDs: [Int64]) async throws -> [(Person, [String])] {
        guard !rowIDs.isEmpty else { return [] }
        let found = try await snapshot("reading persons") { connection -> [PersonWithIDs] in
            var persons: [Int64: Person] = [:]
            let rows = try await connection.query("SELECT \(unescaped: Self.personColumns) FROM person WHERE id = ANY(\(rowIDs))",
                                                  logger: logger)
            for try await row in rows.decode((Int64, UUID, Double, Bool, String, String, Int64).self) { persons[row.0] = Self.person(row) }
            var ids: [Int64: [String]] = [:]
            let idRows = try await connection.query("""
                SELECT person_id, distinct_id FROM distinct_id WHERE person_id = ANY(\(rowIDs)) ORDER BY joined_at, distinct_id COLLATE "C"
                """, logger: logger)
            for try await (person, id) in idRows.decode((Int64, String).self) { ids[person, default: []].append(id) }
            return rowIDs.compactMap { id in persons[id].map { PersonWithIDs(person: $0, ids: ids[id] ?? []) } }
        }
        return found.map { ($0.person, $0.ids) }
    }

    private struct PersonWithIDs: Sendable {
        var person: Person
        var ids: [String]
    }
}
