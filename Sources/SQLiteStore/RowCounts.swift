import GRDB

/// How many person and distinct ID rows the store holds, kept in `meta` as rows come and go.
///
/// The explorer's header shows both counts, and asks again after every change it refreshes for.
/// `count(*)` reads an index of every row: 39–65 ms at a million persons on a connection whose
/// cache is cold, more than half the first frame's budget. Every write of a person or distinct ID
/// row goes through `SQLiteStorage`, which sums a transaction's changes here and writes them at
/// flush, on the `meta` page each commit already writes. `identikit check` compares them with the rows.
struct RowCountChanges {
    var persons = 0
    var distinctIDs = 0

    static let personKey = "person_rows"
    static let distinctIDKey = "distinct_id_rows"

    /// Adds the transaction's changes to the stored counts.
    mutating func write(_ db: Database) throws {
        for (key, change) in [(Self.personKey, persons), (Self.distinctIDKey, distinctIDs)] where change != 0 {
            try db.execute(sql: "UPDATE meta SET value = value + ? WHERE key = ?", arguments: [change, key])
        }
        self = RowCountChanges()
    }

    /// The stored counts as one SQL expression each (the keys above), for queries that read them.
    static let personsSQL = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'person_rows')"
    static let distinctIDsSQL = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'distinct_id_rows')"
}

extension SQLitePersonStore {
    /// `identikit check --recount`: the stored counts set from the rows, in a write transaction.
    public func recountRows() throws {
        try write { storage in try Self.recountRows(storage.db) }
    }

    /// Sets the stored counts from the rows themselves: for writes that bypass the engine's
    /// storage (the benchmark's bulk SQL, an identikit from before schema 7). A store's own writes
    /// never need it.
    public static func recountRows(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO meta(key, value) VALUES
                ('person_rows', (SELECT count(*) FROM person)), ('distinct_id_rows', (SELECT count(*) FROM distinct_id))
            """)
    }
}
