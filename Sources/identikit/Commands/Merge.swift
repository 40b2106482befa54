import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore

struct Merge: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the person of SOURCE_ID into the person of TARGET_ID.",
        discussion: """
            A safe merge follows the $create_alias rule: it refuses when the source person is already \
            identified. --force merges anyway, like $merge_dangerously. Generic IDs (null, anonymous, \
            an email placeholder...) are never merged. Every merge can be undone with `identikit undo`.

            Examples:
              identikit merge alice@example.com anon-123 --dry-run
              identikit merge alice@example.com anon-123
              identikit merge alice alice-work --force
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("A distinct ID of the person that stays.", valueName: "target-id"))
    var target: String

    @Argument(help: ArgumentHelp("A distinct ID of the person merged into it.", valueName: "source-id"))
    var source: String

    @Flag(help: "Merge even though the source person is identified.")
    var force = false

    @Flag(help: "Only show what the merge would do.")
    var dryRun = false

    @Flag(help: "Print JSON.")
    var json = false

    func run(store: CommandStore) async throws {
        let target = self.target, source = self.source, force = self.force
        let preview = try await store.read { engine, storage in try engine.previewMerge(target: target, source: source, in: storage) }
        if dryRun {
            Terminal.standardOutput.write(json ? JSONCoding.string(Self.previewJSON(preview), pretty: true) + "\n"
                                               : Self.previewText(preview, width: Terminal.standardOutput.width))
            return
        }
        let action = try await store.write { engine, storage in
            try engine.manualMerge(target: target, source: source, force: force, in: storage, now: Date())
        }
        if json {
            Terminal.standardOutput.write(JSONCoding.string(JSONShapes.action(action), pretty: true) + "\n")
        } else {
            Terminal.standardOutput.write("""
                merged \(preview.source.uuid.lowercased) into \(preview.target.uuid.lowercased) (merge \(action.id ?? 0)); \
                the person now has \(Human.count(preview.resultingDistinctIDs.count, "distinct ID"))
                undo with: identikit undo \(action.id ?? 0)

                """)
        }
    }

    static func previewJSON(_ preview: MergePreview) -> JSONValue {
        .object([
            "target_person": .string(preview.target.uuid.lowercased),
            "source_person": .string(preview.source.uuid.lowercased),
            "distinct_ids": .array(preview.resultingDistinctIDs.map(JSONValue.string)),
            "properties": .array(preview.plan.properties.map { outcome in
                .object(["key": .string(outcome.key), "value": outcome.value, "from": .string(outcome.side.rawValue),
                         "overridden": outcome.overridden ?? .null])
            }),
            "refused": preview.refusalText.map(JSONValue.string) ?? .null,
            "can_force": .bool(preview.canForce),
        ])
    }

    static func previewText(_ preview: MergePreview, width: Int) -> String {
        var out = "Merge preview: \(Escaping.quoted(preview.sourceDistinctID)) (\(preview.source.uuid.lowercased)) into \(Escaping.quoted(preview.targetDistinctID)) (\(preview.target.uuid.lowercased))\n\n"
        out += "Distinct IDs after the merge (\(preview.resultingDistinctIDs.count)):\n"
        for id in preview.resultingDistinctIDs {
            let side = preview.sourceDistinctIDs.contains(id) ? "from source" : "target"
            out += "  \(Escaping.terminalSafe(id))  (\(side))\n"
        }
        var table = Table("PROPERTY", "VALUE", "FROM", "LOSING VALUE", flexible: [1, 3])
        for outcome in preview.plan.properties {
            table.add(outcome.key, Human.value(outcome.value), outcome.side.rawValue, outcome.overridden.map(Human.value) ?? "")
        }
        out += "\n" + (preview.plan.properties.isEmpty ? "No properties.\n" : table.render(width: width))
        if let refusal = preview.refusalText {
            out += "\nA safe merge is refused: \(refusal)\n"
            if preview.canForce { out += "To merge these identified persons anyway: add --force\n" }
        } else {
            out += "\nThe safe rule allows this merge. Run again without --dry-run to merge.\n"
        }
        return out
    }
}
