import Foundation
import GRDB
import IdentityCore
import Testing
import TestSupport
@testable import SQLiteStore

/// The trigram indexes substring search reads: filled from what a v3 store already holds when it
/// migrates to v4, and kept in step by every write after (ingest, merge, undo, a changed email).
@Suite struct SearchIndexTests {
    static func input(_ event: JSONValue, line: Int = 1) -> ValidatedInput {
        EventValidator.validate(event, rawText: JSONCoding.string(event), location: InputLocation(source: "t.jsonl", line: line))
    }

    static func names(_ store: SQLitePersonStore, _ text: String) throws -> [String] {
        try store.searchPersons(text, limit: 50).map(\.displayName).sorted()
    }

    @Test func aV3StoreIsIndexedWhenItMigrates() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let queue = try DatabaseQueue(path: temporary.location)
        try Schema.migrator.migrate(queue, upTo: "v3")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('schema_version', '3'), ('change_counter', '0')")
            try db.execute(sql: """
                INSERT INTO person(id, uuid, created_at, properties, email, name, id_count) VALUES
                    (1, '0190d3b4-0000-7000-8000-000000000001', 1780000000, '{"email":"Old.Timer@Acme.io"}', 'Old.Timer@Acme.io', NULL, 1),
                    (2, '0190d3b4-0000-7000-8000-000000000002', 1780000001, '{}', NULL, NULL, 2);
                INSERT INTO distinct_id(distinct_id, person_id, joined_at, how) VALUES
                    ('legacy-7f3a', 1, 1780000000, 'first_event'), ('device-q9z', 2, 1780000001, 'first_event'), ('ab', 2, 1780000001, 'alias');
                """)
        }
        try queue.close()

        let store = try SQLitePersonStore(path: temporary.location)
        #expect(try Self.names(store, "TIMER@acme") == ["Old.Timer@Acme.io"])
        #expect(try Self.names(store, "cy-7f") == ["Old.Timer@Acme.io"])
        // Person 2 shows its first distinct ID, "ab".
        #expect(try Self.names(store, "ice-Q9") == ["ab"])
        #expect(try Self.names(store, "ab") == ["ab"], "two characters: a prefix, from the ordinary index")
        #expect(try Self.names(store, "bq") == [])
        let check = try store.check()
        #expect(check.isHealthy, "\(check.problems)")
    }

    @Test func everyWriteKeepsTheIndexInStep() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try store.ingest([
            Self.input(["event": "$pageview", "distinct_id": "web-anon-41", "properties": ["$set": ["email": "first@old-domain.com"]]]),
            Self.input(["event": "$pageview", "distinct_id": "phone-anon-77", "properties": ["$set": ["name": "Zoë Quarry"]]], line: 2),
        ], now: now)
        #expect(try Self.names(store, "OLD-DOMAIN") == ["first@old-domain.com"])
        #expect(try Self.names(store, "quarr") == ["Zoë Quarry"])

        // A changed email: the old one is no longer found, the new one is.
        _ = try store.ingest([Self.input(["event": "$set", "distinct_id": "web-anon-41", "properties": ["$set": ["email": "now@new-domain.org"]]])],
                             now: now)
        let properties = try store.personDetail("web-anon-41")?.person.properties ?? [:]
        #expect(try Self.names(store, "old-domain") == [], "\(properties)")
        #expect(try Self.names(store, "new-DOMAIN") == ["now@new-domain.org"])
        #expect(try Self.names(store, "-domain.") == ["now@new-domain.org"], "trigrams the old and new email share")

        // A merge deletes the source person: its IDs are found on the target, and only it.
        func uuids(_ text: String) throws -> Set<UUID> { Set(try store.searchPersons(text, limit: 50).map(\.uuid)) }
        let target = try uuids("web-anon-41")
        let merge = try store.write { engine, storage in
            try engine.manualMerge(target: "web-anon-41", source: "phone-anon-77", force: true, in: storage, now: now)
        }
        #expect(try uuids("phone-anon") == target)
        #expect(try uuids("quarr") == target, "the target took the name it lacked")
        #expect(try store.check().isHealthy)

        // Undo brings the source person back, and search finds it again under its own uuid.
        let action = try #require(merge.id)
        _ = try store.write { engine, storage in try engine.undo(action, in: storage, now: now) }
        let source = try uuids("phone-anon")
        #expect(source.count == 1 && source != target)
        #expect(try uuids("web-anon") == target)
        #expect(try store.check().isHealthy)
    }

    /// A merge deletes the newest person and a new person created later in the same batch takes
    /// its row id: the index must forget the first and know the second.
    @Test func aRowIDFreedAndTakenInOneBatchIsIndexedAsTheNewPerson() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try store.ingest([
            Self.input(["event": "$pageview", "distinct_id": "keeper-1", "properties": ["$set": ["email": "keeper@one.io"]]]),
        ], now: now)
        _ = try store.ingest([
            Self.input(["event": "$pageview", "distinct_id": "leaver-2", "properties": ["$set": ["name": "Ursula Leaving"]]]),
            // keeper-1 absorbs leaver-2 (the newest row), then a third person is created.
            Self.input(["event": "$merge_dangerously", "distinct_id": "keeper-1", "properties": ["alias": "leaver-2"]], line: 2),
            Self.input(["event": "$pageview", "distinct_id": "newcomer-3", "properties": ["$set": ["name": "Nadia Newcomer"]]], line: 3),
        ], now: now)
        let keeper = try #require(try store.personDetail("keeper-1")?.person)
        let newcomer = try #require(try store.personDetail("newcomer-3")?.person)
        #expect(try store.searchPersons("Ursula", limit: 10).map(\.uuid) == [keeper.uuid], "the name came with the merge")
        #expect(try store.searchPersons("Newcomer", limit: 10).map(\.uuid) == [newcomer.uuid])
        #expect(try store.searchPersons("leaver-", limit: 10).map(\.uuid) == [keeper.uuid])
        let check = try store.check()
        #expect(check.isHealthy, "\(check.problems)")
    }

    /// identikit writes the index itself; a row written around it is what `check` must catch.
    @Test func checkFindsAPersonTheIndexDoesNotKnow() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        _ = try store.ingest([Self.input(["event": "$pageview", "distinct_id": "known-1", "properties": ["$set": ["email": "a@b.io"]]])],
                             now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(try store.check().isHealthy)
        try store.databasePool.write { db in
            try db.execute(sql: "UPDATE person SET email = 'other@b.io', properties = '{\"email\":\"other@b.io\"}'")
        }
        let check = try store.check()
        #expect(check.problems.contains { $0.contains("substring search index of emails and names") }, "\(check.problems)")
    }

    /// SQLite counts characters, not bytes or grapheme clusters, when it leaves IDs under three out.
    @Test func shortAndCombiningIDsAreIndexedByTheirCharacters() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        // "e" + combining acute + "x": three characters, two graphemes.
        let ids = ["ab", "e\u{301}x", "zo\u{eb}-99"]
        _ = try store.ingest(ids.enumerated().map { index, id in
            Self.input(["event": "$pageview", "distinct_id": .string(id)], line: index + 1)
        }, now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(SearchIndexWriteBack.sqliteLength("e\u{301}x") == 3)
        #expect(try store.searchPersons("\u{eb}-9", limit: 10).count == 1)
        #expect(try store.searchPersons("e\u{301}x", limit: 10).count == 1)
        let check = try store.check()
        #expect(check.isHealthy, "\(check.problems)")
    }
}
