import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit serve` on a PostgreSQL store with the real PostHog Python SDK as the client: two
/// servers on one database at once, and the database restarting under a running server.
@Suite("Capture servers on a PostgreSQL store", .serialized, .ownThreads)
struct PostgresServeTests {
    static let script = PackageDirectory.path("Tests/EndToEndTests/python/send_load_with_sdk.py")

    static func json(_ arguments: [String]) throws -> JSONValue {
        let output = try Identikit.run(arguments)
        guard output.status == 0 else { throw TestFailure("identikit \(arguments.joined(separator: " ")) failed: \(output.stderr)") }
        return try JSONParser.parse(output.stdout)
    }

    static func count(_ value: JSONValue?) -> Int? {
        if case .int(let number)? = value { Int(number) } else { nil }
    }

    /// Starts the SDK script sending `users` users' events as `side`.
    static func sendLoad(to server: ServeProcess, side: String, users: Int, pause: Double) throws -> ChildProcess {
        try ChildProcess.start(try PythonSDKTests.python(), [script, server.url, "phc_test", side, String(users), String(pause)])
    }

    /// Waits for the script and returns how many events it sent.
    static func finish(_ sender: ChildProcess, server: ServeProcess) -> Int {
        let ended = sender.wait(timeout: 120)
        #expect(ended == .exited(0), "SDK script: \(sender.stdout)\n\(sender.stderr)\nserver log:\n\(server.log)")
        if ended == nil { sender.stop(grace: 0) }
        let last = sender.stdout.split(separator: "\n").last.map(String.init) ?? "{}"
        let report = try? JSONParser.parse(last)
        #expect(report?["errors"]?.arrayValue?.isEmpty == true, "\(last)")
        return count(report?["events"]) ?? -1
    }

    @Test func twoServersOnOneDatabaseCountEveryEventOnce() throws {
        let store = try TemporaryStore.postgres()
        defer { store.remove() }
        let east = try ServeProcess(store: store.location, extraArguments: ["--api-key", "phc_test"])
        let west = try ServeProcess(store: store.location, extraArguments: ["--api-key", "phc_test"])
        defer { east.stop(); west.stop() }

        let users = 80
        let senders = try [(east, "east"), (west, "west")].map { server, side in
            (server, try Self.sendLoad(to: server, side: side, users: users, pause: 0))
        }
        let sent = senders.map { Self.finish($0.1, server: $0.0) }
        #expect(sent == [3 * users, 3 * users])

        // Both sides identified the same users: one person each, with both anonymous IDs.
        let stats = try Self.json(["stats", "--json", "--db", store.location])
        #expect(Self.count(stats["events"]) == 6 * users, "east log:\n\(east.log)\nwest log:\n\(west.log)")
        #expect(Self.count(stats["persons"]) == users)
        #expect(Self.count(stats["distinct_ids"]) == 3 * users)
        #expect(Self.count(stats["warnings"]) == 0)
        let person = try Self.json(["person", "user-7", "--json", "--db", store.location])
        let ids = Set((person["distinct_ids"]?.arrayValue ?? []).compactMap { $0["distinct_id"]?.stringValue ?? $0.stringValue })
        #expect(ids == ["user-7", "east-anon-7", "west-anon-7"], "\(person)")
        #expect(try Identikit.run(["check", "--db", store.location]).status == 0)
    }

    @Test func theDatabaseRestartingGivesA503AndLosesNothing() async throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let url = try cluster.makeDatabase()
        let server = try ServeProcess(store: url, extraArguments: ["--api-key", "phc_test"])
        defer { server.stop() }
        let users = 60
        let sender = try Self.sendLoad(to: server, side: "sdk", users: users, pause: 0.05)
        try await Task.sleep(for: .seconds(1))

        // While the database is down, a batch is refused with a 503 (the SDKs retry on it), quickly.
        try cluster.stopServer()
        let refused = HTTP.json(["api_key": "phc_test", "batch": [["event": "during-outage", "distinct_id": "probe",
                                                                   "uuid": "0193a000-0000-7000-8000-000000000001"]]])
        let started = ContinuousClock.now
        let reply: HTTP.Reply
        do { reply = try await HTTP.post(server.url + "/batch/", body: refused) } catch {
            Issue.record("the probe during the outage: \(error) after \(ContinuousClock.now - started)\nserver log:\n\(server.log)")
            throw error
        }
        #expect(reply.status == 503, "\(String(decoding: reply.body, as: UTF8.self))")
        #expect(ContinuousClock.now - started < .seconds(15), "a 503 within the store's 5 s connection deadline")
        try await Task.sleep(for: .seconds(1.5))
        try cluster.startServer()

        let sent = Self.finish(sender, server: server)
        #expect(sent == 3 * users)
        // The refused batch, sent again as an SDK does after a 503, is taken once the database is
        // back (the connection pool may still be backing off for a few seconds after the outage).
        var again = try await HTTP.post(server.url + "/batch/", body: refused)
        for _ in 0..<20 where again.status == 503 {
            try await Task.sleep(for: .seconds(1))
            again = try await HTTP.post(server.url + "/batch/", body: refused)
        }
        #expect(again.status == 200, "\(again.status): \(String(decoding: again.body, as: UTF8.self))")

        let stats = try Self.json(["stats", "--json", "--db", url])
        #expect(Self.count(stats["events"]) == 3 * users + 1, "server log:\n\(server.log)")
        #expect(Self.count(stats["persons"]) == users + 1)
        #expect(Self.count(stats["warnings"]) == 0)
        #expect(server.log.contains("503"), "the outage reached the SDK: \(server.log)")
        #expect(try Identikit.run(["check", "--db", url]).status == 0)
    }
}
