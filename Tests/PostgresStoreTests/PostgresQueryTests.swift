import DemoData
import Foundation
import IdentityCore
import PostgresStore
import SQLiteStore
import Testing

/// The same events and manual actions in a SQLite store and a PostgreSQL store, then every query of
/// `PersonStore` asked of both through the protocol: the answers must agree, row ids (which each
/// store numbers its own way) and sub-microsecond times (PostgreSQL keeps microseconds) aside.
@Suite("The PostgreSQL store answers every query as the SQLite store does")
struct PostgresQueryTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Both stores, filled the same way; the merge each store undid, by its own id.
    final class Pair: @unchecked Sendable {
        let directory: URL
        let sqlite: any PersonStore
        let postgres: PostgresPersonStore
        var undone: [ObjectIdentifier: Int64] = [:]
        var stores: [any PersonStore] { [sqlite, postgres] }

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("identikit-pg-query-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            sqlite = try SQLitePersonStore(path: directory.appendingPathComponent("store.sqlite").path)
            postgres = try await PostgresTestStore.make()
        }

        func close() async {
            await postgres.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func filled() async throws -> Pair {
        let pair = try await Pair()
        var events = Array(DemoGenerator(persons: 300))
        // A rejected input (kept raw, with its warning) and an event whose text needs care in SQL.
        events.append(["event": "broken", "properties": ["x": 1]])
        events.append(["event": "odd", "distinct_id": "100%_sure'\"\\", "timestamp": "2026-08-01T00:00:00Z",
                       "properties": ["$set": ["email": "Percent@Example.com"]]])
        let inputs = PostgresStoreTests.inputs(events, source: "demo")
        for store in pair.stores {
            var start = 0
            while start < inputs.count {
                _ = try await store.ingest(Array(inputs[start..<min(start + 400, inputs.count)]), now: now)
                start += 400
            }
        }
        // Manual merges, an undo and a split, named by distinct IDs (the same in both stores).
        let first = try await pair.sqlite.persons(order: .firstSeen, descending: false, after: nil, limit: 8).persons
        var named: [[String]] = []
        for person in first { named.append(try #require(try await pair.sqlite.personDetail(person.uuid.lowercased)).distinctIDs.map(\.distinctID)) }
        let ids = named
        for store in pair.stores {
            _ = try await store.write { engine, storage in
                try engine.manualMerge(target: ids[0][0], source: ids[1][0], force: true, in: storage, now: now)
            }
            let undone = try await store.write { engine, storage in
                try engine.manualMerge(target: ids[2][0], source: ids[3][0], force: true, in: storage, now: now.addingTimeInterval(1))
            }
            let mergeID = try #require(undone.id)
            pair.undone[ObjectIdentifier(store)] = mergeID
            _ = try await store.write { engine, storage in try engine.undo(mergeID, in: storage, now: now.addingTimeInterval(2)) }
            _ = try await store.write { engine, storage in
                try engine.manualMerge(target: ids[4][0], source: ids[5][0], force: true, in: storage, now: now.addingTimeInterval(3))
            }
            _ = try await store.write { engine, storage in
                try engine.split(person: ids[4][0], distinctIDs: [ids[5][0]], in: storage, now: now.addingTimeInterval(4))
            }
        }
        // More events after the manual actions, so the export has to place them between events.
        let later = PostgresStoreTests.inputs([["event": "later", "distinct_id": .string(ids[0][0]),
                                                "timestamp": "2026-09-01T00:00:00Z"]], source: "later")
        for store in pair.stores { _ = try await store.ingest(later, now: now) }
        return pair
    }

    // MARK: Comparable forms (no row ids, times in microseconds)

    static func micros(_ date: Date?) -> Int64? { date.map { Int64(($0.timeIntervalSince1970 * 1_000_000).rounded()) } }

    struct Summary: Equatable {
        var uuid: UUID, name: String, identified: Bool, ids: Int, events: Int, created: Int64?, first: Int64?, last: Int64?
        init(_ s: PersonSummary) {
            (uuid, name, identified, ids, events) = (s.uuid, s.displayName, s.isIdentified, s.distinctIDCount, s.eventCount)
            (created, first, last) = (micros(s.createdAt), micros(s.firstSeen), micros(s.lastSeen))
        }
    }

    struct PersonForm: Equatable {
        var uuid: UUID, created: Int64?, identified: Bool, properties: [String: JSONValue], version: Int64
        init(_ p: Person) {
            (uuid, created, identified, properties, version) = (p.uuid, micros(p.createdAt), p.isIdentified, p.properties, p.version)
        }
    }

    struct Detail: Equatable {
        var person: PersonForm
        var ids: [String], hows: [JoinKind], joined: [Int64?], eventUUIDs: [UUID?]
        var history: [String], events: Int, first: Int64?, last: Int64?
        init(_ d: PersonDetail) {
            person = PersonForm(d.person)
            ids = d.distinctIDs.map(\.distinctID)
            hows = d.distinctIDs.map(\.how)
            joined = d.distinctIDs.map { micros($0.joinedAt) }
            eventUUIDs = d.distinctIDs.map(\.eventUUID)
            history = d.history.map { "\($0.kind.rawValue) \($0.targetUUID?.lowercased ?? "-") \($0.sourceUUID?.lowercased ?? "-") \($0.distinctIDs) \(micros($0.at)!) \($0.undoneBy != nil)" }
            (events, first, last) = (d.eventCount, micros(d.firstSeen), micros(d.lastSeen))
        }
    }

    struct EventForm: Equatable {
        var uuid: UUID, name: String, id: String, time: Int64?, properties: [String: JSONValue], source: String?
        init(_ e: StoredEvent) {
            (uuid, name, id, time, properties, source) = (e.uuid, e.name, e.distinctID, micros(e.timestamp), e.properties, e.source)
        }
    }

    struct WarningForm: Equatable {
        var type: WarningType, created: Int64?, event: UUID?, ids: [String], details: [String: JSONValue], raw: String?, source: String?
        init(_ w: IngestionWarning) {
            (type, created, event, ids, details, raw, source) = (w.type, micros(w.createdAt), w.eventUUID, w.distinctIDs, w.details, w.raw, w.source)
        }
    }

    /// A property history line without the action's number (each store numbers its own).
    struct WriteForm: Equatable {
        var at: Int64?, event: String, uuid: UUID?, id: String?, op: String, value: JSONValue?, applied: Bool, reason: String?
        init(_ w: PropertyWrite) {
            (at, event, uuid, id, op) = (micros(w.at), w.event, w.eventUUID, w.distinctID, w.operation.rawValue)
            (value, applied, reason) = (w.value, w.applied, w.reason?.rawValue)
        }
    }

    static func walk(_ store: any PersonStore, _ order: PersonOrder, descending: Bool, limit: Int,
                     filter: PersonFilter = .none) async throws -> [Summary] {
        var all: [Summary] = []
        var cursor: PersonCursor?
        repeat {
            let page = try await store.persons(order: order, descending: descending, after: cursor, filter: filter, limit: limit)
            all += page.persons.map(Summary.init)
            cursor = page.next
            #expect(all.count <= 10_000, "paging ends")
        } while cursor != nil && all.count <= 10_000
        return all
    }

    static func export(_ store: any PersonStore, undone: Int64) async throws -> [JSONValue] {
        var records: [JSONValue] = []
        try await store.exportRecords { records.append($0) }
        // Each store numbers its own merges: an undo must name the merge it undid, by that store's number.
        return records.map { record in
            guard var object = record.objectValue, object[ReplayedAction.key] == "undo" else { return record }
            #expect(object["merge_id"] == .int(undone))
            object["merge_id"] = .int(0)
            return .object(object)
        }
    }

    // MARK: The comparison

    @Test func everyQueryAgreesWithTheSQLiteStore() async throws {
        let pair = try await Self.filled()
        let (sqlite, postgres) = (pair.sqlite, pair.postgres as any PersonStore)
        defer { Task { await pair.close() } }

        let stats = try await sqlite.stats()
        #expect(stats.persons > 200 && stats.events > 1_000 && stats.warnings > 0 && stats.merges > 0)
        #expect(try await postgres.stats() == stats)

        for order in PersonOrder.allCases {
            for descending in [true, false] {
                let expected = try await Self.walk(sqlite, order, descending: descending, limit: 37)
                #expect(expected.count == stats.persons)
                let found = try await Self.walk(postgres, order, descending: descending, limit: 37)
                let sameOrder = found.map(\.uuid) == expected.map(\.uuid)
                let firstDifference = Array(zip(found, expected)).firstIndex { $0.0.uuid != $0.1.uuid }
                #expect(sameOrder, "\(order) descending: \(descending): \(found.count) persons, first difference at \(String(describing: firstDifference))")
                let differing = zip(found, expected).filter { $0.0 != $0.1 }.prefix(3)
                #expect(differing.isEmpty, "\(order) descending: \(descending): \(Array(differing))")
            }
        }

        let some = try await sqlite.persons(order: .size, descending: true, after: nil, limit: 40).persons
        var prefixes = ["a", "A", "user", "100%", "percent@", "zzz-none", ""]
        for person in some.prefix(10) {
            let detail = try #require(try await sqlite.personDetail(person.uuid.lowercased))
            prefixes.append(String(detail.distinctIDs[0].distinctID.prefix(4)))
            prefixes.append(String(person.displayName.prefix(2)).uppercased())
        }
        // One or two characters match prefixes, walked in index order: the first 25 agree. Longer
        // text matches anywhere, and past `limit` which matches come back is each store's choice:
        // room for all of them.
        for text in prefixes {
            let limit = text.count < 3 ? 25 : 5000
            let expected = try await sqlite.searchPersons(text, limit: limit).map(Summary.init)
            let found = try await postgres.searchPersons(text, limit: limit).map(Summary.init)
            #expect(found == expected, "search \(text): \(found.map(\.name)) \(expected.map(\.name))")
        }

        // Substring search, with room for every match (past `limit`, which matches come back is
        // each store's choice): the middle of emails, names and distinct IDs, any case.
        var substrings = ["xample", "ERCENT@EX", "0%_sure'\"", "%_s", "zzz-none", "a"]
        for person in some.prefix(10) {
            let detail = try #require(try await sqlite.personDetail(person.uuid.lowercased))
            substrings.append(String(detail.distinctIDs[0].distinctID.dropFirst(2).prefix(5)))
            substrings.append(String(person.displayName.dropFirst(1).prefix(4)).uppercased())
        }
        for text in substrings {
            let expected = try await sqlite.searchPersons(text, limit: 5000).map(Summary.init)
            let found = try await postgres.searchPersons(text, limit: 5000).map(Summary.init)
            #expect(found == expected, "substring \(text): \(found.map(\.name)) \(expected.map(\.name))")
            if text.count >= 3, text != "zzz-none" { #expect(!expected.isEmpty, "substring \(text) finds someone") }
        }

        // Filters, paged in both directions: the same persons in the same order.
        let filters = [
            PersonFilter(conditions: [PropertyCondition(key: "plan", op: .equals, value: "pro")]),
            PersonFilter(conditions: [PropertyCondition(key: "plan", op: .notEquals, value: "free")], identified: true),
            PersonFilter(conditions: [PropertyCondition(key: "email", op: .contains, value: "EXAMPLE")]),
            PersonFilter(conditions: [PropertyCondition(key: "email", op: .contains, value: "T@EXAMPLE")]),
            PersonFilter(identified: false),
        ]
        // LIKE's own characters in a contains value are plain text: "t_example" is not "t@example".
        for store in [sqlite, postgres] {
            let escaped = PersonFilter(conditions: [PropertyCondition(key: "email", op: .contains, value: "t_example")])
            #expect(try await store.persons(order: .firstSeen, descending: true, after: nil, filter: escaped, limit: 10).persons.isEmpty)
        }
        for filter in filters {
            for (order, descending) in [(PersonOrder.firstSeen, true), (.size, false), (.lastSeen, true)] {
                let expected = try await Self.walk(sqlite, order, descending: descending, limit: 23, filter: filter)
                let found = try await Self.walk(postgres, order, descending: descending, limit: 23, filter: filter)
                #expect(found == expected, "\(filter.summary) \(order) descending: \(descending): \(found.count) and \(expected.count)")
                #expect(!expected.isEmpty && expected.count < stats.persons, "\(filter.summary) narrows the list")
            }
        }

        var historyLines = 0
        for person in some {
            let expected = try #require(try await sqlite.personDetail(person.uuid.lowercased))
            let found = try #require(try await postgres.personDetail(person.uuid.lowercased))
            #expect(Detail(found) == Detail(expected))
            let id = expected.distinctIDs.last!.distinctID
            #expect(try await postgres.personDetail(id).map(Detail.init) == Detail(expected))
            #expect(try await postgres.resolvePerson(id).map(PersonForm.init) == PersonForm(expected.person))

            // A person's timeline, two pages, each store paging with its own seqs.
            let sqliteRow = try #require(expected.person.rowID), postgresRow = try #require(found.person.rowID)
            let firstPage = try await sqlite.events(personID: sqliteRow, before: nil, limit: 5)
            let foundPage = try await postgres.events(personID: postgresRow, before: nil, limit: 5)
            #expect(foundPage.map(EventForm.init) == firstPage.map(EventForm.init))
            let secondPage = try await sqlite.events(personID: sqliteRow, before: firstPage.last?.seq, limit: 50)
            let foundSecond = try await postgres.events(personID: postgresRow, before: foundPage.last?.seq, limit: 50)
            #expect(foundSecond.map(EventForm.init) == secondPage.map(EventForm.init))
            #expect(firstPage.count + secondPage.count == min(expected.eventCount, 55))

            let byID = try await sqlite.events(distinctID: id, before: nil, limit: 3)
            #expect(try await postgres.events(distinctID: id, before: nil, limit: 3).map(EventForm.init) == byID.map(EventForm.init))
            if let event = byID.first {
                #expect(try await postgres.event(uuid: event.uuid).map(EventForm.init) == EventForm(event))
            }

            // Every write of a few of its keys (and of one it never had).
            for key in Array(expected.person.properties.keys.sorted().prefix(5)) + ["$initial_browser", "no_such_key"] {
                let history = try await sqlite.propertyHistory(personID: sqliteRow, key: key).map(WriteForm.init)
                #expect(try await postgres.propertyHistory(personID: postgresRow, key: key).map(WriteForm.init) == history, "history of \(key)")
                if expected.person.properties[key] != nil { historyLines += history.count }
            }

            let pairs = try await sqlite.personsWithDistinctIDs([sqliteRow])
            let foundPairs = try await postgres.personsWithDistinctIDs([postgresRow, -1])
            #expect(foundPairs.map { PersonForm($0.0) } == pairs.map { PersonForm($0.0) })
            #expect(foundPairs.map(\.1) == pairs.map(\.1))
        }
        #expect(historyLines >= some.count, "every property a person has was written by something")
        #expect(try await postgres.resolvePerson("no such id") == nil)
        #expect(try await postgres.event(uuid: UUID()) == nil)

        let latest = try await sqlite.events(distinctID: nil, before: nil, limit: 60)
        #expect(try await postgres.events(distinctID: nil, before: nil, limit: 60).map(EventForm.init) == latest.map(EventForm.init))

        let groups = try await sqlite.warningGroups()
        #expect(!groups.isEmpty)
        let foundGroups = try await postgres.warningGroups()
        #expect(foundGroups.map { "\($0.type) \($0.count) \(Self.micros($0.lastSeen)!)" }
                == groups.map { "\($0.type) \($0.count) \(Self.micros($0.lastSeen)!)" })
        for (type, text) in [(WarningType?.none, String?.none), (groups.first?.type, nil), (nil, "null"), (nil, "%"), (nil, "demo")] {
            let expected = try await sqlite.warnings(type: type, containing: text, before: nil, limit: 500).map(WarningForm.init)
            #expect(try await postgres.warnings(type: type, containing: text, before: nil, limit: 500).map(WarningForm.init) == expected,
                    "warnings \(String(describing: type)) \(text ?? "-")")
        }
        let firstWarnings = try await postgres.warnings(type: nil, containing: nil, before: nil, limit: 2)
        if let last = firstWarnings.last?.id {
            let rest = try await postgres.warnings(type: nil, containing: nil, before: last, limit: 500)
            #expect(firstWarnings.count + rest.count == stats.warnings)
        }

        for property in ["email", "name", "plan", "no_such_property"] {
            let expected = try await sqlite.duplicateGroups(property: property, limit: 50)
            #expect(try await postgres.duplicateGroups(property: property, limit: 50) == expected, "duplicates of \(property)")
            for group in expected.prefix(3) {
                let sharing = try await sqlite.personsSharing(property: property, value: group.value, limit: 20).map(Summary.init)
                #expect(try await postgres.personsSharing(property: property, value: group.value, limit: 20).map(Summary.init) == sharing)
            }
        }
        #expect(try await postgres.duplicateGroups(property: "plan", limit: 50).count > 1)
        #expect(try await postgres.personsSharing(property: "email", value: "PERCENT@example.COM", limit: 5).count == 1)

        // Suspects: the same persons, IDs and emails (persons compared without their row ids).
        func suspectForms(_ report: SuspectReport) -> [String] {
            report.suspects.map { "\($0.kind.rawValue) \($0.person.map { "\(Summary($0))" } ?? "-") \($0.distinctID ?? "-") \($0.email?.lowercased() ?? "-") \($0.count)" }
        }
        let expectedSuspects = try await sqlite.suspects(limit: 100)
        let foundSuspects = try await postgres.suspects(limit: 100)
        #expect(foundSuspects.idThreshold == expectedSuspects.idThreshold)
        #expect(suspectForms(foundSuspects) == suspectForms(expectedSuspects))
        #expect(!expectedSuspects.suspects.isEmpty, "the demo data has generic IDs and shared devices")

        let sqliteCheck = try await sqlite.check(), postgresCheck = try await postgres.check()
        #expect(sqliteCheck.isHealthy, "\(sqliteCheck.problems)")
        #expect(postgresCheck.isHealthy, "\(postgresCheck.problems)")
        #expect(postgresCheck.stats == stats)

        let expectedExport = try await Self.export(sqlite, undone: pair.undone[ObjectIdentifier(pair.sqlite)]!)
        let foundExport = try await Self.export(postgres, undone: pair.undone[ObjectIdentifier(pair.postgres)]!)
        #expect(expectedExport.count >= stats.events + 5)
        #expect(foundExport.count == expectedExport.count)
        let exportDifferences = zip(foundExport, expectedExport).filter { $0.0 != $0.1 }.prefix(2)
        #expect(exportDifferences.isEmpty, "\(exportDifferences.map { "\(JSONWriter.string($0.0))\n  instead of \(JSONWriter.string($0.1))" })")
    }

    @Test func dryRunAndReadKeepNothing() async throws {
        let store = try await PostgresTestStore.make()
        defer { Task { await store.close() } }
        let events: [JSONValue] = [["event": "e", "distinct_id": "ada"], ["event": "e", "distinct_id": "grace"]]
        _ = try await store.ingest(PostgresStoreTests.inputs(events), now: Self.now)
        let before = try await store.stats()
        let merge = try await store.dryRun { engine, storage in
            try engine.manualMerge(target: "ada", source: "grace", force: true, in: storage, now: Self.now)
        }
        #expect(merge.kind.isMerge)
        let preview = try await store.read { engine, storage in
            try engine.previewMerge(target: "ada", source: "grace", in: storage)
        }
        #expect(preview.resultingDistinctIDs == ["ada", "grace"])
        #expect(try await store.stats() == before)
        #expect(try await store.check().isHealthy)
        #expect(try await (store as any PersonStore).personDetail("ada")?.distinctIDs.map(\.distinctID) == ["ada"])
        #expect(!store.location.contains(try #require(store.server.password)))
        #expect(store.location.hasPrefix("postgres://"))
    }
}
