import ArgumentParser
import SQLiteStore

/// The store the commands work on. This alias and `StoreOptions.open()` are the only places that
/// name its type: a second kind of store behind a protocol changes them, not the commands.
typealias CommandStore = SQLitePersonStore

/// What every store command shares: `--db`, checks made before opening, and how the store opens.
protocol StoreOpening {
    var storeOptions: StoreOptions { get }
    /// Checks that must pass before the store opens, so a refused command leaves no file behind.
    func checkBeforeOpening() throws
    func openStore() throws -> CommandStore
}

extension StoreOpening {
    func checkBeforeOpening() throws {}
    func openStore() throws -> CommandStore { try storeOptions.open() }
}

/// A command that works on the store. `run()` opens it and turns any error into one line on
/// stderr and exit code 1; the command itself only writes `run(store:)`.
protocol StoreCommand: ParsableCommand, StoreOpening {
    func run(store: CommandStore) throws
}

extension StoreCommand {
    func run() throws {
        try reportingErrors {
            try checkBeforeOpening()
            try run(store: openStore())
        }
    }
}

/// `StoreCommand` for commands that run asynchronously (`serve`).
protocol AsyncStoreCommand: AsyncParsableCommand, StoreOpening {
    func run(store: CommandStore) async throws
}

extension AsyncStoreCommand {
    func run() async throws {
        try await reportingErrors {
            try checkBeforeOpening()
            try await run(store: openStore())
        }
    }
}
