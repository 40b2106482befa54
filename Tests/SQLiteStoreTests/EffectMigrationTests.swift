import Foundation
import GRDB
import IdentityCore
import Testing
import TestSupport
@testable import SQLiteStore

/// A store written before effects were recorded (schema v1) opens, migrates to v2, and shows its
/// old events' effect as unknown; events ingested after have theirs.
@Suite struct EffectMigrationTests {
    @Test func eventsFromBeforeTheMigrationHaveNoEffect() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let queue = try DatabaseQueue(path: temporary.location)
        try Schema.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('schema_version', '1'), ('change_counter', '0')")
            try db.execute(sql: """
                INSERT INTO event(uuid, event, distinct_id, timestamp, properties, source)
                VALUES ('0190d3b4-0000-7000-8000-0000000000aa', '$pageview', 'old-anon', 1780000000, '{}', 'old.jsonl:1')
                """)
        }
        try queue.close()

        let store = try SQLitePersonStore(path: temporary.location)
        let old = try #require(try store.events(after: 0).first)
        #expect(old.effect == nil)
        #expect(old.duplicates == 0)
        #expect(EventEffect.summary(old.effect, duplicates: old.duplicates) == "unknown (ingested before effects were recorded)")

        let input = EventValidator.validate(["event": "$pageview", "distinct_id": "new-anon"], rawText: "{}",
                                            location: InputLocation(source: "new.jsonl", line: 1))
        _ = try store.ingest([input], now: Date())
        let new = try #require(try store.events(after: old.seq).first)
        #expect(new.effect?.kind == .newPerson)
        let version = try store.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'") }
        #expect(version == String(Schema.version), "migrated to the newest schema")
    }
}
