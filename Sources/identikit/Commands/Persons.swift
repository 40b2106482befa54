import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore
import Store

struct Persons: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "List persons, newest first.",
        discussion: """
            --search matches text anywhere in a distinct ID, email or name (any case; one or \
            two characters match the start only). --where keeps persons whose property is \
            (KEY=VALUE), is not (KEY!=VALUE, or has no such property) or contains (KEY~TEXT, \
            any case) a value; repeat it and every condition must hold. \
            Without --json, prints a page and the command for the next one.

            Examples:
              identikit persons
              identikit persons --search acme.com
              identikit persons --where plan=pro --where email~@acme.com --identified
              identikit persons --where plan!=free --anonymous --sort size
              identikit persons --limit 20 --after 1764000000.5:1234
              identikit persons --json > persons.json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only persons with this text anywhere in a distinct ID, email or name.")
    var search: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Only persons whose property matches: KEY=VALUE, KEY!=VALUE or KEY~TEXT (repeatable).", valueName: "condition"))
    var conditions: [String] = []

    @Flag(help: "Only identified persons.")
    var identified = false

    @Flag(help: "Only anonymous persons.")
    var anonymous = false

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
        if identified && anonymous { throw ValidationError("--identified and --anonymous exclude each other") }
        if search != nil && !filter.isEmpty { throw ValidationError("--search cannot be combined with --where, --identified or --anonymous") }
        for condition in conditions {
            do { _ = try PropertyCondition(parsing: condition) } catch { throw ValidationError("--where: \(error.description)") }
        }
    }

    /// What --where, --identified and --anonymous ask for (validated already).
    private var filter: PersonFilter {
        PersonFilter(conditions: conditions.compactMap { try? PropertyCondition(parsing: $0) },
                     identified: identified ? true : anonymous ? false : nil)
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
            try await emit(sort.sorted(try await store.searchPersons(search, limit: limit ?? 1000)))
        } else {
            var remaining = limit ?? Int.max
            var cursor = after.flatMap(PersonCursor.init)
            while remaining > 0 {
                let page = try await store.persons(order: order, descending: true, after: cursor, filter: filter,
                                                   limit: min(remaining, 1000))
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
            persons = order.sorted(try await store.searchPersons(search, limit: pageSize))
        } else {
            let page = try await store.persons(order: order, descending: true, after: after.flatMap(PersonCursor.init),
                                               filter: filter, limit: pageSize)
            persons = page.persons
            next = page.next
        }
        if persons.isEmpty, after != nil {
            Terminal.standardOutput.write("No more persons after \(after!).\n")
            return
        }
        if persons.isEmpty {
            let none = filter.isEmpty ? "No persons yet. Load events with `identikit ingest FILE` or try `identikit demo`.\n"
                                      : "No person matches \(Escaping.quoted(filter.summary)).\n"
            Terminal.standardOutput.write(search == nil ? none : "No person matches \(Escaping.quoted(search!)).\n")
            return
        }
        var table = Table("PERSON", "ID", "IDS", "EVENTS", "FIRST SEEN", "LAST SEEN", flexible: [0])
        for person in persons {
            table.add((person.isIdentified ? "● " : "○ ") + person.displayName, String(person.uuid.lowercased.prefix(8)),
                      String(person.distinctIDCount), String(person.eventCount), Human.time(person.firstSeen ?? person.createdAt),
                      Human.time(person.lastSeen))
        }
        var text = table.render(width: Terminal.standardOutput.width)
        if let next { text += "more: \(nextPageCommand(after: next, store: store))\n" }
        Terminal.standardOutput.write(text)
    }

    /// The same listing from the cursor on: every option that shaped this page, or the next page
    /// would be a different list.
    private func nextPageCommand(after next: PersonCursor, store: CommandStore) -> String {
        var words = ["identikit", "persons"]
        // The store's own description: a PostgreSQL URL without its password.
        if let db = storeOptions.db, !db.isEmpty { words += ["--db", storeOptions.isPostgres ? store.location : db] }
        for condition in conditions { words += ["--where", condition] }
        if identified { words.append("--identified") }
        if anonymous { words.append("--anonymous") }
        if sort != .firstSeen { words += ["--sort", sort.rawValue] }
        if let limit { words += ["--limit", String(limit)] }
        words += ["--after", next.description]
        return Escaping.terminalSafe(ShellWords.command(words))
    }
}
