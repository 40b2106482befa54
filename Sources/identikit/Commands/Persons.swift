import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore

struct Persons: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "List persons, newest first.",
        discussion: """
            --search matches the start of a distinct ID, email or name (any case).
            Without --json, prints a page and the cursor for the next one.

            Examples:
              identikit persons
              identikit persons --search alice@
              identikit persons --limit 20 --after 1764000000.5:1234
              identikit persons --json > persons.json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only persons whose distinct ID, email or name starts with this text.")
    var search: String?

    @Option(help: "At most this many persons (default: 50 in a table, all with --json).")
    var limit: Int?

    @Option(help: ArgumentHelp("Continue after this cursor (printed below each page).", valueName: "cursor"))
    var after: String?

    @Option(help: ArgumentHelp("The order of the list.", valueName: "order"))
    var sort: PersonOrder = .firstSeen

    @Flag(help: "Print a JSON array of persons.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let after, PersonCursor(after) == nil { throw ValidationError("--after takes a cursor like 1764000000.5:1234, as printed below a page") }
        if search != nil && after != nil { throw ValidationError("--after cannot be combined with --search") }
    }

    func run(store: CommandStore) async throws {
        if json {
            try await printJSON(store, order: sort)
        } else {
            try await printTable(store, order: sort)
        }
    }

    /// Streams the array page by page: memory stays flat however many persons there are.
    private func printJSON(_ store: CommandStore, order: PersonOrder) async throws {
        let output = BufferedOutput()
        output.write("[")
        var first = true
        func emit(_ summaries: [PersonSummary]) async throws {
            for (person, ids) in try await store.personsWithDistinctIDs(summaries.map(\.id)) {
                output.write((first ? "\n" : ",\n") + JSONCoding.string(JSONShapes.person(person, distinctIDs: ids)))
                first = false
            }
        }
        if let search {
            try await emit(try await store.searchPersons(search, limit: limit ?? 1000))
        } else {
            var remaining = limit ?? Int.max
            var cursor = after.flatMap(PersonCursor.init)
            while remaining > 0 {
                let page = try await store.persons(order: order, after: cursor, limit: min(remaining, 1000))
                try await emit(page.persons)
                remaining -= page.persons.count
                guard let next = page.next else { break }
                cursor = next
            }
        }
        output.write(first ? "]\n" : "\n]\n")
        output.flush()
    }

    private func printTable(_ store: CommandStore, order: PersonOrder) async throws {
        let pageSize = limit ?? 50
        let persons: [PersonSummary]
        var next: PersonCursor?
        if let search {
            persons = try await store.searchPersons(search, limit: pageSize)
        } else {
            let page = try await store.persons(order: order, after: after.flatMap(PersonCursor.init), limit: pageSize)
            persons = page.persons
            next = page.next
        }
        if persons.isEmpty {
            Terminal.standardOutput.write(search == nil ? "No persons yet. Load events with `identikit ingest FILE` or try `identikit demo`.\n"
                                                        : "No person matches \(Escaping.quoted(search!)).\n")
            return
        }
        var table = Table("PERSON", "ID", "IDS", "EVENTS", "FIRST SEEN", "LAST SEEN", flexible: [0])
        for person in persons {
            table.add((person.isIdentified ? "● " : "○ ") + person.displayName, String(person.uuid.lowercased.prefix(8)),
                      String(person.distinctIDCount), String(person.eventCount), Human.time(person.firstSeen ?? person.createdAt),
                      Human.time(person.lastSeen))
        }
        var text = table.render(width: Terminal.standardOutput.width)
        if let next { text += "more: identikit persons --after \(next)\n" }
        Terminal.standardOutput.write(text)
    }
}
