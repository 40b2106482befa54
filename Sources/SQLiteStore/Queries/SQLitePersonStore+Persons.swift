import Foundation
import GRDB
import IdentityCore

extension SQLitePersonStore {
    /// One page of the persons `filter` lets through, newest first in the chosen order, starting
    /// after `cursor`. The filter is evaluated row by row along the order's index.
    public func persons(order: PersonOrder = .firstSeen, descending: Bool = true, after cursor: PersonCursor? = nil,
                        filter: PersonFilter = .none, limit: Int = 50) throws -> PersonPage {
        try read { db in
            let column = order.column
            let comparison = descending ? "<" : ">"
            let direction = descending ? "DESC" : "ASC"
            var clauses = filter.sqliteClauses
            if let cursor { clauses.insert(("(\(column), id) \(comparison) (?, ?)", [cursor.value, cursor.id]), at: 0) }
            var sql = "SELECT \(SummaryColumns.select), \(column) FROM person"
            var arguments: StatementArguments = []
            if !clauses.isEmpty {
                sql += " WHERE " + clauses.map { "(\($0.sql))" }.joined(separator: " AND ")
                for clause in clauses { arguments += clause.arguments }
            }
            sql += " ORDER BY \(column) \(direction), id \(direction) LIMIT ?"
            arguments += [limit]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let persons = try SummaryColumns.summaries(rows, db: db)
            let next = rows.count == limit ? rows.last.map { PersonCursor(value: $0[SummaryColumns.count], id: $0[0]) } : nil
            return PersonPage(persons: persons, next: next)
        }
    }

    /// Persons a distinct ID, `email` or `name` of which contains `text` (any case), newest first.
    /// Three characters or more read the trigram indexes (`person_search`, `distinct_id_search`);
    /// shorter text has no trigram, so it matches prefixes over the ordinary indexes. When more
    /// than `limit` match, each index gives its newest `limit` rows (FTS5 walks rowids backwards
    /// without sorting), so a common text answers as fast as a rare one.
    public func searchPersons(_ text: String, limit: Int = 50) throws -> [PersonSummary] {
        guard !text.isEmpty else { return try persons(limit: limit).persons }
        guard text.count >= 3 else { return try searchPrefixes(text, limit: limit) }
        return try read { db in
            // One FTS5 phrase: a trigram phrase matches the text anywhere.
            let phrase = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(SummaryColumns.select) FROM person WHERE id IN (
                    SELECT person_id FROM distinct_id WHERE distinct_id IN (
                        SELECT distinct_id FROM distinct_id_search WHERE distinct_id_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
                    UNION SELECT rowid FROM (SELECT rowid FROM person_search WHERE person_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
                )
                ORDER BY created_at DESC, id DESC LIMIT ?2
                """, arguments: [phrase, limit])
            return try SummaryColumns.summaries(rows, db: db)
        }
    }

    /// Persons whose distinct ID, `email` or `name` starts with `text` (any case). Every branch is
    /// a range over an index, so it answers at once on a million persons.
    private func searchPrefixes(_ text: String, limit: Int) throws -> [PersonSummary] {
        try read { db in
            let upper = text + "\u{10FFFF}"
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(SummaryColumns.select) FROM person WHERE id IN (
                    SELECT person_id FROM (SELECT person_id FROM distinct_id WHERE distinct_id >= ?1 AND distinct_id < ?2 LIMIT ?3)
                    UNION SELECT id FROM (SELECT id FROM person WHERE email >= ?1 AND email < ?2 LIMIT ?3)
                    UNION SELECT id FROM (SELECT id FROM person WHERE name >= ?1 AND name < ?2 LIMIT ?3)
                )
                ORDER BY created_at DESC, id DESC LIMIT ?3
                """, arguments: [text, upper, limit])
            return try SummaryColumns.summaries(rows, db: db)
        }
    }

    /// The person a reference names: a distinct ID first, then a person uuid.
    public func resolvePerson(_ reference: String) throws -> Person? {
        try read { db in try Self.resolve(reference, db) }
    }

    static func resolve(_ reference: String, _ db: Database) throws -> Person? {
        let sql = "SELECT \(PersonColumns.select) FROM person WHERE id = (SELECT person_id FROM distinct_id WHERE distinct_id = ?)"
        if let row = try Row.fetchOne(db, sql: sql, arguments: [reference]) { return PersonColumns.person(row) }
        if let uuid = UUID(text: reference),
           let row = try Row.fetchOne(db, sql: "SELECT \(PersonColumns.select) FROM person WHERE uuid = ?", arguments: [uuid.lowercased]) {
            return PersonColumns.person(row)
        }
        if let (low, high) = UUIDPrefix.bounds(reference) {
            let rows = try Row.fetchAll(db, sql: "SELECT \(PersonColumns.select) FROM person WHERE uuid BETWEEN ? AND ? LIMIT 2",
                                        arguments: [low.lowercased, high.lowercased])
            if rows.count == 1 { return PersonColumns.person(rows[0]) }  // two: ambiguous, no answer
        }
        return nil
    }

    /// Everything the person screen and `identikit person` show.
    public func personDetail(_ reference: String) throws -> PersonDetail? {
        try read { db in
            guard let person = try Self.resolve(reference, db), let rowID = person.rowID else { return nil }
            let ids = try Row.fetchAll(db, sql: "SELECT \(DistinctIDColumns.select) FROM distinct_id WHERE person_id = ? ORDER BY joined_at, distinct_id",
                                       arguments: [rowID]).map(DistinctIDColumns.record)
            let uuid = person.uuid.lowercased
            let history = try Row.fetchAll(db, sql: """
                SELECT \(ActionColumns.select) FROM action WHERE target_uuid = ?1 OR source_uuid = ?1 ORDER BY id DESC
                """, arguments: [uuid]).map(ActionColumns.record)
            let counts = try Row.fetchOne(db, sql: "SELECT event_count, first_seen, last_seen FROM person WHERE id = ?", arguments: [rowID])
            return PersonDetail(person: person, distinctIDs: ids, history: history, eventCount: counts?[0] ?? 0,
                                firstSeen: (counts?[1] as Double?).map(Date.init(timeIntervalSince1970:)),
                                lastSeen: (counts?[2] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }
}

/// Reads `PersonSummary` rows; display names need the person's distinct IDs, fetched for the page at once.
enum SummaryColumns {
    static let select = "id, uuid, created_at, is_identified, name, email, id_count, event_count, first_seen, last_seen"
    /// Index of the extra sort column appended after `select`.
    static let count = 10

    static func summaries(_ rows: [Row], db: Database) throws -> [PersonSummary] {
        let needNames: [Int64] = rows.compactMap { row in
            (row[4] as String?) == nil && (row[5] as String?) == nil ? row[0] as Int64 : nil
        }
        var firstIDs: [Int64: String] = [:]
        if !needNames.isEmpty {
            // The first identified-looking ID: one that joined other than by its first event, else the oldest.
            let placeholders = Array(repeating: "?", count: needNames.count).joined(separator: ",")
            let idRows = try Row.fetchAll(db, sql: """
                SELECT person_id, distinct_id, how FROM distinct_id WHERE person_id IN (\(placeholders))
                ORDER BY person_id, joined_at, distinct_id
                """, arguments: StatementArguments(needNames))
            var byPerson: [Int64: [(String, String)]] = [:]
            for row in idRows { byPerson[row[0], default: []].append((row[1], row[2])) }
            for (person, ids) in byPerson {
                firstIDs[person] = (ids.first { $0.1 == JoinKind.identify.rawValue } ?? ids.first)?.0
            }
        }
        return rows.map { row in
            let id: Int64 = row[0]
            let display = (row[4] as String?) ?? (row[5] as String?) ?? firstIDs[id] ?? "(no distinct ID)"
            return PersonSummary(id: id, uuid: UUID(text: row[1]) ?? UUID(), displayName: display,
                                 isIdentified: row[3], distinctIDCount: row[6], eventCount: row[7],
                                 createdAt: Date(timeIntervalSince1970: row[2]),
                                 firstSeen: (row[8] as Double?).map(Date.init(timeIntervalSince1970:)),
                                 lastSeen: (row[9] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }
}

extension SQLitePersonStore {
    /// Full persons with their distinct IDs, in the order given; one read for a whole page.
    public func personsWithDistinctIDs(_ rowIDs: [Int64]) throws -> [(Person, [String])] {
        guard !rowIDs.isEmpty else { return [] }
        return try read { db in
            let placeholders = Array(repeating: "?", count: rowIDs.count).joined(separator: ",")
            let persons = try Row.fetchAll(db, sql: "SELECT \(PersonColumns.select) FROM person WHERE id IN (\(placeholders))",
                                           arguments: StatementArguments(rowIDs)).map(PersonColumns.person)
            var ids: [Int64: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT person_id, distinct_id FROM distinct_id WHERE person_id IN (\(placeholders)) ORDER BY joined_at, distinct_id
                """, arguments: StatementArguments(rowIDs)) {
                ids[row[0], default: []].append(row[1])
            }
            let byID = Dictionary(uniqueKeysWithValues: persons.compactMap { p in p.rowID.map { ($0, p) } })
            return rowIDs.compactMap { id in byID[id].map { ($0, ids[id] ?? []) } }
        }
    }
}
