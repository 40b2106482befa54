import Foundation
import Synchronization
import SQLiteStore
import TestSupport

/// The capture server under load: `identikit serve` (the release build next to this one, a SQLite
/// store) fed the ingest benchmark's events as PostHog `/batch/` requests by concurrent clients,
/// with 1-event requests timed while the load runs; then the same with `--durable`.
struct ServeBenchmark {
    var clients = 4
    var eventsPerRequest = 100
    /// Pause between two 1-event probes.
    var probeInterval: Duration = .milliseconds(25)

    struct Load {
        var events: Int
        var seconds: Double
        var probeMS: [Double]
        var eventsPerSecond: Double { Double(events) / seconds }
    }

    struct Result {
        var requests: Int
        var normal: Load
        var durable: Load
        var clients: Int
        var eventsPerRequest: Int
    }

    func run(eventsFile: String, in workspace: Workspace, log: (String) -> Void) throws -> Result {
        do { _ = try IdentikitBinary.path() } catch {
            throw BenchError("the serve figures need identikit built next to identikit-bench: swift build -c release --product identikit")
        }
        let bodies = try Self.requestBodies(file: eventsFile, eventsPerRequest: eventsPerRequest)
        log("serve: \(bodies.count) /batch/ requests of \(eventsPerRequest) events, \(clients) clients")
        let normal = try load(bodies, store: workspace.path("serve.sqlite"), durable: false)
        log("serve --durable: the same requests")
        let durable = try load(bodies, store: workspace.path("serve-durable.sqlite"), durable: true)
        return Result(requests: bodies.count, normal: normal, durable: durable, clients: clients, eventsPerRequest: eventsPerRequest)
    }

    /// The file's lines, `eventsPerRequest` to a body, as an SDK's batch sends them (the lines are not re-encoded).
    static func requestBodies(file: String, eventsPerRequest: Int) throws -> [Data] {
        let lines = try Data(contentsOf: URL(fileURLWithPath: file)).split(separator: UInt8(ascii: "\n"))
        return stride(from: 0, to: lines.count, by: eventsPerRequest).map { start in
            var body = Data(#"{"api_key": "bench", "batch": ["#.utf8)
            for (offset, line) in lines[start..<min(start + eventsPerRequest, lines.count)].enumerated() {
                if offset > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: line)
            }
            body.append(contentsOf: Data("]}".utf8))
            return body
        }
    }

    /// Sends every body through a fresh server; the time runs from the first request to the last reply.
    func load(_ bodies: [Data], store: String, durable: Bool) throws -> Load {
        try Workspace.removeStore(store)
        let server = try ServeProcess(store: store, extraArguments: ["--log-level", "error"] + (durable ? ["--durable"] : []))
        defer { server.stop() }
        let url = server.url + "/batch/"
        let clients = self.clients, interval = probeInterval
        let (seconds, probeMS) = try blocking { () async throws -> (Double, [Double]) in
            let stop = StopSignal()
            let probing = Task { try await Self.probe(url, every: interval, until: stop) }
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        for index in stride(from: client, to: bodies.count, by: clients) {
                            let reply = try await HTTP.post(url, body: bodies[index])
                            guard reply.status == 200 else { throw BenchError("serve answered \(reply.status) to request \(index): \(reply.text)") }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            // A flag, not `probing.cancel()`: cancelling a task inside URLSession's async API on Linux
            // can deadlock FoundationNetworking (its cancel handler waits for a queue that is
            // resuming the task), which hung a full run for good.
            stop.raise()
            return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, try await probing.value)
        }
        let stored = try SQLitePersonStore(path: store).stats().events
        return Load(events: stored - probeMS.count, seconds: seconds, probeMS: probeMS)
    }

    /// 1-event requests, one after another with a pause between, until `stop` is raised: their latencies in ms.
    static func probe(_ url: String, every interval: Duration, until stop: StopSignal) async throws -> [Double] {
        var latencies: [Double] = []
        var index = 0
        while !stop.isRaised {
            let body = HTTP.json(["api_key": "bench", "batch": [["event": "probe", "distinct_id": "probe-\(index)",
                                                                 "uuid": UUID().uuidString.lowercased()]]])
            let sent = ContinuousClock.now
            guard let reply = try? await HTTP.post(url, body: body) else { break }
            let took = ContinuousClock.now - sent
            guard reply.status == 200 else { throw BenchError("serve answered \(reply.status) to a probe: \(reply.text)") }
            latencies.append(Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15)
            index += 1
            try? await Task.sleep(for: interval)
        }
        return latencies
    }
}

/// A one-way flag the load raises when it is done, read by the probe between its requests.
final class StopSignal: Sendable {
    private let raised = Mutex(false)
    func raise() { raised.withLock { $0 = true } }
    var isRaised: Bool { raised.withLock { $0 } }
}
