import Foundation
import IdentityCore
import SQLiteStore
import Ingest
import TestSupport
@testable import Explorer

/// A real SQLite store in a fresh temporary directory (removed with the fixture), filled through the
/// real validator and engine.
final class Fixture {
    static let now = Date(timeIntervalSince1970: 1_717_243_200)  // 2024-06-01 12:00 UTC
    let temporary: TemporaryStore
    let store: SQLitePersonStore

    static let events = [
        #"{"event":"$pageview","distinct_id":"anon-1","timestamp":"2024-05-01T10:00:00Z","properties":{"$set":{"plan":"free"}}}"#,
        #"{"event":"$identify","distinct_id":"alice@example.com","timestamp":"2024-05-01T10:05:00Z","properties":{"$anon_distinct_id":"anon-1","$set":{"email":"alice@example.com","name":"Alice 愛麗絲","address":{"city":"Zürich","street":"Bahnhofstrasse 1","zip":"8001","tags":["a","b","c","d","e","f"]}}}}"#,
        #"{"event":"$pageview","distinct_id":"bob","timestamp":"2024-05-02T09:00:00Z","properties":{"$set":{"email":"bob@example.com"}}}"#,
        #"{"event":"signup","distinct_id":"bob-2","timestamp":"2024-05-02T09:30:00Z","properties":{"$set":{"email":"bob@example.com","name":"Bob 🎉"}}}"#,
        #"{"event":"$identify","distinct_id":"carol","timestamp":"2024-05-03T09:30:00Z","properties":{"$anon_distinct_id":"anon-c","$set_once":{"first_touch":"ad"}}}"#,
        #"{"event":"$identify","distinct_id":"dave","timestamp":"2024-05-03T09:40:00Z","properties":{"$anon_distinct_id":"anon-c"}}"#,
        #"{"event":"x","distinct_id":"evil\u001b[31mred\u202e","timestamp":"2024-05-03T09:45:00Z"}"#,
        #"{"event":"$identify","distinct_id":"null","timestamp":"2024-05-03T09:50:00Z","properties":{"$anon_distinct_id":"bob"}}"#,
        #"{"event":"$identify","distinct_id":"erin","timestamp":"2024-05-04T08:00:00Z","properties":{"$anon_distinct_id":"anon-e","$set":{"email":"erin@example.com"}}}"#,
        #"{"event":"$identify","distinct_id":"frank","timestamp":"2024-05-04T08:10:00Z","properties":{"$anon_distinct_id":"anon-f","$set":{"email":"erin@example.com"}}}"#,
    ]

    init(lines: [String] = Fixture.events) throws {
        temporary = try TemporaryStore.sqlite()
        store = try SQLitePersonStore(path: temporary.location)
        let inputs = try lines.enumerated().map { n, line in
            EventValidator.validate(try JSONCoding.parse(Data(line.utf8)), rawText: line,
                                    location: InputLocation(source: "fixture.jsonl", line: n + 1))
        }
        if !inputs.isEmpty { _ = try Ingestor(store: store).ingest(inputs, now: Fixture.now) }
    }
}

/// Drives the headless explorer, the same loop the terminal runs, on a test backend: keys go in,
/// effects run as tasks against the client, and `screen` is what the terminal would show.
final class Driver {
    let explorer: HeadlessExplorer

    /// Over any client; returns once the opening queries have answered.
    init(client: ExplorerClient, captureURL: String? = nil, width: Int = 80, height: Int = 24) async {
        explorer = HeadlessExplorer(client: client, storeName: "store.sqlite", captureURL: captureURL, width: width, height: height)
        await explorer.settle()
    }

    /// Over the real SQLite store (snapshots: the real engine and queries).
    convenience init(_ fixture: Fixture, captureURL: String? = nil, width: Int = 80, height: Int = 24) async {
        await self.init(client: .live(store: fixture.store, now: { Fixture.now }), captureURL: captureURL, width: width, height: height)
    }

    /// Over the in-memory store (reducer tests: no database).
    convenience init(_ store: MemoryStore, width: Int = 80, height: Int = 24) async {
        await self.init(client: store.client(), width: width, height: height)
    }

    var state: AppState { explorer.state }

    func send(_ message: Message) async {
        explorer.send(message)
        await explorer.settle()
    }

    func press(_ keys: Key...) async {
        for key in keys { await explorer.press(key) }
    }

    func type(_ text: String) async {
        for character in text { await explorer.press(.char(character)) }
    }

    /// A `:` command, typed and entered.
    func command(_ text: String) async {
        await press(.char(":"))
        await type(text)
        await press(.enter)
    }

    /// What the terminal shows.
    var screen: String { explorer.frame.text }
}

extension Driver {
    /// Steps the explorer until `condition` holds (answers arriving from elsewhere, like a store change).
    /// The bound is loose: on CI's two busy cores a change took 89 s to arrive (its task queues on the
    /// cooperative pool behind the suites that compute); a passing run takes milliseconds.
    func waitUntil(timeout: Duration = .seconds(300), _ condition: (AppState) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(state) {
            guard ContinuousClock.now < deadline else { throw WaitTimedOut() }
            explorer.step()
            try await Task.sleep(for: .milliseconds(5))
        }
        await explorer.settle()
    }
}

struct WaitTimedOut: Error {}
