import ArgumentParser
import Foundation
import IdentityCore

struct Undo: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Undo a merge: bring the merged-away person back with its distinct IDs and properties.",
        discussion: """
            MERGE_ID is the action number shown by `identikit person` (history) or printed by `identikit merge`. \
            Merges made by $identify, $create_alias and $merge_dangerously events can be undone too. \
            Properties a later event changed keep their later value. A group merge (M on the \
            explorer's Duplicates screen) is one action: undoing its number brings every person back; \
            the merges it is made of cannot be undone one by one.

            Example:
              identikit undo 12
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The merge's action id.", valueName: "merge-id"))
    var mergeID: Int64

    @Flag(help: "Print JSON.")
    var json = false

    func run(store: CommandStore) async throws {
        let mergeID = self.mergeID
        let report = try await store.write { engine, storage in try engine.undo(mergeID, in: storage, now: Date()) }
        if json {
            Terminal.standardOutput.write(JSONCoding.string(JSONValue.object([
                "undo": JSONShapes.action(report.undo),
                "restored_person": .string(report.restoredPersonUUID.lowercased),
                "moved_back": .array(report.movedBack.map(JSONValue.string)),
                "left_in_place": .array(report.leftInPlace.map(JSONValue.string)),
                "kept_keys": .array(report.keptKeys.map(JSONValue.string)),
            ]), pretty: true) + "\n")
            return
        }
        var out = "undid \(report.undo.sourceUUID == nil ? "group merge" : "merge") \(mergeID) (action \(report.undo.id ?? 0)): restored person \(report.restoredPersonUUID.lowercased)\n"
        out += "  moved back: \(report.movedBack.map(Escaping.terminalSafe).joined(separator: ", "))\n"
        if !report.leftInPlace.isEmpty {
            out += "  left where they are now (they moved again after the merge): \(report.leftInPlace.map(Escaping.terminalSafe).joined(separator: ", "))\n"
        }
        if !report.keptKeys.isEmpty {
            out += "  kept at their later value: \(report.keptKeys.map(Escaping.terminalSafe).joined(separator: ", "))\n"
        }
        Terminal.standardOutput.write(out)
    }
}
