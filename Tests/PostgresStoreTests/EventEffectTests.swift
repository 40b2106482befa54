import Foundation
import IdentityCore
import PostgresStore
import SQLiteStore
import Testing
import TestSupport

/// What each event did to identity, decided by the real engine, recorded at ingest and read back
/// from a real store of each kind: one test per kind of effect.
@Suite("Event effects, recorded at ingest, in both stores")
struct EventEffectTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Ingests JSON event lines into a fresh store of `kind` and returns the stored events, oldest
    /// first, with the store (closed by the caller through `close`).
    static func ingest(_ kind: TemporaryStore.Kind, _ events: [JSONValue], batch: Int = 100) async throws -> (any PersonStore, [StoredEvent]) {
        let store: any PersonStore = switch kind {
        case .sqlite: try SQLitePersonStore(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("identikit-effects-\(UUID().uuidString).sqlite").path)
        case .postgres: try await PostgresTestStore.make()
        }
        let inputs = PostgresStoreTests.inputs(events)
        var start = 0
        while start < inputs.count {
            _ = try await store.ingest(Array(inputs[start..<min(start + batch, inputs.count)]), now: now)
            start += batch
        }
        return (store, try await store.events(after: 0, distinctID: nil, personID: nil, limit: 1000))
    }

    static func close(_ store: any PersonStore) async {
        if let postgres = store as? PostgresPersonStore { await postgres.close() }
        if let sqlite = store as? SQLitePersonStore {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlite.path + suffix) }
        }
    }

    static func event(_ name: String, _ id: String, _ properties: [String: JSONValue] = [:], uuid: String? = nil) -> JSONValue {
        var event: [String: JSONValue] = ["event": .string(name), "distinct_id": .string(id), "properties": .object(properties),
                                          "timestamp": "2026-11-01T10:00:00Z"]
        if let uuid { event["uuid"] = .string(uuid) }
        return .object(event)
    }

    func effects(_ kind: TemporaryStore.Kind, _ events: [JSONValue]) async throws -> [EventEffect?] {
        let (store, stored) = try await Self.ingest(kind, events)
        await Self.close(store)
        return stored.map(\.effect)
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func newPersonThenExistingPerson(_ kind: TemporaryStore.Kind) async throws {
        let (store, stored) = try await Self.ingest(kind, [Self.event("$pageview", "anon-1"), Self.event("$pageview", "anon-1")])
        defer { Task { await Self.close(store) } }
        let person = try #require(try await store.resolvePerson("anon-1"))
        #expect(stored.map(\.effect?.kind) == [.newPerson, .existingPerson])
        #expect(stored.map(\.effect?.person) == [person.uuid, person.uuid])
        #expect(stored[0].effect?.summary == "new person")
        #expect(stored[1].effect?.summary == "existing person")
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func identifyLinksTheAnonymousID(_ kind: TemporaryStore.Kind) async throws {
        let effects = try await effects(kind, [
            Self.event("$pageview", "anon-1"),
            Self.event("$identify", "user-1", ["$anon_distinct_id": "anon-1"]),
        ])
        let linked = try #require(effects[1])
        #expect(linked.kind == .linkedID)
        #expect(linked.linkedID == "user-1", "the identified ID joined the anonymous person")
        #expect(linked.merge == nil && linked.warnings.isEmpty)
        #expect(linked.summary == "linked user-1")
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func identifyMergesTwoPersonsWithTheMergesActionNumber(_ kind: TemporaryStore.Kind) async throws {
        let (store, stored) = try await Self.ingest(kind, [
            Self.event("$pageview", "anon-1"), Self.event("$pageview", "user-1"),
            Self.event("$identify", "user-1", ["$anon_distinct_id": "anon-1"]),
            Self.event("$pageview", "phone-1"),
            Self.event("$create_alias", "user-1", ["alias": "phone-1"]),
        ])
        defer { Task { await Self.close(store) } }
        let survivor = try #require(try await store.resolvePerson("user-1"))
        let detail = try #require(try await store.personDetail("user-1"))
        let merges = detail.history.filter { $0.kind.isMerge }
        let identify = try #require(stored[2].effect?.merge)
        #expect(stored[2].effect?.kind == .merged)
        #expect(identify.how == .identify)
        #expect(identify.target == survivor.uuid)
        #expect(identify.source != survivor.uuid)
        #expect(merges.contains { $0.id == identify.actionID && $0.kind == .identify && $0.sourceUUID == identify.source },
                "the action number is the stored merge's: undo takes it")
        let alias = try #require(stored[4].effect?.merge)
        #expect(alias.how == .createAlias)
        #expect(alias.actionID != identify.actionID)
        #expect(merges.contains { $0.id == alias.actionID && $0.kind == .createAlias })
        #expect(stored[2].effect?.summary == "merged #\(identify.actionID) ($identify)")
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func mergeDangerouslyIsReportedAsSuch(_ kind: TemporaryStore.Kind) async throws {
        let effects = try await effects(kind, [
            Self.event("$identify", "user-1", ["$anon_distinct_id": "anon-1"]),
            Self.event("$identify", "user-2", ["$anon_distinct_id": "anon-2"]),
            Self.event("$merge_dangerously", "user-1", ["alias": "user-2"]),
        ])
        #expect(effects[2]?.kind == .merged)
        #expect(effects[2]?.merge?.how == .mergeDangerously)
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func refusedMergeNamesItsWarning(_ kind: TemporaryStore.Kind) async throws {
        let (store, stored) = try await Self.ingest(kind, [
            Self.event("$identify", "user-1", ["$anon_distinct_id": "anon-1"]),
            Self.event("$identify", "user-2", ["$anon_distinct_id": "anon-2"]),
            Self.event("$identify", "user-1", ["$anon_distinct_id": "user-2"]),
        ])
        defer { Task { await Self.close(store) } }
        let refused = try #require(stored[2].effect)
        #expect(refused.kind == .refused)
        #expect(refused.warnings == [.cannotMergeAlreadyIdentified])
        #expect(refused.merge == nil)
        #expect(refused.summary == "refused: cannot_merge_already_identified")
        // The link to the warning: the store finds it by the event's uuid.
        let warnings = try await store.warnings(type: .cannotMergeAlreadyIdentified, containing: stored[2].uuid.lowercased, before: nil, limit: 10)
        #expect(warnings.map(\.eventUUID) == [stored[2].uuid])
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func illegalIDIsNotMerged(_ kind: TemporaryStore.Kind) async throws {
        let effects = try await effects(kind, [
            Self.event("$pageview", "user-1"),
            Self.event("$identify", "user-1", ["$anon_distinct_id": "null"]),
        ])
        #expect(effects[1]?.kind == .illegalID)
        #expect(effects[1]?.warnings == [.cannotMergeWithIllegalDistinctID])
        #expect(effects[1]?.merge == nil && effects[1]?.linkedID == nil)
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func personlessEventTouchesNoPerson(_ kind: TemporaryStore.Kind) async throws {
        let effects = try await effects(kind, [
            Self.event("$pageview", "anon-1", ["$process_person_profile": false, "$set": ["plan": "pro"]]),
        ])
        #expect(effects[0] == EventEffect(kind: .personless))
        #expect(effects[0]?.summary == "personless")
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func propertiesWrittenAndSkippedWithWhy(_ kind: TemporaryStore.Kind) async throws {
        let effects = try await effects(kind, [
            Self.event("$pageview", "anon-1", ["$set": ["plan": "free", "$current_url": "/a"], "$set_once": ["first": "yes"]]),
            Self.event("$pageview", "anon-1", ["$set_once": ["first": "again", "source": "ad"], "$unset": ["plan"]]),
            // Only a churning automatic key changes: the churn filter skips it.
            Self.event("$pageview", "anon-1", ["$set": ["$current_url": "/b"]]),
        ])
        let first = try #require(effects[0])
        #expect(first.kind == .newPerson)
        #expect(first.set == ["$current_url", "plan"])
        #expect(first.setOnce == ["first"])
        let second = try #require(effects[1])
        #expect(second.setOnce == ["source"])
        #expect(second.unset == ["plan"])
        #expect(second.skipped == [EventEffect.Skip(key: "first", reason: .alreadySet)])
        #expect(second.summary == "existing person · set_once 1, unset 1, skipped 1 (already set)")
        let third = try #require(effects[2])
        #expect(third.set.isEmpty)
        #expect(third.skipped == [EventEffect.Skip(key: "$current_url", reason: .churnFilter)])
        #expect(third.summary == "existing person · skipped 1 (churn filter)")
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func duplicatesAreCountedOnTheOriginal(_ kind: TemporaryStore.Kind) async throws {
        let uuid = "0190d3b4-0000-7000-8000-000000000001"
        // The second copy in the same batch, the third in a later batch.
        let (store, stored) = try await Self.ingest(kind, [
            Self.event("$pageview", "anon-1", uuid: uuid), Self.event("$pageview", "anon-1", uuid: uuid),
            Self.event("$pageview", "anon-2"), Self.event("$pageview", "anon-1", uuid: uuid),
        ], batch: 3)
        defer { Task { await Self.close(store) } }
        #expect(stored.count == 2, "duplicates are not stored as events")
        #expect(stored[0].duplicates == 2)
        #expect(stored[1].duplicates == 0)
        #expect(EventEffect.summary(stored[0].effect, duplicates: stored[0].duplicates) == "new person · 2 duplicates ignored")
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func eventsAfterASeqOldestFirstByIDAndByPerson(_ kind: TemporaryStore.Kind) async throws {
        let (store, stored) = try await Self.ingest(kind, [
            Self.event("$pageview", "anon-1"), Self.event("$pageview", "other"), Self.event("$pageview", "anon-1"),
            Self.event("$identify", "user-1", ["$anon_distinct_id": "anon-1"]), Self.event("$pageview", "other"),
        ])
        defer { Task { await Self.close(store) } }
        let first = stored[0].seq
        let all = try await store.events(after: first, distinctID: nil, personID: nil, limit: 10)
        #expect(all.map(\.seq) == Array(stored.dropFirst()).map(\.seq))
        #expect(try await store.events(after: first, distinctID: nil, personID: nil, limit: 2).map(\.seq) == [stored[1].seq, stored[2].seq])
        let byID = try await store.events(after: first, distinctID: "anon-1", personID: nil, limit: 10)
        #expect(byID.map(\.seq) == [stored[2].seq])
        let person = try #require(try await store.resolvePerson("user-1")?.rowID)
        let byPerson = try await store.events(after: first, distinctID: nil, personID: person, limit: 10)
        #expect(byPerson.map(\.name) == ["$pageview", "$identify"], "both of the person's IDs, oldest first")
    }
}
