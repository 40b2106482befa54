import Foundation
import GRDB
import TestSupport
import Testing

/// Several concurrent clients send events in batches while the CLI reads the store.
///
/// The full size is 100,000 events (`IDENTIKIT_LOAD_EVENTS=100000`, the default). Set a smaller
/// number for a quicker run.
@Suite("Capture server load", .serialized, .ownThreads)
struct LoadTests {
    static var totalEvents: Int {
        ProcessInfo.processInfo.environment["IDENTIKIT_LOAD_EVENTS"].flatMap(Int.init) ?? 100_000
    }

    @Test func concurrentClientsWhileTheCLIReads() async throws {
        let total = Self.totalEvents
        let clients = 4
        let batchSize = 500
        let temporary = try TemporaryStore.sqlite(named: "load.sqlite")
        defer { temporary.remove() }
        let store = temporary.location
        let server = try ServeProcess(store: store, extraArguments: ["--log-level", "warning"])
        defer { server.stop() }

        // Batches: users browse anonymously, then some identify; uuids are unique.
        let batches: [Data] = stride(from: 0, to: total, by: batchSize).map { start in
            let events: [[String: Any]] = (start..<min(start + batchSize, total)).map { index in
                let user = index % 5000
                if index % 10 == 9 {
                    return ["event": "$identify", "distinct_id": "user-\(user)", "uuid": UUID().uuidString.lowercased(),
                            "properties": ["$anon_distinct_id": "anon-\(user)", "$set": ["n": index]]]
                }
                return ["event": "$pageview", "distinct_id": index % 3 == 0 ? "user-\(user)" : "anon-\(user)",
                        "uuid": UUID().uuidString.lowercased(), "properties": ["i": index]]
            }
            return HTTP.json(["api_key": "k", "batch": events])
        }

        let reads = ReadCounter()
        // On threads of its own: each read waits for a child process.
        let reading = Task(executorPreference: BlockingExecutor.shared) {
            while !Task.isCancelled {
                let output = try Identikit.run(["stats", "--json", "--db", store])
                reads.record(ok: output.status == 0, error: output.stderr)
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        let started = Date()
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var times: [Double] = []
                    for index in stride(from: client, to: batches.count, by: clients) {
                        let sent = Date()
                        let reply = try await HTTP.post(server.url + "/batch/", body: batches[index])
                        times.append(Date().timeIntervalSince(sent))
                        #expect(reply.status == 200, "batch \(index): \(reply.text)")
                    }
                    return times
                }
            }
            var all: [Double] = []
            for try await times in group { all += times }
            return all.sorted()
        }
        let seconds = Date().timeIntervalSince(started)
        reading.cancel()
        _ = try? await reading.value

        let output = try Identikit.run(["stats", "--json", "--db", store])
        let stats = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect(stats?["events"] as? Int == total)
        #expect(reads.failures == 0, "CLI reads failed during the load: \(reads.lastError)")
        #expect(reads.successes > 0)

        // Invariants: every distinct ID on an existing person, no person without a distinct ID.
        let pool = try DatabasePool(path: store)
        try await pool.read { db in
            let orphans = try Int.fetchOne(db, sql: "SELECT count(*) FROM distinct_id WHERE person_id NOT IN (SELECT id FROM person)")
            let empty = try Int.fetchOne(db, sql: "SELECT count(*) FROM person WHERE id NOT IN (SELECT person_id FROM distinct_id)")
            let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check")
            #expect(orphans == 0)
            #expect(empty == 0)
            #expect(integrity == "ok")
        }

        let p50 = latencies[latencies.count / 2] * 1000
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)] * 1000
        print(String(format: "load: %d events in %.1f s = %.0f events/s; %d clients, batches of %d; request p50 %.0f ms, p99 %.0f ms; %d CLI reads during the load",
                     total, seconds, Double(total) / seconds, clients, batchSize, p50, p99, reads.successes))
    }
}

final class ReadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var ok = 0, failed = 0, error = ""
    func record(ok success: Bool, error message: String) {
        lock.withLock { if success { ok += 1 } else { failed += 1; error = message } }
    }
    var successes: Int { lock.withLock { ok } }
    var failures: Int { lock.withLock { failed } }
    var lastError: String { lock.withLock { error } }
}
