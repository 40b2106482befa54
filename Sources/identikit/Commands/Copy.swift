import ArgumentParser
import Foundation
import IdentityCore
import Ingest
import Store

struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a whole store into an empty one: SQLite to PostgreSQL, or back.",
        discussion: """
            Every event, rejected input and manual merge, undo and split is replayed, in the order it \
            happened, through the same rules into the empty store, so it ends with the same persons, \
            distinct IDs, properties, warnings and history. Both stores are checked afterwards and their \
            counts compared; the exit status is 1 if they differ.

            Examples:
              identikit copy --from identikit.sqlite --to postgres://me@db.internal/ids
              identikit copy --from postgres://me@db.internal/ids --to snapshot.sqlite
            """)

    @Option(help: ArgumentHelp("The store to copy: a SQLite file or a PostgreSQL URL.", valueName: "path-or-url"))
    var from: String

    @Option(help: ArgumentHelp("The empty store to copy into (created if it is a new SQLite file).", valueName: "path-or-url"))
    var to: String

    @Flag(name: .shortAndLong, help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Print {\"from\": STATS, \"to\": STATS, \"equal\": bool} on stdout.")
    var json = false

    func validate() throws {
        if from == to { throw ValidationError("--from and --to name the same store") }
    }

    func run() async throws {
        try await reportingErrors {
            try StoreOptions.checkExists(from)
            let source = try await StoreOptions.open(from)
            let target = try await StoreOptions.open(to)
            let before = try await target.stats()
            guard before.events == 0, before.persons == 0, before.warnings == 0 else {
                throw Failure("the store to copy into is not empty (\(before.persons) persons, \(before.events) events): \(target.location)")
            }
            // Through a file: the export streams out of one store at its pace, the ingest in at the
            // other's, with its progress bar; memory stays flat however big the store.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("identikit-copy-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw Failure("cannot write a temporary file: \(String(cString: strerror(errno))): \(file.path)") }
            let output = BufferedOutput(descriptor: descriptor)
            try await source.exportRecords { output.write(JSONCoding.string($0) + "\n") }
            try output.finish()
            close(descriptor)

            let quiet = self.quiet, path = file.path
            let summary = try await onOwnThread(named: "identikit.copy") {
                let display = ProgressDisplay(quiet: quiet)
                defer { display.finish() }
                return try Ingestor(store: target).ingestFile(path, progress: display.update)
            }
            let (fromReport, toReport) = (try await source.check(), try await target.check())
            let equal = fromReport.stats == toReport.stats
            if json {
                func value(_ stats: StoreStats) throws -> JSONValue { try JSONCoding.parse(JSONCoding.data(stats)) }
                let object: JSONValue = .object(["from": try value(fromReport.stats), "to": try value(toReport.stats),
                                                 "equal": .bool(equal), "problems": .array((fromReport.problems + toReport.problems).map(JSONValue.string))])
                Terminal.standardOutput.write(JSONCoding.string(object, pretty: true) + "\n")
            } else {
                Terminal.standardError.write("copied \(summary.events) events and \(summary.actions) manual actions "
                    + "from \(Escaping.terminalSafe(source.location)) to \(Escaping.terminalSafe(target.location))\n")
                for (name, report) in [("from", fromReport), ("to", toReport)] {
                    let s = report.stats
                    Terminal.standardError.write("  \(name.padding(toLength: 4, withPad: " ", startingAt: 0)) \(s.persons) persons, "
                        + "\(s.distinctIDs) distinct IDs, \(s.events) events, \(s.warnings) warnings, \(s.merges) merges in force"
                        + (report.isHealthy ? ", check passed\n" : ", check found \(report.problems.count) problems\n"))
                }
            }
            guard equal, fromReport.isHealthy, toReport.isHealthy else {
                throw Failure("the copy differs from its source or a check failed: "
                    + (fromReport.problems + toReport.problems).prefix(5).joined(separator: "; "))
            }
        }
    }
}
