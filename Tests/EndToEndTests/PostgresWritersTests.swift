import Foundation
import IdentityCore
import Testing
import TestSupport

/// Many writers on one PostgreSQL store: four `identikit ingest` processes at once give exactly
/// the persons one SQLite ingest of the same files gives, and `copy` moves a store across kinds.
@Suite("Writers at once on a PostgreSQL store", .ownThreads)
struct PostgresWritersTests {
    /// Events for users `prefix-0...` whose IDs no other file shares: identifies, aliases, properties.
    static func file(_ prefix: String, users: Int) -> String {
        var lines: [String] = []
        for n in 0..<users {
            let user = "\(prefix)-user-\(n)", anon = "\(prefix)-anon-\(n)", phone = "\(prefix)-phone-\(n)"
            lines.append(#"{"event":"$pageview","distinct_id":"\#(anon)","properties":{"$current_url":"/a","$set":{"plan":"free"}}}"#)
            lines.append(#"{"event":"$identify","distinct_id":"\#(user)","properties":{"$anon_distinct_id":"\#(anon)","$set":{"email":"\#(user)@example.com"}}}"#)
            lines.append(#"{"event":"$pageview","distinct_id":"\#(phone)","properties":{"$set_once":{"first":"\#(n)"}}}"#)
            if n % 3 == 0 { lines.append(#"{"event":"$create_alias","distinct_id":"\#(user)","properties":{"alias":"\#(phone)"}}"#) }
            if n % 5 == 0 { lines.append(#"{"event":"$identify","distinct_id":"\#(phone)","properties":{"$anon_distinct_id":"\#(user)"}}"#) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func persons(_ cli: CommandLineRunner) throws -> Set<String> {
        let persons = try JSONParser.parse(try cli.run(["persons", "--json"]).stdout).arrayValue ?? []
        return Set(persons.map { person in
            let ids = (person["distinct_ids"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            return ids.joined(separator: ",") + " " + JSONCoding.string(person["properties"] ?? .null)
        })
    }

    @Test func fourIngestsAtOnceGiveWhatOneSQLiteIngestGives() throws {
        let postgres = try CommandLineRunner(store: try TemporaryStore.postgres())
        let sqlite = try CommandLineRunner()
        defer { postgres.cleanUp(); sqlite.cleanUp() }
        let files = try (0..<4).map { try postgres.file("part-\($0).jsonl", Self.file("p\($0)", users: 150)) }

        let writers = try files.map { try postgres.start(["ingest", "--batch-size", "50", $0]) }
        for writer in writers {
            let ended = writer.wait(timeout: 120)
            #expect(ended == .exited(0), "\(writer.command): \(writer.stderr)")
            if ended == nil { writer.stop(grace: 0) }
        }
        #expect(try sqlite.run(["ingest"] + files).status == 0)

        let shared = try Self.persons(postgres), single = try Self.persons(sqlite)
        #expect(shared.count == single.count)
        #expect(shared == single, "persons differ: \(shared.symmetricDifference(single).prefix(4))")
        let stats = try JSONParser.parse(try postgres.run(["stats", "--json"]).stdout)
        #expect(stats == (try JSONParser.parse(try sqlite.run(["stats", "--json"]).stdout)), "the same counts, nothing counted twice")
        #expect(try postgres.run(["check"]).status == 0)
    }

    /// Writer `side`'s events for the users every writer shares: each user's anonymous ID of this
    /// side gets a property of this side and is identified as the user, and a generic ID
    /// (`anonymous`) sends an event per user, so all writers meet on the same persons at once.
    static func sharedFile(side: Int, users: Int) -> String {
        var lines: [String] = []
        for n in 0..<users {
            let user = "shared-user-\(n)", anon = "w\(side)-anon-\(n)"
            lines.append(#"{"event":"$pageview","distinct_id":"\#(anon)","properties":{"$set":{"side_\#(side)":true}}}"#)
            lines.append(#"{"event":"$identify","distinct_id":"\#(user)","properties":{"$anon_distinct_id":"\#(anon)"}}"#)
            lines.append(#"{"event":"tap","distinct_id":"anonymous"}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writers that meet on the same persons read without locks and check at write-back: whatever
    /// the interleaving, every user ends with all four anonymous IDs and all four sides' properties,
    /// and the generic ID's person counts every writer's events.
    @Test func fourIngestsMeetingOnTheSamePersonsLoseNothing() throws {
        let postgres = try CommandLineRunner(store: try TemporaryStore.postgres())
        defer { postgres.cleanUp() }
        let users = 60
        let files = try (0..<4).map { try postgres.file("shared-\($0).jsonl", Self.sharedFile(side: $0, users: users)) }
        let writers = try files.map { try postgres.start(["ingest", "--batch-size", "20", $0]) }
        for writer in writers {
            let ended = writer.wait(timeout: 120)
            #expect(ended == .exited(0), "\(writer.command): \(writer.stderr)")
            if ended == nil { writer.stop(grace: 0) }
        }
        let stats = try JSONParser.parse(try postgres.run(["stats", "--json"]).stdout)
        #expect(stats["events"] == .int(Int64(4 * 3 * users)))
        #expect(stats["persons"] == .int(Int64(users + 1)))
        #expect(stats["distinct_ids"] == .int(Int64(5 * users + 1)))
        for n in [0, users / 2, users - 1] {
            let person = try JSONParser.parse(try postgres.run(["person", "shared-user-\(n)", "--json"]).stdout)
            let ids = Set((person["distinct_ids"]?.arrayValue ?? []).compactMap { $0["distinct_id"]?.stringValue ?? $0.stringValue })
            #expect(ids == Set(["shared-user-\(n)"] + (0..<4).map { "w\($0)-anon-\(n)" }), "\(person)")
            let properties = person["properties"]?.objectValue ?? [:]
            #expect((0..<4).allSatisfy { properties["side_\($0)"] == .bool(true) }, "\(properties)")
        }
        let generic = try JSONParser.parse(try postgres.run(["person", "anonymous", "--json"]).stdout)
        #expect(generic["event_count"] == .int(Int64(4 * users)), "\(generic)")
        // `check` compares every person's counters with its IDs' and its IDs' with the events.
        #expect(try postgres.run(["check"]).status == 0)
    }

    @Test func copyMovesAStoreToPostgreSQLAndBack() throws {
        let sqlite = try CommandLineRunner()
        let postgres = try TemporaryStore.postgres()
        defer { sqlite.cleanUp(); postgres.remove() }
        #expect(try sqlite.run(["ingest", try sqlite.file("events.jsonl", Self.file("c", users: 40))]).status == 0)
        let merge = try sqlite.run(["merge", "c-user-1", "c-user-2", "--force"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try sqlite.run(["merge", "c-user-3", "c-user-4", "--force"]).status == 0)
        #expect(try sqlite.run(["undo", "2"]).status == 0)

        let there = try sqlite.run(["copy", "--from", sqlite.store, "--to", postgres.location, "--json"])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(try JSONParser.parse(there.stdout)["equal"] == .bool(true))
        let back = sqlite.directory.appendingPathComponent("back.sqlite").path
        let again = try sqlite.run(["copy", "--from", postgres.location, "--to", back, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let original = try Self.persons(sqlite)
        let copied = try JSONParser.parse(try sqlite.run(["persons", "--json", "--db", back]).stdout).arrayValue ?? []
        #expect(copied.count == original.count)
        let thereStats = try JSONParser.parse(try sqlite.run(["stats", "--json", "--db", postgres.location]).stdout)
        #expect(thereStats == (try JSONParser.parse(try sqlite.run(["stats", "--json"]).stdout)))
    }
}
