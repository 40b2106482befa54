import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit suspects [--json]` through the binary, on both stores.
@Suite(.ownThreads) struct SuspectsCommandTests {
    static let events = [
        #"{"event":"e","distinct_id":"test","timestamp":"2024-05-01T10:00:00Z"}"#,
        #"{"event":"$identify","distinct_id":"ann","timestamp":"2024-05-01T10:01:00Z","properties":{"$anon_distinct_id":"a-1","$set":{"email":"ann@example.com"}}}"#,
        #"{"event":"$identify","distinct_id":"ann-2","timestamp":"2024-05-01T10:02:00Z","properties":{"$anon_distinct_id":"a-2","$set":{"email":"ann@example.com"}}}"#,
        #"{"event":"e","distinct_id":"[]\u001b[2J","timestamp":"2024-05-01T10:03:00Z"}"#,
    ]

    @Test(arguments: TemporaryStore.Kind.allCases)
    func listsEachKind(kind: TemporaryStore.Kind) throws {
        let store = try TemporaryStore.make(kind)
        defer { store.remove() }
        let file = try store.file("events.jsonl", Self.events.joined(separator: "\n") + "\n")
        #expect(try Identikit.run(["ingest", "--db", store.location, file]).status == 0)

        let output = try Identikit.run(["suspects", "--json", "--db", store.location])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try JSONParser.parse(Array(output.stdout.utf8))
        #expect(json["id_threshold"] == 10)
        let suspects = try #require(json["suspects"]?.arrayValue)
        #expect(suspects.map { $0["kind"]?.stringValue } == ["generic_distinct_id", "email_on_identified_persons"])
        #expect(suspects[0]["distinct_id"] == "test")
        #expect(suspects[0]["person"]?.stringValue.flatMap(UUID.init(text:)) != nil)
        #expect(suspects[1]["email"] == "ann@example.com")
        #expect(suspects[1]["count"] == 2)

        let text = try Identikit.run(["suspects", "--db", store.location])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Generic-looking distinct IDs not on the blocklist: 1"))
        #expect(text.stdout.contains("\"test\""))
        #expect(text.stdout.contains("Persons with far more distinct IDs than usual (more than 10): 0"))
        #expect(!text.stdout.contains("\u{1B}"))

        let limited = try Identikit.run(["suspects", "--limit", "1", "--db", store.location])
        #expect(limited.stdout.contains("Generic-looking distinct IDs not on the blocklist: 1 (the first 1; --limit shows more)"))
        #expect(try Identikit.run(["suspects", "--limit", "0", "--db", store.location]).status != 0)
    }
}
