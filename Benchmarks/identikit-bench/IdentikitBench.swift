import ArgumentParser
import Foundation
import IdentityCore
import Ingest

@main
struct IdentikitBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identikit-bench",
        abstract: "Measure identikit's ingest, capture server, merge, query and explorer speed against baselines from the same run.",
        discussion: """
            Run it in release: swift build -c release --product identikit (the capture server figures run it), then
            swift run -c release identikit-bench [--quick] [--json]
            Figures are ratios against a raw-SQLite baseline measured in the same run, since absolute \
            times on a shared machine mean little. See Benchmarks/README.md.
            """)

    @Flag(help: "Small sizes, under two minutes: what CI runs.")
    var quick = false

    @Flag(help: "Print one JSON object with every figure on stdout.")
    var json = false

    @Option(help: "Events to ingest (default 1,000,000; 100,000 with --quick).")
    var events: Int?

    @Option(help: "Alternating rounds of identikit and the baseline ingest; each side's best counts (default 2; 3 with --quick).")
    var rounds: Int?

    @Option(help: "Seed for the demo generator.")
    var seed: UInt64 = 1

    @Flag(help: "Measure only the ingest figures (ingest, baseline, ratio, peak memory): for profiling work.")
    var ingestOnly = false

    @Flag(help: "Measure only the ingest and capture server figures: for work on the server.")
    var serveOnly = false

    @Flag(help: "Measure only the explorer figures (first frame, keys; PostgreSQL's too unless --no-postgres): for work on the explorer.")
    var explorerOnly = false

    @Flag(help: "Leave out the PostgreSQL figures (they start a throwaway server with initdb and pg_ctl).")
    var noPostgres = false

    @Flag(help: "Keep the temporary directory (events file and stores) and print its path.")
    var keep = false

    static func main() {
        // The ingest runs in a child process so its peak memory is measured alone.
        let arguments = CommandLine.arguments
        if arguments.count == 4 || arguments.count == 5, arguments[1] == IngestChild.flag || arguments[1] == BaselineIngest.flag {
            // `--baseline-child FILE DB` runs the baseline alone: for profiling both sides the same way.
            do {
                if arguments[1] == IngestChild.flag {
                    try IngestChild.main(file: arguments[2], store: arguments[3], effects: arguments.count == 4)
                } else {
                    print(try BaselineIngest.run(file: arguments[2], database: arguments[3], batchSize: BaselineIngest.transactionSize))
                }
                Foundation.exit(0)
            } catch {
                FileHandle.standardError.write(Data("\(arguments[1]): \(error)\n".utf8))
                Foundation.exit(1)
            }
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    mutating func run() throws {
        let workspace = try Workspace()
        let log: (String) -> Void = { FileHandle.standardError.write(Data("· \($0)\n".utf8)) }
        if keep {
            workspace.keep = true
            log("keeping \(workspace.url.path)")
        }
        let started = Date()
        let explorerPersons = quick ? 100_000 : 1_000_000
        if explorerOnly {
            let explorer = try ExplorerBenchmark(persons: explorerPersons).run(in: workspace, log: log)
            let postgres = noPostgres ? nil : try PostgresBenchmark(explorerPersons: explorerPersons).explorerOnly(log: log)
            print(json ? JSONWriter.string(Report.explorerJSON(explorer, postgres: postgres)) : Report.explorerText(explorer, postgres: postgres))
            return
        }

        let ingest = try IngestBenchmark(events: events ?? (quick ? 100_000 : 1_000_000), seed: seed,
                                         rounds: rounds ?? (quick ? 3 : 2)).run(in: workspace, log: log)
        if ingestOnly {
            print(json ? JSONWriter.string(Report.ingestJSON(ingest)) : Report.ingestText(ingest))
            return
        }
        let serve = try ServeBenchmark().run(eventsFile: workspace.path("events.jsonl"), in: workspace, log: log)
        if serveOnly {
            print(json ? JSONWriter.string(.object(Report.ingestFields(ingest).merging(Report.serveFields(serve, ingest: ingest)) { $1 }))
                       : Report.serveText(serve, ingest: ingest))
            return
        }
        let merge = try MergeBenchmark(largeEvents: quick ? 100_000 : 1_000_000).run(in: workspace, log: log)
        let explorer = try ExplorerBenchmark(persons: explorerPersons).run(in: workspace, log: log)
        let queries = try QueryBenchmark().run(storePath: workspace.path("explorer.sqlite"), log: log)
        let postgres = noPostgres ? nil : try PostgresBenchmark(explorerPersons: explorerPersons)
            .run(eventsFile: workspace.path("events.jsonl"), in: workspace, log: log)

        let report = Report(ingest: ingest, serve: serve, merge: merge, explorer: explorer, queries: queries, postgres: postgres, quick: quick,
                            totalSeconds: Date().timeIntervalSince(started))
        print(json ? JSONWriter.string(report.json) : report.text)
    }
}
