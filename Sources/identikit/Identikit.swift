import ArgumentParser
import Foundation

@main
struct Identikit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identikit",
        abstract: "Explore and repair product-analytics identity data: persons, distinct IDs, merges.",
        discussion: """
            identikit runs PostHog's identify/merge rules over analytics events into a local SQLite store.

            Open the explorer:         identikit (or identikit browse)
            Start with demo data:      identikit demo
            Load your own events:      identikit ingest events.jsonl
            See what happened:         identikit persons; identikit warnings
            """,
        version: "0.1.0",
        groupedSubcommands: [
            CommandGroup(name: "Browse", subcommands: [
                Browse.self, Persons.self, PersonCommand.self, Events.self, Warnings.self, Stats.self, Why.self, Suspects.self,
            ]),
            CommandGroup(name: "Repair", subcommands: [Merge.self, Undo.self, Split.self, Check.self]),
            CommandGroup(name: "Data in and out", subcommands: [Ingest.self, Export.self, Copy.self, Demo.self]),
            CommandGroup(name: "PostHog", subcommands: [Compare.self, Push.self]),
            CommandGroup(name: "Server", subcommands: [Serve.self]),
        ],
        defaultSubcommand: Browse.self
    )

    /// A mistyped command would otherwise reach the default command as an argument ("Unexpected
    /// argument 'persns'" with browse's usage): named as a command, with the nearest real one.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, let message = UnknownCommand.message(first, known: commandNames) {
            Terminal.standardError.write(message)
            Foundation.exit(64)  // EX_USAGE, as ArgumentParser's own usage errors
        }
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static var commandNames: [String] {
        configuration.subcommands.map { $0._commandName } + ["help"]
    }
}
