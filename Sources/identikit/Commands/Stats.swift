import ArgumentParser
import Foundation
import IdentityCore

struct Stats: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count persons, distinct IDs, events, warnings and merges in force.",
        discussion: """
            Examples:
              identikit stats
              identikit stats --json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print {\"persons\":N,\"distinct_ids\":N,\"events\":N,\"warnings\":N,\"merges\":N}.")
    var json = false

    func run(store: CommandStore) async throws {
        let stats = try await store.stats()
        if json {
            Terminal.standardOutput.write(JSONCoding.string(stats) + "\n")
        } else {
            var table = Table("", "COUNT")
            table.add("persons", String(stats.persons))
            table.add("distinct IDs", String(stats.distinctIDs))
            table.add("events", String(stats.events))
            table.add("warnings", String(stats.warnings))
            table.add("merges", String(stats.merges))
            Terminal.standardOutput.write("store \(Escaping.terminalSafe(store.location))\n" + table.render(width: Terminal.standardOutput.width))
        }
    }
}
