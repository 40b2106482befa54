import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore

struct Warnings: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "List ingestion warnings: refused merges, illegal IDs, invalid input.",
        discussion: """
            Without --type, prints a summary by type, then the latest warnings.
            Types: \(WarningType.allCases.map(\.rawValue).joined(separator: ", ")).

            Examples:
              identikit warnings
              identikit warnings --type invalid_event
              identikit warnings --json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only warnings of this type.")
    var type: WarningType?

    @Option(help: "Only warnings that mention this text (an ID, a file name).")
    var search: String?

    @Option(help: "At most this many warnings (default: 50 in a table, all with --json).")
    var limit: Int?

    @Flag(help: "Print a JSON array of warnings.")
    var json = false

    func run(store: CommandStore) async throws {
        if json {
            let output = BufferedOutput()
            output.write("[")
            var first = true
            var before: Int64?
            var remaining = limit ?? Int.max
            while remaining > 0 {
                let page = try await store.warnings(type: type, containing: search, before: before, limit: min(remaining, 1000))
                for warning in page {
                    output.write((first ? "\n" : ",\n") + JSONCoding.string(JSONShapes.warning(warning)))
                    first = false
                }
                remaining -= page.count
                guard page.count == 1000, let last = page.last?.id else { break }
                before = last
            }
            output.write(first ? "]\n" : "\n]\n")
            output.flush()
            return
        }
        let width = Terminal.standardOutput.width
        var out = ""
        if type == nil && search == nil {
            let groups = try await store.warningGroups()
            guard !groups.isEmpty else {
                Terminal.standardOutput.write("No warnings.\n")
                return
            }
            var summary = Table("TYPE", "COUNT", "LAST SEEN", "MEANING", flexible: [3])
            for group in groups {
                summary.add(group.type.rawValue, String(group.count), Human.time(group.lastSeen), group.type.summary)
            }
            out += summary.render(width: width) + "\n"
        }
        let warnings = try await store.warnings(type: type, containing: search, before: nil, limit: limit ?? 50)
        var table = Table("ID", "TYPE", "DISTINCT IDS", "DETAILS", "SOURCE", flexible: [2, 3, 4], keepEnd: [4])
        for warning in warnings {
            let details = warning.details.sorted { $0.key < $1.key }.map { "\($0.key)=\(Human.value($0.value))" }
            table.add(String(warning.id ?? 0), warning.type.rawValue, warning.distinctIDs.joined(separator: ", "),
                      details.joined(separator: " "), warning.source ?? "-")
        }
        out += warnings.isEmpty ? "No warnings match.\n" : table.render(width: width)
        Terminal.standardOutput.write(out)
    }
}
