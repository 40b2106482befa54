import Foundation
import IdentityCore
import Testing
import TestSupport

/// Memory of `identikit ingest` when the writer is slower than the decoder. The test hook
/// `IDENTIKIT_TEST_WRITER_PAUSE_MS` makes the writer pause before each chunk it writes; the decoder
/// must then wait for it (at most one decoded chunk queued) instead of decoding the file ahead into
/// memory. The ingest runs with its default transaction (10,000 events, more than the file), so
/// the chunks written must also be freed inside the open transaction. Peak memory is the child's
/// VmHWM, read from /proc while it runs.
@Suite("ingest memory with a slow writer", .serialized, .ownThreads)
struct IngestMemoryTests {
    static let boundMB = 150.0
    /// Events of about 64 KB: 3,000 make a 183 MB file, more than the bound.
    static let events = 3_000

    static func writeEvents(_ events: Int, to path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let padding = String(repeating: "p", count: 64_000)
        for index in 0..<events {
            let uuid = String(format: "0190b000-0000-7000-8000-%012d", index)
            let line = #"{"event": "view", "distinct_id": "user-\#(index % 200)", "uuid": "\#(uuid)", "properties": {"index": \#(index), "padding": "\#(padding)"}}"#
            try handle.write(contentsOf: Data((line + "\n").utf8))
        }
    }

    /// A child's peak resident memory so far, in MB.
    static func peakMB(_ process: ChildProcess) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes / 1024
    }

    /// `ingest` of `file` (chunks of 2 MB: 32 of these events) with the writer pausing `pauseMS` before each.
    static func startIngest(_ file: String, store: String, pauseMS: Int) throws -> ChildProcess {
        try Identikit.start(["ingest", "--quiet", "--db", store, file],
                            environment: ["IDENTIKIT_TEST_WRITER_PAUSE_MS": String(pauseMS)])
    }

    @Test func theDecoderWaitsForAStalledWriter() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path("events.jsonl")
        try Self.writeEvents(Self.events, to: file)
        // Two seconds a chunk: in eight seconds the decoder could read most of the file (unbounded, the
        // peak passed 200 MB); waiting for the writer, it holds a few chunks of 2 MB. What grows is the
        // open transaction's pages in SQLite's cache: the three or four chunks written meanwhile.
        let process = try Self.startIngest(file, store: directory.path("store.sqlite"), pauseMS: 2000)
        defer { if process.isRunning { process.stop(grace: 0) } }
        var samples: [Double] = []
        for _ in 0..<80 {
            usleep(100_000)
            guard process.isRunning, let peak = Self.peakMB(process) else { break }
            samples.append(peak)
        }
        #expect(process.isRunning, "the stalled ingest ended early: \(process.stderr)")
        let early = samples.count > 20 ? samples[19] : 0, last = samples.last ?? 0
        print("stalled writer: peak \(Int(early)) MB after 2 s, \(Int(last)) MB after 8 s")
        #expect(samples.count == 80)
        #expect(last < 100, "peak \(last) MB while the writer stalls")
        #expect(last - early < 40, "memory grew from \(early) to \(last) MB while the writer stalled: the decoder ran ahead")
    }

    @Test func aWholeIngestWithASlowWriterStaysUnderTheBound() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path("events.jsonl")
        try Self.writeEvents(Self.events, to: file)
        let store = directory.path("store.sqlite")
        let process = try Self.startIngest(file, store: store, pauseMS: 100)
        var peak = 0.0
        while process.isRunning {
            peak = max(peak, Self.peakMB(process) ?? 0)
            usleep(20_000)
        }
        #expect(process.wait(timeout: 10) == .exited(0), "\(process.stderr)")
        print("whole ingest of a 183 MB file with a slow writer: peak \(Int(peak)) MB")
        #expect(peak > 0 && peak < Self.boundMB, "peak \(peak) MB")
        let stats = try Identikit.run(["stats", "--json", "--db", store])
        #expect((try? JSONParser.parse(stats.stdout))?["events"] == .int(Int64(Self.events)), "\(stats.stdout)")
    }
}
