import Foundation
import IdentityCore
import Testing
import TestSupport

/// Issue 15 in a real terminal: a duplicates group merged at once and undone at once (checked with
/// `identikit persons --json`), and a property's history.
@Suite(.serialized, .ownThreads) struct ExplorerRepairTerminalTests {
    static let group = [
        #"{"event":"e","distinct_id":"anon-1","timestamp":"2024-05-01T10:00:00Z","properties":{"$set":{"email":"ann@example.com","plan":"free"}}}"#,
        #"{"event":"$identify","distinct_id":"ann","timestamp":"2024-05-01T10:05:00Z","properties":{"$anon_distinct_id":"anon-2","$set":{"email":"ann@example.com","name":"Ann"}}}"#,
        #"{"event":"$identify","distinct_id":"ann-work","timestamp":"2024-05-01T10:06:00Z","properties":{"$anon_distinct_id":"anon-w","$set":{"email":"ann@example.com","plan":"pro"}}}"#,
        #"{"event":"e","distinct_id":"anon-3","timestamp":"2024-05-01T10:07:00Z","properties":{"$set":{"email":"ann@example.com"},"$set_once":{"plan":"trial"}}}"#,
        #"{"event":"e","distinct_id":"bob","timestamp":"2024-05-02T09:00:00Z","properties":{"$set":{"email":"bob@example.com"}}}"#,
        #"{"event":"upgrade","distinct_id":"anon-3","timestamp":"2024-05-02T10:00:00Z","properties":{"$set":{"plan":"pro"}}}"#,
        #"{"event":"signup","distinct_id":"anon-3","timestamp":"2024-05-02T10:01:00Z","properties":{"$set_once":{"plan":"free"}}}"#,
    ]

    /// Every person as `identikit persons --json` prints it, but its change counter (every change,
    /// an undo too, moves it forward), in a stable order.
    static func persons(_ run: TerminalRun) throws -> [JSONValue] {
        let output = try TerminalRun.identikit(["persons", "--json", "--db", run.store])
        let persons = try JSONParser.parse(Array(output.utf8)).arrayValue ?? []
        return persons.map { person -> JSONValue in
            var object = person.objectValue ?? [:]
            object["version"] = nil
            return .object(object)
        }.sorted { ($0["id"]?.stringValue ?? "") < ($1["id"]?.stringValue ?? "") }
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func aDuplicatesGroupMergesAsOneActionAndOneUndoRestoresIt(kind: TemporaryStore.Kind) throws {
        let run = try TerminalRun(events: Self.group, kind: kind, width: 120, height: 40)
        defer { run.close() }
        let before = try Self.persons(run)
        #expect(before.count == 5)
        try run.start()
        try run.waitFor("Persons")
        run.keys("D")
        try run.waitFor("ann@example.com")
        run.keys("M")
        try run.waitFor("Merge duplicates group")
        try run.waitFor("Merge 4 persons into one")
        try run.waitFor("2 of them are identified")
        run.capture(to: "group-merge.txt")
        run.keys("y")
        // Two identified persons: a second, explicit question.
        try run.waitFor("Force group merge: are you sure?")
        run.keys("y")
        try run.waitFor("merged 4 persons into one")
        let merged = try run.personIDs()
        #expect(merged.contains(["ann", "ann-work", "anon-1", "anon-2", "anon-3", "anon-w"]))
        #expect(merged.count == 2)

        // One undo, from the survivor's History tab: the group record is the oldest of the three.
        run.keys(":")
        run.literal("person ann")
        run.keys("Enter")
        try run.waitFor("Person Ann")
        run.keys("4")
        try run.waitFor("manual_group_merge")
        run.keys("G", "u")
        try run.waitFor("Undo group merge")
        run.keys("y")
        try run.waitFor("undid merge")
        #expect(try Self.persons(run) == before)

        run.keys("Escape", "q", "q", "q")
        try run.waitFor("explorer exited 0")
    }

    @Test func enterOnAPropertyShowsEveryWriteItHad() throws {
        let run = try TerminalRun(events: Self.group, width: 120, height: 30)
        defer { run.close() }
        try run.start()
        try run.waitFor("Persons")
        run.keys(":")
        run.literal("person anon-3")
        run.keys("Enter")
        try run.waitFor("Person ann@example.com")
        run.keys("j", "j", "Enter")  // $creator_event_uuid, email, then plan
        try run.waitFor("Property plan")
        try run.waitFor("trial")
        try run.waitFor("upgrade")
        try run.waitFor("skipped: already set")
        run.capture(to: "property-history.txt")
        run.keys("Escape", "k", "Enter")
        try run.waitFor("Property email")
        try run.waitFor("ann@example.com")

        // The suspects: two identified persons share an email; Enter opens their duplicates group.
        run.keys("Escape", "Escape", "S")
        try run.waitFor("Suspects · likely identity mistakes")
        try run.waitFor("2 identified persons")
        run.capture(to: "suspects.txt")
        run.keys("Enter")
        try run.waitFor("Duplicates · email = ann@example.com")
        run.keys("q", "q", "q")
        try run.waitFor("explorer exited 0")
    }
}
