import Foundation
import IdentityCore
import SQLiteStore
import Ingest
import Testing
@testable import Explorer

/// The live client over a real SQLite store: the change stream, and writes through the engine.
@Suite struct LiveClientTests {
    @Test func theChangeStreamAnnouncesOtherWritersButNotOurs() async throws {
        let fixture = try Fixture()
        let store = fixture.store
        let client = ExplorerClient.live(store: store, now: { Fixture.now },
                                         wakeups: { StoreChangePolling.changes(of: store, every: .milliseconds(20)) })
        let seen = Counter()
        let watching = Task { for await _ in client.changes() { seen.add() } }
        defer { watching.cancel() }
        let other = try SQLitePersonStore(path: fixture.store.path)
        func commitFromAnotherConnection(_ distinctID: String) throws {
            let line = #"{"event":"$pageview","distinct_id":"\#(distinctID)","timestamp":"2024-05-09T10:00:00Z"}"#
            _ = try Ingestor(store: other).ingest([EventValidator.validate(try JSONCoding.parse(Data(line.utf8)), rawText: line,
                                                                           location: InputLocation(source: "t"))], now: Fixture.now)
        }
        // Deadlines are generous: with other suites' synchronous tests holding the pool's threads,
        // a task has waited over 20 s for one on CI. Latency is for the terminal tests to check.
        func waitUntil(_ count: Int, within limit: Duration) async throws {
            let deadline = ContinuousClock.now + limit
            while seen.value < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        }

        // The watcher takes the store's state as its starting point when its task first runs, and a
        // commit before that is part of the starting point, not news: commit until one is seen.
        var warmups = 0
        while seen.value == 0, warmups < 30 {
            warmups += 1
            try commitFromAnotherConnection("warmup-\(warmups)")
            try await waitUntil(1, within: .seconds(2))
        }
        try #require(seen.value >= 1, "the watcher never saw another connection's commit")
        try await Task.sleep(for: .milliseconds(300))  // a later warm-up commit announced on its own
        let before = seen.value

        // Our own write (a merge through the client) is not news.
        _ = try await client.merge("bob", "bob-2", false)
        try await Task.sleep(for: .milliseconds(200))
        #expect(seen.value == before)

        // Another connection's commit is. (Not "exactly once": a starved watcher has announced one
        // more, from a warm-up commit or its own poll, in a CI run; news is news either way.)
        try commitFromAnotherConnection("newcomer")
        try await waitUntil(before + 1, within: .seconds(30))
        #expect(seen.value > before)
    }

    @Test func mergeThenUndoThroughTheEngine() async throws {
        let fixture = try Fixture()
        let driver = await Driver(fixture)
        await driver.press(.char(":"))
        await driver.type("merge bob-2 bob")
        await driver.press(.enter, .char("y"))
        #expect(driver.state.status?.isError == false)
        #expect(try fixture.store.stats().persons == 7)
        #expect(try fixture.store.resolvePerson("bob")?.uuid == fixture.store.resolvePerson("bob-2")?.uuid)

        await driver.press(.char(":"))
        await driver.type("person bob")
        await driver.press(.enter, .char("4"), .char("u"))
        guard case .dialog(let undoDialog)? = driver.state.overlay, case .undo = undoDialog.confirmation else {
            Issue.record("no undo preview"); return
        }
        await driver.press(.char("y"))
        #expect(try fixture.store.stats().persons == 8)
        #expect(driver.state.status?.text.hasPrefix("undid merge") == true)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
