import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit person ID --history KEY [--json]` through the binary, on both stores.
@Suite(.ownThreads) struct PropertyHistoryCommandTests {
    static let events = [
        #"{"event":"e","distinct_id":"ann","timestamp":"2024-05-01T10:00:00Z","properties":{"$set":{"plan":"free"}}}"#,
        #"{"event":"e","distinct_id":"ann","timestamp":"2024-05-01T10:01:00Z","properties":{"$set_once":{"plan":"trial"}}}"#,
        #"{"event":"upgrade","distinct_id":"ann","timestamp":"2024-05-01T10:02:00Z","properties":{"$set":{"plan":"pro\u001b[2J"}}}"#,
        #"{"event":"e","distinct_id":"ann","timestamp":"2024-05-01T10:03:00Z","properties":{"$unset":["plan"]}}"#,
    ]

    static func run(_ arguments: [String]) throws -> ProcessOutput {
        let output = try Identikit.run(arguments)
        guard output.status == 0 else { throw TestFailure("identikit \(arguments) exited \(output.status): \(output.stderr)") }
        return output
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func historyListsEveryWriteOldestFirst(kind: TemporaryStore.Kind) throws {
        let store = try TemporaryStore.make(kind)
        defer { store.remove() }
        let file = try store.file("events.jsonl", Self.events.joined(separator: "\n") + "\n")
        _ = try Self.run(["ingest", "--db", store.location, file])

        let json = try JSONParser.parse(Array(try Self.run(["person", "ann", "--history", "plan", "--json", "--db", store.location]).stdout.utf8))
        let writes = try #require(json.arrayValue)
        #expect(writes.map { $0["op"]?.stringValue } == ["$set", "$set_once", "$set", "$unset"])
        #expect(writes.map { $0["applied"] } == [.bool(true), .bool(false), .bool(true), .bool(true)])
        #expect(writes[1]["reason"] == "already_set")
        #expect(writes[0]["reason"] == nil, "a reason only when not applied")
        #expect(writes[0]["value"] == "free")
        #expect(writes[3]["value"] == .null)
        #expect(writes[2]["event"] == "upgrade")
        #expect(writes[0]["at"] == "2024-05-01T10:00:00.000Z")
        #expect(writes.allSatisfy { $0["event_uuid"]?.stringValue.flatMap(UUID.init(text:)) != nil })

        let text = try Self.run(["person", "ann", "--history", "plan", "--db", store.location]).stdout
        #expect(text.contains("Property \"plan\""))
        #expect(text.contains("now (not set)"))
        #expect(text.contains("skipped: already set"))
        #expect(text.contains(#"pro\e[2J"#), "the value is shown escaped")
        #expect(!text.contains("\u{1B}"))

        let none = try Self.run(["person", "ann", "--history", "never", "--db", store.location]).stdout
        #expect(none.contains("No event or merge ever wrote it."))
        let unknown = try Identikit.run(["person", "nobody", "--history", "plan", "--db", store.location])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("nobody"))
    }
}
