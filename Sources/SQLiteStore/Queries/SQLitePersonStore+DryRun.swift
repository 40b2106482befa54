import Foundation
import GRDB

extension SQLitePersonStore {
    /// Runs an engine action in a write transaction that is always rolled back: an exact preview of
    /// an undo or split, computed by the same code that would do it, leaving the store untouched.
    public func dryRun<T>(_ body: (SQLiteStorage) throws -> T) throws -> T {
        guard !isReadOnly else { throw StoreError.readOnly(path: path) }
        var result: Result<T, any Error>?
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                result = Result { try body(SQLiteStorage(db)) }
                return .rollback
            }
        }
        return try result!.get()
    }
}
