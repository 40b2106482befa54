import ArgumentParser
import Foundation
import IdentityCore

struct Check: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the store: integrity, every distinct ID on one person, merge records, counts, search indexes.",
        discussion: """
            Exits 0 when the store is healthy, 1 with a list of problems otherwise. Run it after a crash \
            or when something looks wrong.

            The counts `stats` and the explorer show are kept as rows come and go (since schema 7). If an \
            older identikit wrote to the store after a newer one upgraded it, `check` names the count \
            that is off and `check --recount` sets it from the rows.

            Examples:
              identikit check
              identikit check --recount
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print {\"ok\": bool, \"problems\": [...]} as JSON.")
    var json = false

    @Flag(help: "First set the kept counts (persons, distinct IDs, events) from the rows, then check.")
    var recount = false

    func run(store: CommandStore) async throws {
        if recount { try await store.recountRows() }
        let report = try await store.check()
        if json {
            Terminal.standardOutput.write(JSONCoding.string(JSONValue.object([
                "ok": .bool(report.isHealthy), "problems": .array(report.problems.map(JSONValue.string)),
            ])) + "\n")
        } else if report.isHealthy {
            let s = report.stats
            Terminal.standardOutput.write("store OK: \(s.persons) persons, \(s.distinctIDs) distinct IDs, \(s.events) events, \(s.warnings) warnings, \(s.merges) merges\n")
        } else {
            Terminal.standardOutput.write("store has \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"):\n"
                + report.problems.map { "  - \($0)\n" }.joined())
        }
        // The list is the report; exit 1 without a second message.
        if !report.isHealthy { throw ExitCode.failure }
    }
}
