import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore

struct PersonCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Show one person: properties with where each came from, distinct IDs, merge history.",
        discussion: """
            ID is one of the person's distinct IDs, its uuid, or the start of its uuid (the 8 \
            characters `identikit persons` shows), when that names one person.

            Examples:
              identikit person alice@example.com
              identikit person 5f0c3e2a-1b2c-5d3e-8f4a-0123456789ab --json
              identikit person alice@example.com --history plan
              identikit person alice@example.com --history '$current_url' --json

            --history KEY lists every write the property KEY had, oldest first: each event's \
            $set, $set_once or $unset of it (applied, or skipped and why: already set, churn \
            filter, unchanged, size limit) and each merge that brought a value.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("A distinct ID or person uuid.", valueName: "id"))
    var id: String

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp("Show every write of this property instead of the person.", valueName: "key"))
    var history: String?

    func run(store: CommandStore) async throws {
        guard let detail = try await store.personDetail(id) else { throw IdentityError.unknownPerson(id) }
        if let key = history {
            guard let rowID = detail.person.rowID else { throw IdentityError.unknownPerson(id) }
            let writes = try await store.propertyHistory(personID: rowID, key: key)
            if json {
                Terminal.standardOutput.write(JSONCoding.string(JSONValue.array(writes.map(JSONShapes.propertyWrite)), pretty: true) + "\n")
            } else {
                Terminal.standardOutput.write(Self.historyText(key: key, detail: detail, writes: writes, width: Terminal.standardOutput.width))
            }
            return
        }
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
        out += "created \(Human.time(person.createdAt)) · version \(person.version) · \(detail.eventCount) events\n"
        out += "first seen \(Human.time(detail.firstSeen)) · last seen \(Human.time(detail.lastSeen))\n\n"

        var properties = Table("PROPERTY", "VALUE", "SET BY", "EVENT", "AT", flexible: [1, 2, 3])
        for key in person.properties.keys.sorted() {
            let source = person.provenance[key]
            var setBy = source?.operation.rawValue ?? "-"
            if let skipped = person.skippedWrites[key] {
                setBy += " (newer value \(Human.value(skipped.value)) skipped: \(skipped.reason.shown.words))"
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

    static func historyText(key: String, detail: PersonDetail, writes: [PropertyWrite], width: Int) -> String {
        let current = detail.person.properties[key].map(Human.value) ?? "(not set)"
        let out = "Property \(Escaping.quoted(key)) of person \(detail.person.uuid.lowercased): now \(Escaping.terminalSafe(current))\n\n"
        guard !writes.isEmpty else { return out + "No event or merge ever wrote it.\n" }
        var table = Table("AT", "EVENT", "OP", "VALUE", "RESULT", "DISTINCT ID", flexible: [1, 3, 5])
        for write in writes {
            let event = write.actionID.map { "\(write.event) (action \($0))" } ?? write.event
            table.add(Human.time(write.at), event, write.operation.rawValue, write.value.map(Human.value) ?? "-",
                      write.applied ? "written" : "skipped: \(write.reason?.words ?? "?")", write.distinctID ?? "-")
        }
        return out + table.render(width: width)
    }
}
