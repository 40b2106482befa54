import Foundation
import GRDB
import GRDBSQLite
import IdentityCore
import SQLiteStore
import Ingest

/// The yardstick: the least any ingest must do per event, on the raw sqlite3 API with prepared
/// statements, the same pragmas (WAL, synchronous=NORMAL) and transactions of 2,000 events.
/// Per line: read and parse the JSON (the same reader and parser), look up the distinct ID,
/// create a person and distinct ID row if missing, insert the event. No validation, no rules.
enum BaselineIngest {
    static let flag = "--baseline-child"

    /// Events per transaction, fixed since issue 16 set the goal against it. identikit's file ingest
    /// commits every `Ingestor.defaultBatchSize` (10,000) events since the eighth pass; the
    /// baseline keeps 2,000 so that its figure stays the yardstick it was (with 10,000 it is about
    /// a third faster: Benchmarks/README.md, sixth pass).
    static let transactionSize = 2000

    static func run(file: String, database: String, batchSize: Int) throws -> Int {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = \(SQLitePersonStore.cachePages)")
        }
        let pool = try DatabasePool(path: database, configuration: configuration)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE person (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, created_at REAL NOT NULL,
                                     properties TEXT NOT NULL DEFAULT '{}');
                CREATE TABLE distinct_id (distinct_id TEXT PRIMARY KEY, person_id INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE event (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, event TEXT NOT NULL,
                                    distinct_id TEXT NOT NULL, timestamp TEXT, properties TEXT NOT NULL);
                CREATE INDEX event_by_distinct_id ON event(distinct_id, seq);
                """)
        }
        var events = 0
        try pool.writeWithoutTransaction { db in
            guard let handle = db.sqliteConnection else { throw BenchError("no sqlite handle") }
            func prepare(_ sql: String) throws -> OpaquePointer {
                var statement: OpaquePointer?
                guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
                      let statement else { throw BenchError(String(cString: sqlite3_errmsg(handle))) }
                return statement
            }
            func exec(_ sql: String) throws {
                guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError(String(cString: sqlite3_errmsg(handle))) }
            }
            let lookup = try prepare("SELECT person_id FROM distinct_id WHERE distinct_id = ?")
            let insertPerson = try prepare("INSERT INTO person(uuid, created_at) VALUES (?, ?)")
            let insertID = try prepare("INSERT INTO distinct_id(distinct_id, person_id) VALUES (?, ?)")
            let insertEvent = try prepare("INSERT OR IGNORE INTO event(uuid, event, distinct_id, timestamp, properties) VALUES (?, ?, ?, ?, ?)")
            defer { [lookup, insertPerson, insertID, insertEvent].forEach { sqlite3_finalize($0) } }
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String) {
                sqlite3_bind_text(statement, index, text, -1, transient)
            }

            let descriptor = open(file, O_RDONLY)
            guard descriptor >= 0 else { throw BenchError("cannot read \(file)") }
            var lines = LineSplitter(FileByteSource(descriptor: descriptor, path: file))
            var inBatch = 0
            try exec("BEGIN IMMEDIATE")
            while let line = try lines.next() {
                guard let value = try? JSONParser.parse(line.bytes), case .object(let object) = value,
                      let distinctID = object["distinct_id"]?.stringValue, let uuid = object["uuid"]?.stringValue,
                      let name = object["event"]?.stringValue else { continue }
                bind(lookup, 1, distinctID)
                let found = sqlite3_step(lookup) == SQLITE_ROW
                sqlite3_reset(lookup)
                if !found {
                    bind(insertPerson, 1, UUID().uuidString)
                    sqlite3_bind_double(insertPerson, 2, Date().timeIntervalSince1970)
                    sqlite3_step(insertPerson)
                    sqlite3_reset(insertPerson)
                    bind(insertID, 1, distinctID)
                    sqlite3_bind_int64(insertID, 2, sqlite3_last_insert_rowid(handle))
                    sqlite3_step(insertID)
                    sqlite3_reset(insertID)
                }
                bind(insertEvent, 1, uuid)
                bind(insertEvent, 2, name)
                bind(insertEvent, 3, distinctID)
                if let timestamp = object["timestamp"]?.stringValue { bind(insertEvent, 4, timestamp) } else { sqlite3_bind_null(insertEvent, 4) }
                bind(insertEvent, 5, JSONWriter.string(object["properties"] ?? .object([:])))
                guard sqlite3_step(insertEvent) == SQLITE_DONE else { throw BenchError(String(cString: sqlite3_errmsg(handle))) }
                sqlite3_reset(insertEvent)
                events += 1
                inBatch += 1
                if inBatch == batchSize {
                    try exec("COMMIT")
                    try exec("BEGIN IMMEDIATE")
                    inBatch = 0
                }
            }
            try exec("COMMIT")
        }
        return events
    }
}
