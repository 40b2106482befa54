import GRDB

/// Substring search's trigram tables (`person_search`, `distinct_id_search`) written once per
/// transaction, as its last statements.
///
/// FTS5 writes its pending terms out as a new segment at every savepoint, and SQLite opens one
/// for each statement that may write several rows (an INSERT ... SELECT, anything firing a
/// trigger). Kept in step by triggers, the tables were flushed tens of thousands of times per
/// ingest into segments of one row that then had to be merged: 40% of the ingest's time. Written
/// last, their terms reach the disk once, at commit.
struct SearchIndexWriteBack {
    /// What `person_search` holds for a person row (its email and name columns); empty: no entry.
    struct Entry: Equatable {
        var email: String?
        var name: String?
        var isEmpty: Bool { email == nil && name == nil }
    }

    /// Each person row's entry as the transaction found it, from the first time it met the row.
    private var before: [Int64: Entry] = [:]
    /// Distinct IDs added in this transaction. IDs are never deleted, so nothing leaves the table.
    private var newDistinctIDs: [String] = []

    /// The row as stored when the transaction first reads, deletes or creates it.
    mutating func met(_ rowID: Int64, as entry: Entry) {
        if before[rowID] == nil { before[rowID] = entry }
    }

    func hasMet(_ rowID: Int64) -> Bool { before[rowID] != nil }

    mutating func added(distinctID: String) { newDistinctIDs.append(distinctID) }

    /// Brings both tables to the rows as they now are; `now` gives a row's entry after the write-back
    /// (empty for a deleted row).
    mutating func write(_ db: Database, now: (Int64) -> Entry) throws {
        for (rowID, old) in before.sorted(by: { $0.key < $1.key }) {
            let new = now(rowID)
            guard new != old else { continue }
            // An external-content table forgets a row by being told its old text exactly.
            if !old.isEmpty {
                try db.cachedStatement(sql: "INSERT INTO person_search(person_search, rowid, email, name) VALUES ('delete', ?, ?, ?)")
                    .execute(arguments: [rowID, old.email, old.name])
            }
            if !new.isEmpty {
                try db.cachedStatement(sql: "INSERT INTO person_search(rowid, email, name) VALUES (?, ?, ?)")
                    .execute(arguments: [rowID, new.email, new.name])
            }
        }
        // VALUES, not INSERT ... SELECT: that is one of the statements that open a savepoint.
        let insert = try db.cachedStatement(sql: "INSERT INTO distinct_id_search(distinct_id) VALUES (?)")
        for distinctID in newDistinctIDs where Self.sqliteLength(distinctID) >= 3 { try insert.execute(arguments: [distinctID]) }
        before.removeAll()
        newDistinctIDs.removeAll()
    }
}

extension SearchIndexWriteBack {
    /// What SQLite's length() says of a text: its characters (code points) before any NUL, the
    /// measure the migration that filled the table used (an ID under three has no trigram).
    static func sqliteLength(_ text: String) -> Int {
        text.unicodeScalars.prefix { $0 != "\0" }.count
    }
}

extension PersonColumns.Keys {
    var searchEntry: SearchIndexWriteBack.Entry { .init(email: email, name: name) }
}
