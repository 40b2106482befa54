import ArgumentParser
import Foundation
import IdentityCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the store: integrity, every distinct ID on one person, merge records, counts.",
        discussion: """
            Exits 0 when the store is healthy, 1 with a list of problems otherwise. Run it after a crash \
            or when something looks wrong.

            Example:
              identikit check
            """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print {\"ok\": bool, \"problems\": [...]} as JSON.")
    var json = false

    func run() throws {
        var healthy = true
        try reportingErrors {
            let report = try store.open().check()
            healthy = report.isHealthy
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
        }
        if !healthy { throw ExitCode.failure }
    }
}
