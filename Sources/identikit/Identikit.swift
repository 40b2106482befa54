import ArgumentParser

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
}
