import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore

struct Events: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "List events, newest first: all, for one distinct ID, or for one person; or follow them as they arrive.",
        discussion: """
            --effects adds what each event did to identity: new person, existing person, linked ID, \
            merged (with the merge's action number, for `identikit undo`), refused (with the warning), \
            illegal ID, personless; the person properties it set, set once, unset or skipped and why; \
            copies of it (same uuid) that were ignored. Events stored before identikit recorded effects \
            show "unknown".

            --follow prints the last few events, then every event any process (serve, ingest) commits, \
            oldest first with its effect, until Ctrl-C, like `tail -f`.

            --json prints one JSON object per line, with an "effect" object (null when unknown).

            Examples:
              identikit events --limit 20
              identikit events --distinct-id anon-123 --effects
              identikit events --person alice@example.com --json
              identikit events --follow
              identikit events --follow --distinct-id anon-123 --json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only events sent with this distinct ID.")
    var distinctID: String?

    @Option(help: ArgumentHelp("Only events of this person (a distinct ID or person uuid), across all its IDs.", valueName: "id"))
    var person: String?

    @Option(help: "At most this many events (50; with --follow, the last 10 before following).")
    var limit: Int?

    @Flag(help: "Show what each event did to identity.")
    var effects = false

    @Flag(help: "Keep printing events as they are committed, until Ctrl-C.")
    var follow = false

    @Flag(help: "Print JSON Lines, one event per line.")
    var json = false

    func validate() throws {
        if distinctID != nil && person != nil { throw ValidationError("give --distinct-id or --person, not both") }
        if let limit, limit < 0 || (limit < 1 && !follow) { throw ValidationError("--limit must be at least 1") }
    }

    func run(store: CommandStore) async throws {
        if follow {
            try await EventFollow(store: store, distinctID: distinctID, person: person, backlog: limit ?? 10, json: json).run()
            return
        }
        let limit = self.limit ?? 50
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
            try output.finish()
            return
        }
        guard !events.isEmpty else {
            // Named, so a mistyped ID reads as one ("no events" alone looks like an empty store).
            let scope = distinctID.map { " with distinct ID \(Escaping.quoted($0))" } ?? person.map { " of the person \(Escaping.quoted($0))" } ?? ""
            Terminal.standardOutput.write("No events\(scope).\n")
            return
        }
        var table = effects
            ? Table("SEQ", "TIME", "EVENT", "DISTINCT ID", "EFFECT", "PROPERTIES", flexible: [2, 3, 4, 5])
            : Table("SEQ", "TIME", "EVENT", "DISTINCT ID", "PROPERTIES", flexible: [2, 3, 4])
        for event in events {
            let properties = JSONCoding.string(JSONValue.object(event.properties))
            if effects {
                table.add(String(event.seq), Human.time(event.timestamp), event.name, event.distinctID,
                          EventEffect.summary(event.effect, duplicates: event.duplicates), properties)
            } else {
                table.add(String(event.seq), Human.time(event.timestamp), event.name, event.distinctID, properties)
            }
        }
        Terminal.standardOutput.write(table.render(width: Terminal.standardOutput.width))
    }
}
