import ArgumentParser
import Store

/// The store the commands work on: SQLite or PostgreSQL, whichever `--db` names. Commands see only
/// the protocol; `StoreOptions.open()` is the one place that knows both kinds.
typealias CommandStore = any PersonStore

/// What every store command shares: `--db`, checks made before opening, and how the store opens.
protocol StoreOpening {
    var storeOptions: StoreOptions { get }
    /// Checks that must pass before the store opens, so a refused command leaves no file behind.
    func checkBeforeOpening() throws
    func openStore() async throws -> CommandStore
}

extension StoreOpening {
    func checkBeforeOpening() throws {}
    /// Commands that read or repair what is there open an existing store; the ones that fill a store
    /// (ingest, serve, demo, the explorer) override this and create it.
    func openStore() async throws -> CommandStore { try await storeOptions.openExisting() }
}

/// A command that works on the store. `run()` opens it and turns any error into one line on
/// stderr and exit code 1; the command itself only writes `run(store:)`. Async: on a PostgreSQL
/// store every query is a network round trip.
protocol StoreCommand: AsyncParsableCommand, StoreOpening {
    func run(store: CommandStore) async throws
}

extension StoreCommand {
    func run() async throws {
        try await reportingErrors {
            try checkBeforeOpening()
            try await run(store: openStore())
        }
    }
}

