import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore

struct PersonCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Show one person: properties with where each came from, distinct IDs, merge history.",
        discussion: """
            ID is one of the person's distinct IDs, or its uuid.

            Examples:
              identikit person alice@example.com
              identikit person 5f0c3e2a-1b2c-5d3e-8f4a-0123456789ab --json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("A distinct ID or person uuid.", valueName: "id"))
    var id: String

    @Flag(help: "Print JSON.")
    var json = false

    func run(store: CommandStore) async throws {
        guard let detail = try await store.personDetail(id) else { throw IdentityError.unknownPerson(id) }
        if json {
            var object = JSONShapes.person(detail.person, distinctIDs: detail.distinctIDs.map(\.distinctID)).objectValue!
            object["distinct_id_details"] = .array(detail.distinctIDs.map(JSONShapes.distinctID))
            object["provenance"] = JSONShapes.provenance(of: detail.person)
            object["history"] = .array(detail.history.map(JSONShapes.action))
            object["event_count"] = .int(Int64(detail.eventCount))
            Terminal.standardOutput.write(JSONCoding.string(JSONValue.object(object), pretty: true) + "\n")
        } else {
            Terminal.standardOutput.write(Self.text(detail, width: Terminal.standardOutput.width))
        }
    }

    static func text(_ detail: PersonDetail, width: Int) -> String {
        let person = detail.person
        var out = "Person \(person.uuid.lowercased)\(person.isIdentified ? "  (identified)" : "")\n"
        out += "created \(Human.time(person.createdAt)) · \(detail.eventCount) events · first seen \(Human.time(detail.firstSeen)) · last seen \(Human.time(detail.lastSeen)) · version \(person.version)\n\n"

        var properties = Table("PROPERTY", "VALUE", "SET BY", "EVENT", "AT", flexible: [1, 3])
        for key in person.properties.keys.sorted() {
            let source = person.provenance[key]
            var setBy = source?.operation.rawValue ?? "-"
            if let skipped = person.skippedWrites[key] {
                setBy += " (newer value \(Human.value(skipped.value)) skipped: \(skipped.reason.rawValue))"
            }
            properties.add(key, Human.value(person.properties[key]!), setBy, source?.event ?? "-", Human.time(source?.at))
        }
        out += person.properties.isEmpty ? "No properties.\n" : properties.render(width: width)

        var ids = Table("DISTINCT ID", "JOINED", "HOW", flexible: [0])
        for record in detail.distinctIDs {
            ids.add(record.distinctID, Human.time(record.joinedAt), record.how.rawValue + (record.actionID.map { " (action \($0))" } ?? ""))
        }
        out += "\n" + ids.render(width: width)

        if !detail.history.isEmpty {
            var history = Table("ACTION", "KIND", "AT", "IDS", "STATE", flexible: [3])
            for action in detail.history {
                let role = action.sourceUUID == person.uuid && action.kind.isMerge ? " (merged away)" : ""
                history.add(String(action.id ?? 0), action.kind.rawValue + role, Human.time(action.at),
                            action.distinctIDs.joined(separator: ", "),
                            action.undoneBy.map { "undone by \($0)" } ?? "in force")
            }
            out += "\n" + history.render(width: width)
        }
        return out
    }
}
