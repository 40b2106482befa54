import ArgumentParser
import Foundation
import PostgresStore
import SQLiteStore
import Store

/// `--db`, shared by every command that touches a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a SQLite file, or a PostgreSQL URL.", discussion: """
        A PostgreSQL store is postgres://user[:password]@host[:port]/database (or postgresql://, \
        ?sslmode= honoured); the password may come from $PGPASSWORD instead. Anything else is a SQLite \
        file. Defaults to $IDENTIKIT_DB, else $XDG_DATA_HOME/identikit/identikit.sqlite \
        (~/.local/share/identikit/identikit.sqlite).
        """, valueName: "path-or-url"))
    var db: String?

    /// Where the store lives: `--db`, then `IDENTIKIT_DB`, then the XDG data directory.
    var path: String {
        if let db, !db.isEmpty { return db }
        if let path = ProcessInfo.processInfo.environment["IDENTIKIT_DB"], !path.isEmpty { return path }
        return Self.defaultPath
    }

    /// $XDG_DATA_HOME/identikit/identikit.sqlite, whatever --db and $IDENTIKIT_DB say.
    static var defaultPath: String {
        let dataHome = ProcessInfo.processInfo.environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("identikit/identikit.sqlite")
    }

    /// Whether the path came from the defaults: only then are missing directories created.
    var isDefaultLocation: Bool { (db ?? "").isEmpty && (ProcessInfo.processInfo.environment["IDENTIKIT_DB"] ?? "").isEmpty }

    var isPostgres: Bool { PostgresLocation.isURL(path) }

    /// The store `--db` names, which must exist when it is a SQLite file named with --db or
    /// $IDENTIKIT_DB: a mistyped path would otherwise become a new, empty store that lists nothing.
    func openExisting() async throws -> CommandStore {
        try Self.checkExists(path, named: !isDefaultLocation)
        return try await open()
    }

    /// Refuses a SQLite file that is not there (a PostgreSQL database is created by its server, and the
    /// default location is created on first use).
    static func checkExists(_ location: String, named: Bool = true) throws {
        guard named, !PostgresLocation.isURL(location), !FileManager.default.fileExists(atPath: location) else { return }
        throw Failure("no store at \(location): check the path (--db or $IDENTIKIT_DB); `identikit ingest FILE --db \(location)` creates one")
    }

    /// The store `--db` names, created if missing; `durable` (`--durable`) makes a SQLite store sync every commit.
    func open(durable: Bool = false) async throws -> CommandStore {
        try await Self.open(path, createDirectory: isDefaultLocation, durable: durable)
    }

    /// The one place the command line tells the two kinds of store apart: a PostgreSQL URL, else a SQLite file.
    /// (PostgreSQL's commits are already synced by default, `synchronous_commit = on`: `durable` changes nothing there.)
    static func open(_ location: String, createDirectory: Bool = false, durable: Bool = false) async throws -> CommandStore {
        if PostgresLocation.isURL(location) {
            return try await PostgresPersonStore.open(try PostgresLocation(url: location))
        }
        return try SQLitePersonStore(path: location, createDirectory: createDirectory, durable: durable)
    }

}
