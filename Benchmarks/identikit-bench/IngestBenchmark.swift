import Foundation
import IdentityCore
import Ingest
import PostgresStore
import SQLiteStore

/// Figure 1 and 2: identikit's ingest of a demo file against the raw-SQLite baseline, and its peak memory.
struct IngestBenchmark {
    var events: Int
    var seed: UInt64
    /// Alternating rounds of identikit and the baseline; each side's best counts.
    var rounds: Int

    struct Result {
        var events: Int
        var persons: Int
        var seconds: Double
        var baselineSeconds: Double
        /// The same ingest with effects not recorded (best of the rounds).
        var secondsWithoutEffects: Double
        var baselineEvents: Int
        var peakRSSMB: Double
        var fileMB: Double
        var rounds: Int
        var storePath: String

        var eventsPerSecond: Double { Double(events) / seconds }
        var baselineEventsPerSecond: Double { Double(baselineEvents) / baselineSeconds }
        var ratio: Double { eventsPerSecond / baselineEventsPerSecond }
        /// Time with effects ÷ time without: what recording each event's effect costs (1.00: nothing).
        var effectsCost: Double { seconds / secondsWithoutEffects }
    }

    func run(in workspace: Workspace, log: (String) -> Void) throws -> Result {
        let file = workspace.path("events.jsonl")
        log("writing \(events) demo events")
        try EventFile.write(events: events, seed: seed, to: file)
        let fileBytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0

        // Rounds alternate identikit and the baseline, and each side keeps its best: a busy
        // neighbour on this shared machine slows one run, not every run of one side.
        let store = workspace.path("ingest.sqlite")
        var best: IngestChild.Output?
        var baselineSeconds = Double.infinity, baselineEvents = 0, peakRSSMB = 0.0, withoutEffects = Double.infinity
        for round in 1...rounds {
            log("round \(round) of \(rounds): identikit without recording effects")
            try Workspace.removeStore(store)
            withoutEffects = min(withoutEffects, try IngestChild.run(file: file, store: store, effects: false).seconds)

            log("round \(round) of \(rounds): identikit (child process, for its peak memory)")
            try Workspace.removeStore(store)
            let child = try IngestChild.run(file: file, store: store)
            if best.map({ child.seconds < $0.seconds }) ?? true { best = child }
            peakRSSMB = max(peakRSSMB, child.peakRSSMB)

            log("round \(round) of \(rounds): the raw SQLite baseline")
            let database = workspace.path("baseline.sqlite")
            try Workspace.removeStore(database)
            var events = 0
            let seconds = try Measure.seconds {
                events = try BaselineIngest.run(file: file, database: database, batchSize: BaselineIngest.transactionSize)
            }
            if seconds < baselineSeconds { (baselineSeconds, baselineEvents) = (seconds, events) }
        }
        guard let child = best else { throw BenchError("no ingest rounds") }
        let persons = try SQLitePersonStore(path: store).stats().persons
        return Result(events: child.events, persons: persons, seconds: child.seconds, baselineSeconds: baselineSeconds,
                      secondsWithoutEffects: withoutEffects,
                      baselineEvents: baselineEvents, peakRSSMB: peakRSSMB, fileMB: Double(fileBytes) / 1_048_576,
                      rounds: rounds, storePath: store)
    }
}

/// Runs the ingest in a child process (this binary, `--ingest-child`), so the peak RSS is the ingest's alone.
enum IngestChild {
    struct Output {
        var events: Int
        var seconds: Double
        var peakRSSMB: Double
    }

    static let flag = "--ingest-child"

    static func run(file: String, store: String, effects: Bool = true) throws -> Output {
        try runAtOnce(files: [file], store: store, effects: effects)[0]
    }

    /// Starts one child per file, all at once on one store, and waits for every one.
    static func runAtOnce(files: [String], store: String, effects: Bool = true) throws -> [Output] {
        let children = try files.map { file in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            process.arguments = [flag, file, store] + (effects ? [] : ["--no-effects"])
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            return (process, pipe)
        }
        let outputs = children.map { process, pipe in
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return try outputs.map { status, text in
            guard status == 0 else { throw BenchError("ingest child failed with status \(status)") }
            let parts = text.split(separator: " ")
            guard parts.count == 2, let events = Int(parts[0]), let seconds = Double(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw BenchError("unexpected ingest child output: \(text)")
            }
            return Output(events: events, seconds: seconds, peakRSSMB: Double(usage.ru_maxrss) / 1024)
        }
    }

    /// The child's side: the same code path as `identikit ingest FILE`, into a SQLite file or a
    /// PostgreSQL URL.
    static func main(file: String, store location: String, effects: Bool = true) throws {
        let engine = IdentityEngine(recordsEffects: effects)
        let store: any PersonStore = location.contains("://")
            ? try blocking { try await PostgresPersonStore.open(try PostgresLocation(url: location), engine: engine) }
            : try SQLitePersonStore(path: location, engine: engine)
        let ingestor = Ingestor(store: store)
        var summary = IngestSummary()
        let seconds = try Measure.seconds { summary = try ingestor.ingestFile(file) }
        print("\(summary.events) \(seconds)")
    }
}
