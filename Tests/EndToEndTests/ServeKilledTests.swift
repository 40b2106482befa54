import Foundation
import IdentityCore
import Testing
import TestSupport

/// The real PostHog Python SDK sending while `identikit serve` is SIGKILLed and started again on the
/// same port: once the SDK has flushed, every event it sent is in the store exactly once. (A request
/// committed but not answered before the kill is sent again by the SDK and deduplicated by uuid.)
@Suite("capture server killed with SIGKILL under the PostHog Python SDK", .serialized, .ownThreads)
struct ServeKilledTests {
    /// Starts `serve` on `port`, retrying while the port is not free again yet.
    static func start(store: String, port: Int) throws -> ServeProcess {
        let deadline = Date().addingTimeInterval(20)
        while true {
            do {
                return try ServeProcess(store: store, port: port, extraArguments: ["--api-key", "phc_test"])
            } catch where Date() < deadline {
                usleep(200_000)
            }
        }
    }

    static func eventCount(_ store: String) -> Int {
        guard let output = try? Identikit.run(["stats", "--json", "--db", store]), output.status == 0,
              case .int(let events)? = (try? JSONParser.parse(output.stdout))?["events"] else { return 0 }
        return Int(events)
    }

    @Test func everyEventLandsExactlyOnceAcrossKills() async throws {
        let python = try PythonSDKTests.python()
        let temporary = try TemporaryStore.sqlite(named: "killed.sqlite")
        defer { temporary.remove() }
        let store = temporary.location
        let port = try FreePort.find()
        var server = try Self.start(store: store, port: port)
        defer { server.stop() }
        let listing = temporary.directory.path("sent-uuids.txt")
        let users = 150
        let sender = try ChildProcess.start(python, [PostgresServeTests.script, server.url, "phc_test", "sdk",
                                                     String(users), "0.02", listing])
        var logs: [String] = []
        var landedAtKills: [Int] = []
        for _ in 1...2 {
            // Kill while the SDK is sending: once some events have landed, and before it is done.
            let deadline = Date().addingTimeInterval(30)
            let before = Self.eventCount(store)
            while Self.eventCount(store) < before + 30, sender.isRunning, Date() < deadline { usleep(50_000) }
            #expect(sender.isRunning, "the SDK finished before the kill")
            server.process.send(SIGKILL)
            #expect(server.process.wait(timeout: 10)?.signal == SIGKILL)
            landedAtKills.append(Self.eventCount(store))
            logs.append(server.log)
            try await Task.sleep(for: .milliseconds(700))
            server = try Self.start(store: store, port: port)
        }

        let sent = PostgresServeTests.finish(sender, server: server)
        #expect(sent == 3 * users)
        let sentUUIDs = try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(sentUUIDs.count == 3 * users)

        let events = try Identikit.run(["events", "--json", "--limit", "1000000", "--db", store])
        try #require(events.status == 0, "\(events.stderr)")
        let storedUUIDs = try events.stdout.split(separator: "\n").map { try JSONParser.parse(String($0))["uuid"]?.stringValue ?? "" }
        #expect(storedUUIDs.count == Set(storedUUIDs).count, "an event stored twice")
        #expect(Set(storedUUIDs) == Set(sentUUIDs.map { $0.lowercased() }),
                "missing: \(Set(sentUUIDs).subtracting(storedUUIDs).count); logs:\n\(logs.joined(separator: "\n--- killed ---\n"))\n\(server.log)")
        #expect(try Identikit.run(["check", "--db", store]).status == 0)
        // The SDK's identify calls still joined each user's anonymous ID.
        let stats = try JSONParser.parse(try Identikit.run(["stats", "--json", "--db", store]).stdout)
        #expect(stats["persons"] == .int(Int64(users)))
        print("serve killed with \(landedAtKills) events landed; all \(sent) events once after the SDK's retries")
    }
}
