import GRDB
import GRDBSQLite

/// A statement that every event runs, driven through the SQLite C API on GRDB's prepared
/// statement. GRDB's argument arrays and row objects cost about three times SQLite's own work
/// on a point lookup (profiled: 12,900 instructions per `Row.fetchOne`, 3,200 of them in
/// `sqlite3_step`), and an ingest runs several per event. Everything else stays on GRDB.
///
/// Use inside the store's write transaction: bind, then `execute` or `int64`, which always
/// reset the statement so it never holds a read open between calls.
struct HotStatement {
    private let statement: Statement
    private let handle: OpaquePointer

    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// SQLite copies the text: the Swift string need not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                _ = sqlite3_bind_text(handle, index, chars, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// UTF-8 bytes bound as text.
    func bind(_ index: Int32, utf8 bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress, !chars.isEmpty else {
                    sqlite3_bind_text(handle, index, "", 0, Self.transient)
                    return
                }
                sqlite3_bind_text(handle, index, base, Int32(chars.count), Self.transient)
            }
        }
    }

    func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ number: Int64) { sqlite3_bind_int64(handle, index, number) }

    func bind(_ index: Int32, _ number: Int64?) {
        if let number { bind(index, number) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ number: Int) { sqlite3_bind_int64(handle, index, Int64(number)) }

    func bind(_ index: Int32, _ number: Double) { sqlite3_bind_double(handle, index, number) }

    func bind(_ index: Int32, _ number: Double?) {
        if let number { bind(index, number) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ flag: Bool) { sqlite3_bind_int64(handle, index, flag ? 1 : 0) }

    /// Runs a statement that returns no rows.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
    }

    /// The first column of the first row as an integer, or nil when there is no row (or it is NULL).
    func int64() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
        case SQLITE_DONE: return nil
        default: throw error(code)
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let connection = sqlite3_db_handle(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                             message: String(cString: sqlite3_errmsg(connection)), sql: statement.sql)
    }
}
