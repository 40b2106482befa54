import Foundation
import IdentityCore
import PostgresStore
import SQLiteStore
import Testing
import TestSupport

/// `propertyHistory` on both stores: every write of a key, oldest first, from the events' recorded
/// effects and the merge records.
@Suite("A property's history, on SQLite and on PostgreSQL")
struct PropertyHistoryTests {
    static let lines = [
        #"{"event":"e","distinct_id":"anon-1","timestamp":"2026-01-01T00:00:00Z","properties":{"$set":{"plan":"free"},"$set_once":{"first":"a"}}}"#,
        #"{"event":"e","distinct_id":"anon-1","timestamp":"2026-01-01T00:01:00Z","properties":{"$set":{"plan":"free"}}}"#,
        #"{"event":"e","distinct_id":"anon-1","timestamp":"2026-01-01T00:02:00Z","properties":{"$set_once":{"plan":"never"}}}"#,
        #"{"event":"$pageview","distinct_id":"anon-1","timestamp":"2026-01-01T00:03:00Z","properties":{"$current_url":"https://a.example"}}"#,
        #"{"event":"$pageview","distinct_id":"anon-1","timestamp":"2026-01-01T00:04:00Z","properties":{"$current_url":"https://b.example"}}"#,
        #"{"event":"e","distinct_id":"other","timestamp":"2026-01-01T00:05:00Z","properties":{"$set":{"company":"Acme","plan":"pro"}}}"#,
        #"{"event":"e","distinct_id":"nobody","timestamp":"2026-01-01T00:06:00Z","properties":{"$process_person_profile":false,"$set":{"plan":"ghost"}}}"#,
    ]

    static let later = [
        #"{"event":"e","distinct_id":"anon-1","timestamp":"2026-01-02T00:00:00Z","properties":{"$unset":["plan"]}}"#,
        #"{"event":"e","distinct_id":"anon-1","timestamp":"2026-01-02T00:01:00Z","properties":{"$unset":["plan"]}}"#,
    ]

    func history(_ store: any PersonStore, _ key: String) async throws -> [PropertyWrite] {
        let person = try #require(try await store.resolvePerson("anon-1")?.rowID)
        return try await store.propertyHistory(personID: person, key: key)
    }

    func summary(_ writes: [PropertyWrite]) -> [String] {
        writes.map { "\($0.event) \($0.operation.rawValue) \($0.value.map(JSONWriter.string) ?? "-") \($0.applied ? "written" : $0.reason?.rawValue ?? "?")" }
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func everyWriteOfAKeyInOrderWithWhySkipped(kind: TemporaryStore.Kind) async throws {
        let (store, temporary) = try await PostHogRecordsTests.open(kind)
        defer { temporary.remove() }
        try await PostHogRecordsTests.ingest(store, Self.lines)
        let merge = try await store.write { engine, storage in
            try engine.manualMerge(target: "anon-1", source: "other", force: false, in: storage, now: PostHogRecordsTests.now)
        }
        try await PostHogRecordsTests.ingest(store, Self.later)

        let plan = try await history(store, "plan")
        #expect(summary(plan) == [
            #"e $set "free" written"#,
            #"e $set "free" unchanged"#,
            #"e $set_once "never" already_set"#,
            // The merged-in person's own write of it (the target kept its value: the merge brought nothing).
            #"e $set "pro" written"#,
            "e $unset - written",
            "e $unset - unchanged",
        ])
        #expect(plan[3].distinctID == "other")
        #expect(plan.first?.at == Timestamp.parse("2026-01-01T00:00:00Z"))
        #expect(plan.first?.eventUUID != nil)

        let company = try await history(store, "company")
        #expect(summary(company) == [#"e $set "Acme" written"#, #"manual_merge merge "Acme" written"#])
        #expect(company.last?.actionID == merge.id)
        #expect(company.last?.distinctID == nil)

        let url = try await history(store, "$current_url")
        #expect(summary(url) == [#"$pageview $set "https://a.example" written"#, #"$pageview $set "https://b.example" churn_filter"#])
        #expect(summary(try await history(store, "first")) == [#"e $set_once "a" written"#])
        #expect(try await history(store, "no such key").isEmpty)

        // Undone, the merge's write stays in the history, marked.
        _ = try await store.write { engine, storage in try engine.undo(merge.id!, in: storage, now: PostHogRecordsTests.now) }
        #expect(summary(try await history(store, "company")) == [#"manual_merge merge "Acme" undone"#])
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func aPersonlessWriteIsNamedAsSuch(kind: TemporaryStore.Kind) async throws {
        let (store, temporary) = try await PostHogRecordsTests.open(kind)
        defer { temporary.remove() }
        try await PostHogRecordsTests.ingest(store, Self.lines + [
            #"{"event":"$identify","distinct_id":"nobody","timestamp":"2026-01-03T00:00:00Z","properties":{"$set":{"plan":"real"}}}"#,
        ])
        let person = try #require(try await store.resolvePerson("nobody")?.rowID)
        #expect(summary(try await store.propertyHistory(personID: person, key: "plan"))
                == [#"e $set "ghost" personless"#, #"$identify $set "real" written"#])
    }
}
