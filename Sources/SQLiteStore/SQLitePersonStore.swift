import Foundation
import GRDB
import CSQLiteTuning
import IdentityCore

/// One identikit store: a SQLite file in WAL mode shared by the CLI, the explorer and the capture server.
///
/// Writers take the write lock at the start of their transaction (`BEGIN IMMEDIATE`) and wait for
/// each other through SQLite's busy timeout, so processes sharing a file queue up instead of failing.
public final class SQLitePersonStore: Sendable {
    public let path: String
    public let isReadOnly: Bool
    /// Why the store is read-only, in words; nil when it is writable.
    public let readOnlyReason: String?
    let pool: DatabasePool
    public let engine: IdentityEngine

    /// Page cache per connection, in SQLite's negative-means-KiB form (64 MiB).
    public static let cachePages = -65536

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Opens the store at `path`, creating it (and its directory, if `createDirectory`) when missing.
    /// `durable` syncs the log at every commit (`synchronous = FULL`): a commit then survives a power
    /// loss too, not only a crash of the process (see README, "What a commit guarantees").
    public init(path: String, createDirectory: Bool = false, readOnly: Bool = false, durable: Bool = false,
                engine: IdentityEngine = IdentityEngine(projectID: 1)) throws {
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
            // O_EXCL, not FileManager.createFile: that writes a temporary file and renames it over the path,
            // which would swap the file under another process that created the store a moment earlier.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 {
                close(descriptor)
            } else if errno != EEXIST {
                throw StoreError.notWritable(path: path, reason: "cannot create the file (\(String(cString: strerror(errno))))")
            }
        } else if try Self.isNotSQLite(path) {
            throw StoreError.notASQLiteFile(path: path)
        }
        readOnlyReason = Self.readOnlyReason(path: path, directory: directory.isEmpty ? "." : directory, requested: readOnly)
        let writable = readOnlyReason == nil
        isReadOnly = !writable

        Self.configureSQLiteOnce()
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.readonly = !writable
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            }
            // SQLite's default page cache is 2 MB; a busy store's indexes need more to avoid re-reading pages.
            try db.execute(sql: "PRAGMA cache_size = \(SQLitePersonStore.cachePages)")
        }
        do {
            pool = try Self.retryingWhenBusy { try DatabasePool(path: path, configuration: configuration) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notASQLiteFile(path: path)
        } catch let error as DatabaseError {
            throw StoreError.openFailed(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        self.engine = engine
        try migrate()
    }

    /// Whether this process may change the store, and if not why. A file without any write bit
    /// (`chmod a-w`) is read-only even for root, who could write it anyway: the mode says the owner
    /// wants it kept as it is, and it gives tests running as root a way to get a read-only store.
    static func readOnlyReason(path: String, directory: String, requested: Bool) -> String? {
        if requested { return "it was opened read-only" }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o222 == 0 {
            return "the file has no write permission (chmod u+w to allow changes)"
        }
        if access(path, W_OK) != 0 { return "no write permission on the file" }
        // SQLite needs to create its -wal and -shm files next to the store.
        if access(directory, W_OK) != 0 { return "no write permission on its directory \(directory)" }
        return nil
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
        let storeVersion = try schemaVersion()
        if storeVersion > Schema.version {
            throw StoreError.newerSchema(path: path, storeVersion: storeVersion, supportedVersion: Schema.version)
        }
        guard storeVersion < Schema.version else { return }
        if let readOnlyReason { throw StoreError.notWritable(path: path, reason: "it is read-only: \(readOnlyReason)") }
        do {
            try Self.retryingWhenBusy { try migrator.migrate(pool) }
        } catch {
            // Two processes creating one new store at once: the other one may have migrated it first.
            guard try schemaVersion() >= Schema.version else { throw error }
            return
        }
        try Self.retryingWhenBusy { try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                           arguments: [String(Schema.version)])
            try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('change_counter', 0)")
        } }
    }

    /// The schema version the store says it has; 0 for a new, empty file.
    private func schemaVersion() throws -> Int {
        try read { db -> Int in
            guard try db.tableExists("meta") else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'") ?? 0
        }
    }

    /// Runs `body` in one write transaction with the engine's storage: all of it lands, or none.
    /// If another process holds the lock longer than the busy timeout, or SQLite answers SQLITE_BUSY
    /// without waiting (WAL recovery, a checkpoint in progress), the whole transaction is run again.
    public func write<T>(_ body: (SQLiteStorage) throws -> T) throws -> T {
        if let readOnlyReason {
            throw StoreError.notWritable(path: path, reason: "it is read-only: \(readOnlyReason); browsing works, changes do not")
        }
        do {
            return try Self.retryingWhenBusy {
                try pool.write { db in
                    let storage = SQLiteStorage(db)
                    let result = try body(storage)
                    try storage.flush()
                    storage.releaseCaches()
                    try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'change_counter'")
                    return result
                }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            // SQLite's own words ("database or disk is full") name neither the store nor what happened to the write.
            throw StoreError.diskFull(path: path)
        }
    }

    /// Runs `body` on a consistent snapshot; never blocks and is never blocked by writers.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.retryingWhenBusy { try pool.read(body) }
    }

    /// How many times a transaction that met SQLITE_BUSY or SQLITE_LOCKED is tried again.
    static let busyRetries = 8

    /// Runs `body` again after a growing, jittered pause (10 ms, 20 ms ... 1.3 s) while SQLite says the
    /// database is busy or locked. The transaction rolled back, so running it again is safe.
    static func retryingWhenBusy<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as DatabaseError
                where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && attempt < busyRetries {
                let pause = 0.01 * Double(1 << attempt) * Double.random(in: 0.5...1.5)
                attempt += 1
                Thread.sleep(forTimeInterval: pause)
            }
        }
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

extension SQLitePersonStore {
    /// The engine's storage over a read snapshot, for previews and "why linked": nothing it does is kept.
    public func readStorage<T>(_ body: (SQLiteStorage) throws -> T) throws -> T {
        try Self.retryingWhenBusy { try pool.read { db in try body(SQLiteStorage(db)) } }
    }
}

extension SQLitePersonStore {
    /// Process-wide SQLite settings, made before the first connection opens (later they are refused).
    private static let sqliteConfigured: Int32 = identikit_sqlite_configure()

    static func configureSQLiteOnce() { _ = sqliteConfigured }
}
