import Foundation
import GRDB
import IdentityCore

/// One identikit store: a SQLite file in WAL mode shared by the CLI, the explorer and the capture server.
///
/// Writers take the write lock at the start of their transaction (`BEGIN IMMEDIATE`) and wait for
/// each other through SQLite's busy timeout, so processes sharing a file queue up instead of failing.
public final class PersonStore: Sendable {
    public let path: String
    public let isReadOnly: Bool
    let pool: DatabasePool
    public let engine: IdentityEngine

    /// Page cache per connection, in SQLite's negative-means-KiB form (64 MiB).
    public static let cachePages = -65536

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Opens the store at `path`, creating it (and its directory, if `createDirectory`) when missing.
    public init(path: String, createDirectory: Bool = false, readOnly: Bool = false) throws {
        self.path = path
        let fileManager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        let exists = fileManager.fileExists(atPath: path)
        if !exists {
            if readOnly { throw StoreError.openFailed(path: path, reason: "no store here yet") }
            if !directory.isEmpty, !fileManager.fileExists(atPath: directory) {
                guard createDirectory else { throw StoreError.directoryMissing(path: path) }
                do {
                    try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
                } catch {
                    throw StoreError.notWritable(path: path, reason: "cannot create its directory")
                }
            }
            // Identity data is personal: the file (and SQLite's -wal/-shm, which copy its mode) is the owner's only.
            guard fileManager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError.notWritable(path: path, reason: "no permission to create the file")
            }
        } else if try Self.isNotSQLite(path) {
            throw StoreError.notASQLiteFile(path: path)
        }
        let writable = !readOnly && fileManager.isWritableFile(atPath: path)
            && fileManager.isWritableFile(atPath: directory.isEmpty ? "." : directory)
        isReadOnly = !writable

        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.readonly = !writable
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            // SQLite's default page cache is 2 MB; a busy store's indexes need more to avoid re-reading pages.
            try db.execute(sql: "PRAGMA cache_size = \(PersonStore.cachePages)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notASQLiteFile(path: path)
        } catch let error as DatabaseError {
            throw StoreError.openFailed(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        engine = IdentityEngine(projectID: 1)
        try migrate()
    }

    /// SQLite files start with a fixed 16-byte header; an empty file is a store SQLite has not written yet.
    private static func isNotSQLite(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.openFailed(path: path, reason: "no permission to read the file")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return !header.isEmpty && header != Data("SQLite format 3\0".utf8)
    }

    private func migrate() throws {
        let migrator = Schema.migrator
        let storeVersion = try pool.read { db -> Int in
            guard try db.tableExists("meta") else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'") ?? 0
        }
        if storeVersion > Schema.version {
            throw StoreError.newerSchema(path: path, storeVersion: storeVersion, supportedVersion: Schema.version)
        }
        guard storeVersion < Schema.version else { return }
        guard !isReadOnly else { throw StoreError.readOnly(path: path) }
        try migrator.migrate(pool)
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                           arguments: [String(Schema.version)])
            try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('change_counter', 0)")
        }
    }

    /// Runs `body` in one write transaction with the engine's storage: all of it lands, or none.
    public func write<T>(_ body: (SQLiteStorage) throws -> T) throws -> T {
        guard !isReadOnly else { throw StoreError.readOnly(path: path) }
        return try pool.write { db in
            let storage = SQLiteStorage(db)
            let result = try body(storage)
            try storage.flush()
            try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'change_counter'")
            return result
        }
    }

    /// Runs `body` on a consistent snapshot; never blocks and is never blocked by writers.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// The raw SQLite handle's owner, for the benchmark's baseline and for checks.
    public var databasePool: DatabasePool { pool }

    /// Grows with every committed write, from any process: cheap to poll for live refresh.
    /// (`PRAGMA data_version` is per connection, and a pool hands out different ones.)
    public func changeCounter() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'change_counter'") ?? 0
        }
    }
}

extension PersonStore {
    /// The engine's storage over a read snapshot, for previews and "why linked": nothing it does is kept.
    public func readStorage<T>(_ body: (SQLiteStorage) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteStorage(db)) }
    }
}
