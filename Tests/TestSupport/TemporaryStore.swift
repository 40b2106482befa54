import Foundation

/// One test's store, of either kind, and a folder beside it for the test's files. `location` is
/// what `--db` and IDENTIKIT_DB take, so a test can run against both kinds the same way.
public final class TemporaryStore: @unchecked Sendable {
    public enum Kind: String, Sendable, CaseIterable { case sqlite, postgres }

    public let kind: Kind
    public let location: String
    public let directory: TemporaryDirectory

    /// A SQLite store path in a fresh folder; the file is created by whoever opens it first.
    public static func sqlite(named name: String = "store.sqlite") throws -> TemporaryStore {
        let directory = try TemporaryDirectory()
        return TemporaryStore(kind: .sqlite, location: directory.path(name), directory: directory)
    }

    /// A new, empty database on the test process's PostgreSQL cluster (started on first use).
    public static func postgres() throws -> TemporaryStore {
        let url = try PostgresCluster.shared.get().makeDatabase()
        return TemporaryStore(kind: .postgres, location: url, directory: try TemporaryDirectory())
    }

    public static func make(_ kind: Kind) throws -> TemporaryStore {
        switch kind {
        case .sqlite: try sqlite()
        case .postgres: try postgres()
        }
    }

    private init(kind: Kind, location: String, directory: TemporaryDirectory) {
        self.kind = kind
        self.location = location
        self.directory = directory
    }

    /// Writes a file beside the store and returns its path.
    @discardableResult
    public func file(_ name: String, _ contents: String) throws -> String { try directory.file(name, contents) }

    /// Removes the folder (and with it a SQLite store). A PostgreSQL database goes with its cluster at exit.
    public func remove() { directory.remove() }
}
