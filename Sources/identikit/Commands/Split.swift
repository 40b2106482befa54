import ArgumentParser
import Foundation
import IdentityCore

struct Split: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move chosen distinct IDs off a person, each into a new person of its own.",
        discussion: """
            The events of the moved IDs follow them. The person keeps its properties; the new persons start empty.

            Example:
              identikit split alice@example.com --ids shared-tablet,device-5
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The person: a distinct ID or person uuid.", valueName: "id"))
    var person: String

    @Option(help: ArgumentHelp("Comma-separated distinct IDs to split off.", valueName: "a,b"))
    var ids: String

    @Flag(help: "Print JSON.")
    var json = false

    var idList: [String] { ids.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

    func validate() throws {
        if idList.isEmpty { throw ValidationError("--ids needs at least one distinct ID") }
    }

    func run(store: CommandStore) async throws {
        let person = self.person, idList = self.idList
        let action = try await store.write { engine, storage in try engine.split(person: person, distinctIDs: idList, in: storage, now: Date()) }
        if json {
            var object = JSONShapes.action(action).objectValue!
            object["created_persons"] = .array(action.details.createdPersons.map { .string($0.lowercased) })
            Terminal.standardOutput.write(JSONCoding.string(JSONValue.object(object), pretty: true) + "\n")
        } else {
            Terminal.standardOutput.write("split \(Human.count(action.distinctIDs.count, "distinct ID")) into new persons (action \(action.id ?? 0)):\n"
                + zip(action.distinctIDs, action.details.createdPersons).map { "  \(Escaping.terminalSafe($0)) → \($1.lowercased)\n" }.joined())
        }
    }
}
