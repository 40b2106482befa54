import ArgumentParser
import Foundation
import SQLiteStore

/// `--db`, shared by every command that touches a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file.", discussion: """
        Defaults to $IDENTIKIT_DB, else $XDG_DATA_HOME/identikit/identikit.sqlite \
        (~/.local/share/identikit/identikit.sqlite).
        """, valueName: "path"))
    var db: String?

    /// Where the store lives: `--db`, then `IDENTIKIT_DB`, then the XDG data directory.
    var path: String {
        if let db, !db.isEmpty { return db }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["IDENTIKIT_DB"], !path.isEmpty { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("identikit/identikit.sqlite")
    }

    /// Whether the path came from the defaults: only then are missing directories created.
    var isDefaultLocation: Bool { (db ?? "").isEmpty && (ProcessInfo.processInfo.environment["IDENTIKIT_DB"] ?? "").isEmpty }

    func open() throws -> CommandStore {
        try CommandStore(path: path, createDirectory: isDefaultLocation)
    }
}
