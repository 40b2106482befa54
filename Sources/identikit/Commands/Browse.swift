import ArgumentParser
import Explorer
import Foundation

struct Browse: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the full-screen explorer (the default command).",
        discussion: """
            Browse persons, their properties, distinct IDs, events and history; warnings; duplicates. \
            Merge, undo and split with a preview and a confirmation. Press ? inside for every key.

            Examples:
              identikit
              identikit browse --db demo.sqlite
            """)

    @OptionGroup var storeOptions: StoreOptions

    func checkBeforeOpening() throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw ValidationError("the explorer needs a terminal; for scripts use `identikit persons --json` and friends")
        }
    }

    /// The explorer opens a new store too: its welcome screen says how to fill it.
    func openStore() async throws -> CommandStore { try await storeOptions.open() }

    func run(store: CommandStore) async throws {
        // The ncurses loop blocks: on a thread of its own, so the explorer's queries keep the pool.
        if let signal = try await onOwnThread(named: "identikit.explorer", { try ExplorerApp.run(store: store) }) {
            throw ExitCode(128 + signal)
        }
    }
}
