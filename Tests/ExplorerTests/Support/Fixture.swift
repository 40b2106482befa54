import Foundation
import IdentityCore
import IdentityStore
import Ingest
@testable import Explorer

/// A real SQLite store in a fresh temporary directory, filled through the real validator and engine.
final class Fixture {
    static let now = Date(timeIntervalSince1970: 1_717_243_200)  // 2024-06-01 12:00 UTC
    let directory: URL
    let store: PersonStore

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
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("identikit-explorer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try PersonStore(path: directory.appendingPathComponent("store.sqlite").path)
        let inputs = try lines.enumerated().map { n, line in
            EventValidator.validate(try JSONCoding.parse(Data(line.utf8)), rawText: line,
                                    location: InputLocation(source: "fixture.jsonl", line: n + 1))
        }
        if !inputs.isEmpty { _ = try Ingestor(store: store).ingest(inputs, now: Fixture.now) }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// Runs the explorer headless: keys go through `update`, effects through the real runner, frames through `view`.
final class Driver {
    var state: AppState
    let runner: EffectRunner
    var effectsSeen: [Effect] = []

    init(_ fixture: Fixture, width: Int = 80, height: Int = 24) {
        runner = EffectRunner(store: fixture.store, now: { Fixture.now })
        state = AppState(width: width, height: height, storeName: "store.sqlite")
        run(Reducer.start(state))
    }

    func run(_ effects: [Effect]) {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            effectsSeen.append(effect)
            for message in runner.run(effect) {
                let (next, more) = Reducer.update(state, message)
                state = next
                pending += more
            }
        }
    }

    func send(_ message: Message) {
        let (next, effects) = Reducer.update(state, message)
        state = next
        run(effects)
    }

    func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    func type(_ text: String) {
        for character in text { send(.key(.char(character))) }
    }

    var screen: String { Renderer.view(state).text }
}
