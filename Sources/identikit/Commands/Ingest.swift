import ArgumentParser
import Foundation
import IdentityCore
import Ingest

struct Ingest: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load events from files, folders and PostHog exports into the store.",
        discussion: """
            Reads JSON Lines (one event per line), a JSON array of events, or a PostHog batch object \
            {"api_key": ..., "batch": [...]}. gzip and zstd are recognised by content, brotli by a .br name. \
            Use - for stdin.

            PostHog's events exports are read as they come: rows of uuid, event, distinct_id, properties \
            (an object or JSON-encoded text) and timestamp ("2024-01-02 03:04:05.123456" is UTC); \
            person_id, person_properties, elements_chain, created_at and _inserted_at are ignored: persons \
            are rebuilt from the events' $identify, $set and $set_once. A folder ingests every .jsonl, \
            .ndjson and .json file under it (compressed or not) in name order; a manifest \
            (manifest.json or <start>-<end>_manifest.json, {"files": [...]}) ingests the files it names, \
            in its order. Parquet files are refused: export JSON Lines.

            Lines that are not valid events never stop the run: each becomes an invalid_event warning \
            naming its file and line (see `identikit warnings`). A truncated or corrupt compressed file \
            stops the run with an error naming it and how far it got; the events before it are kept. \
            Ingesting the same file again changes nothing.

            Examples:
              identikit ingest events.jsonl
              identikit ingest export-*.json.gz
              identikit ingest posthog-export/          # every export file, in name order
              identikit ingest posthog-export/manifest.json
              identikit ingest events.jsonl.br events.jsonl.zst
              cat events.jsonl | identikit ingest -
              identikit ingest --durable events.jsonl   # each batch synced to disk
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("Files of events, folders of them, or export manifests; - reads stdin.", valueName: "file"))
    var files: [String]

    @Flag(help: "Exit with status 2 if any input was invalid.")
    var strict = false

    @Flag(name: .shortAndLong, help: "No progress or summary on stderr.")
    var quiet = false

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Option(help: ArgumentHelp(
        "Events per transaction: a crash loses at most the one in flight, which running the same ingest again redoes.",
        discussion: "Larger transactions write the store's busiest pages to its log less often. Into PostgreSQL, at most 2,000."))
    var batchSize = Ingestor.defaultBatchSize

    @Flag(help: ArgumentHelp(
        "Sync every commit to disk (SQLite synchronous=FULL), so it survives a power loss, not only a crash; slower.",
        discussion: "Without it a commit survives the process being killed; a power loss may lose the last commits (never half of one)."))
    var durable = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to ingest (or - for stdin)") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func openStore() async throws -> CommandStore { try await storeOptions.open(durable: durable) }

    func run(store: CommandStore) async throws {
        var configured = Ingestor(store: store, batchSize: batchSize)
        configured.writerPause = TestHooks.writerPause
        if let chunkEvents = TestHooks.chunkEvents { configured.chunkEvents = chunkEvents }
        let ingestor = configured
        let started = Date()
        let quiet = self.quiet
        // Folders and manifests are listed (and checked: Parquet, missing files) before anything is stored.
        let listings = try files.map(ExportFiles.expand)
        let paths = listings.flatMap(\.files)
        let skipped = listings.flatMap(\.skipped)
        if !skipped.isEmpty, !quiet {
            let names = skipped.prefix(3).map { Escaping.terminalSafe($0) }.joined(separator: ", ")
            Terminal.standardError.write("skipping \(Human.count(skipped.count, "file")) that \(skipped.count == 1 ? "is" : "are") not .jsonl/.ndjson/.json: \(names)\(skipped.count > 3 ? ", …" : "")\n")
        }
        // Reading and decoding block: they run on a thread of their own, not in the concurrency pool.
        let total = try await onOwnThread(named: "identikit.ingest") {
            var total = IngestSummary()
            let display = ProgressDisplay(quiet: quiet)
            defer { display.finish() }
            var inputsBefore = 0
            for (index, path) in paths.enumerated() {
                do {
                    let summary = try ingestor.ingestFile(path) { progress in
                        display.update(progress, file: index + 1, of: paths.count, inputsBefore: inputsBefore)
                    }
                    total = total + summary
                    inputsBefore += summary.events + summary.duplicates + summary.invalid + summary.droppedPersonless + summary.actions
                } catch {
                    let later = paths.count - index - 1
                    throw later == 0 ? error : Failure("\(error); \(later == 1 ? "the file after it was" : "the \(later) files after it were") not read")
                }
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
