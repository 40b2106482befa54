import ArgumentParser
import Explorer
import Foundation

struct Browse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the full-screen explorer (the default command).",
        discussion: """
            Browse persons, their properties, distinct IDs, events and history; warnings; duplicates. \
            Merge, undo and split with a preview and a confirmation. Press ? inside for every key.

            Examples:
              identikit
              identikit browse --db demo.sqlite
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingErrors {
            guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
                throw ValidationError("the explorer needs a terminal; for scripts use `identikit persons --json` and friends")
            }
            if let signal = try ExplorerApp.run(store: try self.store.open()) {
                throw ExitCode(128 + signal)
            }
        }
    }
}
