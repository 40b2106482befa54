import Foundation
import IdentityStore
import Ingest

/// Figure 1 and 2: identikit's ingest of a demo file against the raw-SQLite baseline, and its peak memory.
struct IngestBenchmark {
    var events: Int
    var seed: UInt64

    struct Result {
        var events: Int
        var persons: Int
        var seconds: Double
        var baselineSeconds: Double
        var baselineEvents: Int
        var peakRSSMB: Double
        var fileMB: Double
        var storePath: String

        var eventsPerSecond: Double { Double(events) / seconds }
        var baselineEventsPerSecond: Double { Double(baselineEvents) / baselineSeconds }
        var ratio: Double { eventsPerSecond / baselineEventsPerSecond }
    }

    func run(in workspace: Workspace, log: (String) -> Void) throws -> Result {
        let file = workspace.path("events.jsonl")
        log("writing \(events) demo events")
        try EventFile.write(events: events, seed: seed, to: file)
        let fileBytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0

        log("ingesting with identikit (child process, for its peak memory)")
        let store = workspace.path("ingest.sqlite")
        let child = try IngestChild.run(file: file, store: store)

        log("ingesting with the raw SQLite baseline")
        var baselineEvents = 0
        let baselineSeconds = try Measure.seconds {
            baselineEvents = try BaselineIngest.run(file: file, database: workspace.path("baseline.sqlite"), batchSize: 2000)
        }
        let persons = try PersonStore(path: store).stats().persons
        return Result(events: child.events, persons: persons, seconds: child.seconds, baselineSeconds: baselineSeconds,
                      baselineEvents: baselineEvents, peakRSSMB: child.peakRSSMB, fileMB: Double(fileBytes) / 1_048_576,
                      storePath: store)
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

    static func run(file: String, store: String) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = [flag, file, store]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("ingest child failed with status \(process.terminationStatus)") }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard parts.count == 2, let events = Int(parts[0]), let seconds = Double(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchError("unexpected ingest child output")
        }
        return Output(events: events, seconds: seconds, peakRSSMB: Double(usage.ru_maxrss) / 1024)
    }

    /// The child's side: the same code path as `identikit ingest FILE`.
    static func main(file: String, store: String) throws {
        let ingestor = Ingestor(store: try PersonStore(path: store))
        var summary = IngestSummary()
        let seconds = try Measure.seconds { summary = try ingestor.ingestFile(file) }
        print("\(summary.events) \(seconds)")
    }
}
