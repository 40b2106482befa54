import ArgumentParser
import Foundation
import IdentityCore
import Ingest

struct Ingest: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load events from files into the store.",
        discussion: """
            Reads JSON Lines (one event per line), a JSON array of events, or a PostHog batch object \
            {"api_key": ..., "batch": [...]}. Gzip is recognised by content. Use - for stdin.

            Lines that are not valid events never stop the run: each becomes an invalid_event warning \
            naming its file and line (see `identikit warnings`). Ingesting the same file again changes nothing.

            Examples:
              identikit ingest events.jsonl
              identikit ingest export-*.json.gz
              cat events.jsonl | identikit ingest -
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("Files of events; - reads stdin.", valueName: "file"))
    var files: [String]

    @Flag(help: "Exit with status 2 if any input was invalid.")
    var strict = false

    @Flag(name: .shortAndLong, help: "No progress or summary on stderr.")
    var quiet = false

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Option(help: "Events per transaction.")
    var batchSize = 2000

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to ingest (or - for stdin)") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run(store: CommandStore) async throws {
        let ingestor = Ingestor(store: store, batchSize: batchSize)
        let started = Date()
        let files = self.files, quiet = self.quiet
        // Reading and decoding block: they run on a thread of their own, not in the concurrency pool.
        let total = try await onOwnThread(named: "identikit.ingest") {
            var total = IngestSummary()
            for file in files {
                let display = ProgressDisplay(quiet: quiet)
                defer { display.finish() }
                total = total + (try ingestor.ingestFile(file, progress: display.update))
            }
            return total
        }
        let seconds = Date().timeIntervalSince(started)
        if json {
            Terminal.standardOutput.write(JSONCoding.string(total) + "\n")
        } else if !quiet {
            Terminal.standardError.write(Self.summaryText(total, seconds: seconds))
        }
        if strict && total.invalid > 0 { throw ExitCode(2) }
    }

    static func summaryText(_ summary: IngestSummary, seconds: TimeInterval) -> String {
        var lines = ["ingested \(summary.events) events in \(String(format: "%.1f", seconds)) s"]
        lines.append("  duplicates skipped  \(summary.duplicates)")
        lines.append("  persons created     \(summary.personsCreated)")
        lines.append("  merges              \(summary.merges)")
        lines.append("  warnings            \(summary.warnings)")
        lines.append("  invalid lines       \(summary.invalid)")
        if summary.droppedPersonless > 0 {
            lines.append("  dropped personless  \(summary.droppedPersonless)  (merge events with $process_person_profile false)")
        }
        if summary.invalid > 0 { lines.append("see them with: identikit warnings --type invalid_event") }
        if summary.droppedPersonless > 0 {
            lines.append("see them with: identikit warnings --type invalid_event_when_process_person_profile_is_false")
        }
        if summary.noticeCount > 0 {
            lines.append("\(summary.noticeCount) events had a part of the wrong type, ignored as the rules say:")
            lines += summary.notices.prefix(20).map { "  " + Escaping.terminalSafe($0) }
            if summary.noticeCount > 20 { lines.append("  … and \(summary.noticeCount - 20) more (all in --json)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
