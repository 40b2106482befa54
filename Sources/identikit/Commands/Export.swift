import ArgumentParser
import Foundation
import IdentityCore

struct Export: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write everything ingested, in order, as JSON Lines that `identikit ingest` replays.",
        discussion: """
            The export holds every event, the raw text of rejected inputs, and manual merges, undos and \
            splits as replayable records. Ingesting it into an empty store reproduces the same persons, \
            properties and warnings: it is your backup.

            Examples:
              identikit export --out backup.jsonl
              identikit export | gzip > backup.jsonl.gz
              identikit ingest backup.jsonl --db restored.sqlite
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var out: String?

    func run(store: CommandStore) async throws {
        var descriptor = STDOUT_FILENO
        if let out {
            descriptor = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else { throw Failure("cannot write the export: \(String(cString: strerror(errno))): \(out)") }
        }
        defer { if descriptor != STDOUT_FILENO { close(descriptor) } }
        let output = BufferedOutput(descriptor: descriptor)
        var records = 0
        try await store.exportRecords { record in
            output.write(JSONCoding.string(record) + "\n")
            records += 1
        }
        try output.finish()
        if let out { Terminal.standardError.write("exported \(records) records to \(out)\n") }
    }
}
