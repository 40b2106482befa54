import ArgumentParser
import DemoData
import Explorer
import Foundation
import IdentityCore
import SQLiteStore
import Ingest

struct Demo: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a store of realistic synthetic events to explore.",
        discussion: """
            The demo has anonymous browsing, sign-ups, logins on several devices, backend events before \
            the frontend identifies, shared devices, generic IDs that get refused, aliases, forced merges, \
            duplicate sign-ups and a few broken events. The same seed always gives the same store.

            Without --db it writes a fresh demo.sqlite next to the default store, replacing an earlier demo; \
            your own store (the default one, or $IDENTIKIT_DB) is never touched. With --db the file must be \
            new or empty.

            Examples:
              identikit demo
              identikit demo --persons 5000 --seed 7
              identikit demo --db /tmp/demo.sqlite
              identikit demo --no-open

            It then opens the explorer on the demo store (unless --no-open, or output is not a terminal).
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "How many persons' stories to generate.")
    var persons = 300

    @Option(help: "Seed for the generator.")
    var seed: UInt64 = 1

    @Flag(help: "Only build the store; do not open the explorer on it.")
    var noOpen = false

    func validate() throws {
        if persons < 1 { throw ValidationError("--persons must be at least 1") }
    }

    /// Only an explicit `--db` puts the demo elsewhere: $IDENTIKIT_DB names the user's own store
    /// (perhaps a team's PostgreSQL database), which the demo never writes into.
    var namesStore: Bool { !(storeOptions.db ?? "").isEmpty }

    /// The demo's own file unless `--db` names one.
    var path: String {
        namesStore
            ? storeOptions.path
            : ((StoreOptions.defaultPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("demo.sqlite")
    }

    /// The demo's own file replaces an earlier demo; a file named with --db is opened as it is.
    func openStore() async throws -> CommandStore {
        guard !namesStore else { return try await storeOptions.open() }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return try SQLitePersonStore(path: path, createDirectory: true)
    }

    func run(store: CommandStore) async throws {
        guard try await store.stats().events == 0 else {
            throw Failure("the store already holds events; the demo writes only into a new or empty store: \(path)")
        }
        let started = Date()
        let persons = self.persons, seed = self.seed
        // Generating and ingesting block: on a thread of their own, not in the concurrency pool.
        let summary = try await onOwnThread(named: "identikit.demo") { try Self.build(into: store, persons: persons, seed: seed) }
        Terminal.standardError.write(Ingest.summaryText(summary, seconds: Date().timeIntervalSince(started)))
        let location = store.location
        Terminal.standardOutput.write("demo store written to \(location)\nexplore it with: identikit --db \(location)\n")
        // Open the explorer on it, when there is a terminal to open it in.
        if !noOpen, isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 {
            if let signal = try await onOwnThread(named: "identikit.explorer", { try ExplorerApp.run(store: store) }) {
                throw ExitCode(128 + signal)
            }
        }
    }

    /// Generates the demo events and ingests them through the same path as `identikit ingest`.
    static func build(into store: CommandStore, persons: Int, seed: UInt64) throws -> IngestSummary {
        let ingestor = Ingestor(store: store)
        var summary = IngestSummary()
        var batch: [ValidatedInput] = []
        for (line, event) in DemoGenerator(persons: persons, seed: seed).enumerated() {
            let raw = JSONCoding.string(event)
            batch.append(EventValidator.validate(event, rawText: raw, location: InputLocation(source: "demo", line: line + 1)))
            if batch.count == ingestor.batchSize {
                summary = summary + (try ingestor.ingest(batch))
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { summary = summary + (try ingestor.ingest(batch)) }
        return summary
    }
}
