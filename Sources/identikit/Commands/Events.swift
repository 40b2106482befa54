import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore

struct Events: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "List events, newest first: all, for one distinct ID, or for one person.",
        discussion: """
            Examples:
              identikit events --limit 20
              identikit events --distinct-id anon-123
              identikit events --person alice@example.com --json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only events sent with this distinct ID.")
    var distinctID: String?

    @Option(help: ArgumentHelp("Only events of this person (a distinct ID or person uuid), across all its IDs.", valueName: "id"))
    var person: String?

    @Option(help: "At most this many events.")
    var limit = 50

    @Flag(help: "Print JSON Lines, one event per line.")
    var json = false

    func validate() throws {
        if distinctID != nil && person != nil { throw ValidationError("give --distinct-id or --person, not both") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run(store: CommandStore) async throws {
        let events: [StoredEvent]
        if let person {
            guard let found = try await store.resolvePerson(person), let rowID = found.rowID else {
                throw IdentityError.unknownPerson(person)
            }
            events = try await store.events(personID: rowID, before: nil, limit: limit)
        } else {
            events = try await store.events(distinctID: distinctID, before: nil, limit: limit)
        }
        if json {
            let output = BufferedOutput()
            for event in events { output.write(JSONCoding.string(JSONShapes.event(event)) + "\n") }
            output.flush()
            return
        }
        guard !events.isEmpty else {
            Terminal.standardOutput.write("No events.\n")
            return
        }
        var table = Table("SEQ", "TIME", "EVENT", "DISTINCT ID", "PROPERTIES", flexible: [2, 3, 4])
        for event in events {
            table.add(String(event.seq), Human.time(event.timestamp), event.name, event.distinctID,
                      JSONCoding.string(JSONValue.object(event.properties)))
        }
        Terminal.standardOutput.write(table.render(width: Terminal.standardOutput.width))
    }
}
