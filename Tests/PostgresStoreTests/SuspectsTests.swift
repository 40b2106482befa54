import Foundation
import IdentityCore
import PostgresStore
import SQLiteStore
import Testing
import TestSupport

/// `suspects` on both stores: each kind found, and nothing ordinary listed.
@Suite("Suspects, on SQLite and on PostgreSQL")
struct SuspectsTests {
    static var lines: [String] {
        var lines: [String] = []
        // A person that gathered 13 IDs: far more than usual.
        for n in 0..<12 {
            lines.append(#"{"event":"$identify","distinct_id":"shared-device","timestamp":"2026-01-01T00:00:\#(10 + n)Z","properties":{"$anon_distinct_id":"anon-\#(n)"}}"#)
        }
        // Thirty ordinary persons with one or two IDs each.
        for n in 0..<30 {
            lines.append(#"{"event":"$identify","distinct_id":"user-\#(n)","timestamp":"2026-01-02T00:00:\#(10 + n)Z","properties":{"$anon_distinct_id":"visit-\#(n)"}}"#)
        }
        // Generic-looking IDs the blocklist lets through ("null" and "0" it refuses: not suspects here).
        for id in ["user", "NULL", "-1", "null", "0"] {
            lines.append(#"{"event":"e","distinct_id":"\#(id)","timestamp":"2026-01-03T00:00:00Z"}"#)
        }
        // One email on two identified persons, and on an anonymous one (which does not count).
        lines.append(#"{"event":"$identify","distinct_id":"ann","timestamp":"2026-01-04T00:00:00Z","properties":{"$anon_distinct_id":"anon-a","$set":{"email":"ann@example.com"}}}"#)
        lines.append(#"{"event":"$identify","distinct_id":"ann-work","timestamp":"2026-01-04T00:00:01Z","properties":{"$anon_distinct_id":"anon-b","$set":{"email":"ANN@example.com"}}}"#)
        lines.append(#"{"event":"e","distinct_id":"anon-ann","timestamp":"2026-01-04T00:00:02Z","properties":{"$set":{"email":"ann@example.com"}}}"#)
        lines.append(#"{"event":"$identify","distinct_id":"solo","timestamp":"2026-01-04T00:00:03Z","properties":{"$anon_distinct_id":"anon-s","$set":{"email":"solo@example.com"}}}"#)
        return lines
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func eachKindIsFound(kind: TemporaryStore.Kind) async throws {
        let (store, temporary) = try await PostHogRecordsTests.open(kind)
        defer { temporary.remove() }
        try await PostHogRecordsTests.ingest(store, Self.lines)
        let report = try await store.suspects(limit: 50)
        #expect(report.idThreshold == 10)

        let many = report.of(.manyIDs)
        #expect(many.count == 1)
        #expect(many.first?.count == 13)
        #expect(many.first?.person?.uuid == (try await store.resolvePerson("shared-device"))?.uuid)

        #expect(report.of(.genericID).map(\.distinctID) == ["-1", "NULL", "user"])
        #expect(report.of(.genericID).first?.person?.uuid == (try await store.resolvePerson("-1"))?.uuid)

        let shared = report.of(.sharedEmail)
        #expect(shared.count == 1)
        #expect(shared.first?.email?.lowercased() == "ann@example.com")
        #expect(shared.first?.count == 2)
        #expect(shared.first?.person == nil)

        let limited = try await store.suspects(limit: 2)
        #expect(limited.of(.genericID).map(\.distinctID) == ["-1", "NULL"])
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func anOrdinaryStoreHasNoSuspects(kind: TemporaryStore.Kind) async throws {
        let (store, temporary) = try await PostHogRecordsTests.open(kind)
        defer { temporary.remove() }
        #expect(try await store.suspects(limit: 10) == SuspectReport(idThreshold: 10, suspects: []))
        try await PostHogRecordsTests.ingest(store, Array(Self.lines[12..<42]))
        #expect(try await store.suspects(limit: 10).suspects.isEmpty)
    }

    @Test func theGenericCandidatesSkipWhatTheBlocklistRefuses() {
        let candidates = Set(SuspectRules.genericCandidates)
        for id in ["user", "User", "USER", "test", "-1", "[]", "{}", "nil", "unknown", "none".uppercased(), "default", "admin", "1", "42", "NULL"] {
            #expect(candidates.contains(id), "\(id)")
        }
        for id in ["null", "0", "anonymous", "undefined", "none", "None", "NaN", " "] { #expect(!candidates.contains(id), "\(id)") }
        #expect(SuspectRules.idThreshold(p99: nil) == 10)
        #expect(SuspectRules.idThreshold(p99: 25) == 25)
    }
}
