import Foundation
import IdentityCore
@testable import SQLiteStore
@testable import Explorer

/// The explorer's store in memory, for reducer tests: the real identity engine over the core's
/// `InMemoryStorage`, with the explorer's read queries written plainly over it. No SQLite.
/// It records what the explorer asked, and lets a test play another process writing.
final class MemoryStore: @unchecked Sendable {
    private let lock = NSLock()
    private let storage = InMemoryStorage()
    private let engine = IdentityEngine()
    private var asked: [String] = []
    private var watchers: [AsyncStream<Void>.Continuation] = []
    /// The stored comparison with PostHog the PostHog screen shows.
    private var comparison: StoredComparison?

    init(lines: [String] = Fixture.events) throws {
        try ingest(lines)
    }

    /// What the explorer asked for, in order ("search bo", "detail …").
    var calls: [String] { lock.withLock { asked } }

    var personCount: Int { lock.withLock { storage.persons.count } }

    /// A comparison as `identikit compare` would store it; differences are numbered from 1.
    func storeComparison(_ new: StoredComparison) {
        var numbered = new
        for index in numbered.differences.indices { numbered.differences[index].id = Int64(index + 1) }
        lock.withLock { comparison = numbered }
    }

    var storedComparison: StoredComparison? { lock.withLock { comparison } }

    /// Another process writes: the events land, and the change stream says so.
    func externalWrite(_ lines: [String]) throws {
        try ingest(lines)
        for watcher in lock.withLock({ watchers }) { watcher.yield() }
    }

    private func ingest(_ lines: [String]) throws {
        try lock.withLock {
            for (n, line) in lines.enumerated() {
                let input = EventValidator.validate(try JSONCoding.parse(Data(line.utf8)), rawText: line,
                                                    location: InputLocation(source: "fixture.jsonl", line: n + 1))
                _ = try engine.ingest(input, in: storage, now: Fixture.now)
            }
        }
    }

    /// Runs `body` under the lock, noting the call.
    private func read<T>(_ call: String, _ body: () throws -> T) rethrows -> T {
        try lock.withLock {
            asked.append(call)
            return try body()
        }
    }

    /// The client over this store; each operation waits `delay` first (a slow network, say).
    func client(delay: Duration? = nil) -> ExplorerClient {
        @Sendable func wait() async { if let delay { try? await Task.sleep(for: delay) } }
        return ExplorerClient(
            stats: { await wait(); return self.read("stats") { self.stats() } },
            persons: { order, descending, after, filter, limit in
                await wait()
                return self.read("persons \(order.rawValue)\(descending ? "" : " ascending")\(filter.isEmpty ? "" : " " + filter.summary)") {
                    self.page(order, descending: descending, after: after, filter: filter, limit: limit)
                }
            },
            search: { text, limit in await wait(); return self.read("search \(text)") { Array(self.search(text).prefix(limit)) } },
            personDetail: { reference in await wait(); return self.read("detail \(reference)") { self.detail(reference) } },
            events: { personID, _, limit in await wait(); return self.read("events \(personID)") { Array(self.events(personID).prefix(limit)) } },
            recentEvents: { limit in await wait(); return self.read("recent events") { Array(self.storedEvents().reversed().prefix(limit)) } },
            eventsAfter: { seq, limit in
                await wait()
                return self.read("events after \(seq)") { Array(self.storedEvents().filter { $0.seq > seq }.prefix(limit)) }
            },
            warningGroups: { await wait(); return self.read("warning groups") { self.warningGroups() } },
            warnings: { type, text, _, limit in
                await wait()
                return self.read("warnings \(type?.rawValue ?? "all") \(text ?? "")") {
                    Array(self.storage.warnings.reversed().filter { type == nil || $0.type == type }
                        .filter { text == nil || $0.distinctIDs.joined().contains(text!) || $0.eventUUID?.lowercased == text }
                        .prefix(limit))
                }
            },
            duplicateGroups: { property in await wait(); return self.read("duplicates \(property)") { self.duplicateGroups(property) } },
            personsSharing: { property, value in
                await wait()
                return self.read("sharing \(property)") { self.summaries(.firstSeen).filter { self.value(property, $0.id) == value } }
            },
            resolvePerson: { reference in await wait(); return self.read("resolve \(reference)") { self.person(reference)?.uuid.lowercased } },
            previewMerge: { target, source in
                await wait()
                return try self.read("preview merge \(target) \(source)") {
                    try self.engine.previewMerge(target: self.distinctID(target), source: self.distinctID(source), in: self.storage)
                }
            },
            merge: { target, source, force in
                await wait()
                return try self.read("merge \(target) \(source)") {
                    try self.engine.manualMerge(target: target, source: source, force: force, in: self.storage, now: Fixture.now)
                }
            },
            previewUndo: { id in
                await wait()
                return try self.read("preview undo \(id)") {
                    guard let action = self.storage.action(id) else { throw ExplorerClientError("no action \(id)") }
                    return UndoPreview(action: action, movedBack: action.distinctIDs, leftInPlace: [], keptKeys: [])
                }
            },
            undo: { id in
                await wait()
                return try self.read("undo \(id)") { try self.engine.undo(id, in: self.storage, now: Fixture.now) }
            },
            previewSplit: { person, name, ids in
                await wait()
                return self.read("preview split \(person)") {
                    let all = self.detail(person)?.distinctIDs.map(\.distinctID) ?? []
                    return SplitPreview(person: person, displayName: name, distinctIDs: ids, remaining: all.filter { !ids.contains($0) })
                }
            },
            split: { person, ids in
                await wait()
                return try self.read("split \(person)") { try self.engine.split(person: person, distinctIDs: ids, in: self.storage, now: Fixture.now) }
            },
            whyLinked: { a, b in await wait(); return try self.read("why \(a) \(b)") { try self.engine.whyLinked(a, b, in: self.storage) } },
            comparison: { await wait(); return self.read("comparison") { self.comparison } },
            setDifferenceStatus: { id, status in
                await wait()
                try self.read("status \(id) \(status.rawValue)") {
                    guard let index = self.comparison?.differences.firstIndex(where: { $0.id == id }) else { throw NoSuchDifference(id: id) }
                    self.comparison?.differences[index].status = status
                }
            },
            previewGroupMerge: { references in
                await wait()
                return try self.read("preview group merge \(references.count)") { try self.engine.previewGroupMerge(references, in: self.storage) }
            },
            groupMerge: { references, force in
                await wait()
                return try self.read("group merge \(references.count)\(force ? " forced" : "")") {
                    try self.engine.groupMerge(references, force: force, in: self.storage, now: Fixture.now)
                }
            },
            propertyHistory: { personID, key in
                await wait()
                return self.read("history \(personID) \(key)") { self.propertyHistory(personID, key) }
            },
            identityGraph: { reference in
                await wait()
                return try self.read("graph \(reference)") { try self.engine.identityGraph(of: reference, in: self.storage) }
            },
            suspects: { await wait(); return self.read("suspects") { self.suspects() } },
            changes: {
                AsyncStream { continuation in self.lock.withLock { self.watchers.append(continuation) } }
            }
        )
    }

    // MARK: queries, plainly (the caller holds the lock)

    private func stats() -> StoreStats {
        StoreStats(persons: storage.persons.count, distinctIDs: storage.distinctIDRecords.count, events: storage.events.count,
                   warnings: storage.warnings.count, merges: storage.actions.values.filter { $0.kind.isMerge && $0.undoneBy == nil }.count)
    }

    private func ids(_ rowID: Int64) -> [DistinctIDRecord] {
        storage.distinctIDs(ofPerson: rowID).sorted { ($0.joinedAt, $0.distinctID) < ($1.joinedAt, $1.distinctID) }
    }

    private func value(_ property: String, _ rowID: Int64) -> String? { storage.persons[rowID]?.properties[property]?.stringValue }

    private func eventTimes(_ rowID: Int64) -> [Date] {
        let mine = Set(ids(rowID).map(\.distinctID))
        return storage.events.filter { mine.contains($0.distinctID) }.compactMap(\.timestamp)
    }

    private func summary(_ person: Person) -> PersonSummary {
        let rowID = person.rowID ?? 0
        let records = ids(rowID)
        let times = eventTimes(rowID)
        let display = value("name", rowID) ?? value("email", rowID)
            ?? (records.first { $0.how == .identify } ?? records.first)?.distinctID ?? "(no distinct ID)"
        return PersonSummary(id: rowID, uuid: person.uuid, displayName: display, isIdentified: person.isIdentified,
                             distinctIDCount: records.count, eventCount: times.count, createdAt: person.createdAt,
                             firstSeen: times.min(), lastSeen: times.max())
    }

    /// Newest first, like the store.
    private func summaries(_ order: PersonOrder) -> [PersonSummary] {
        let all = storage.persons.values.map(summary)
        switch order {
        case .firstSeen: return all.sorted { ($0.firstSeen ?? .distantPast, $0.id) > ($1.firstSeen ?? .distantPast, $1.id) }
        case .lastSeen: return all.sorted { ($0.lastSeen ?? .distantPast, $0.id) > ($1.lastSeen ?? .distantPast, $1.id) }
        case .size: return all.sorted { ($0.distinctIDCount, $0.id) > ($1.distinctIDCount, $1.id) }
        }
    }

    /// A keyset page like the stores': the cursor's value is unused, its row id marks the place.
    private func page(_ order: PersonOrder, descending: Bool, after: PersonCursor?, filter: PersonFilter, limit: Int) -> PersonPage {
        var rows = summaries(order).filter { matches($0, filter) }
        if !descending { rows.reverse() }
        if let after, let index = rows.firstIndex(where: { $0.id == after.id }) { rows = Array(rows[(index + 1)...]) }
        let page = Array(rows.prefix(limit))
        return PersonPage(persons: page, next: page.count == limit ? page.last.map { PersonCursor(value: 0, id: $0.id) } : nil)
    }

    private func matches(_ person: PersonSummary, _ filter: PersonFilter) -> Bool {
        if let identified = filter.identified, person.isIdentified != identified { return false }
        return filter.conditions.allSatisfy { condition in
            let text = value(condition.key, person.id)
            switch condition.op {
            case .equals: return text == condition.value
            case .notEquals: return text != condition.value
            case .contains: return text?.lowercased().contains(condition.value.lowercased()) ?? false
            }
        }
    }

    /// A distinct ID, email or name containing `text` (starting with it, for one or two characters).
    private func search(_ text: String) -> [PersonSummary] {
        let text = text.lowercased()
        func found(_ value: String) -> Bool { text.count < 3 ? value.lowercased().hasPrefix(text) : value.lowercased().contains(text) }
        return summaries(.firstSeen).filter { person in
            ids(person.id).contains { found($0.distinctID) } || ["email", "name"].contains { value($0, person.id).map(found) ?? false }
        }
    }

    private func person(_ reference: String) -> Person? {
        if let uuid = UUID(text: reference), let rowID = storage.personID(forUUID: uuid) { return storage.person(rowID) }
        return storage.personID(forDistinctID: reference).flatMap(storage.person)
    }

    private func distinctID(_ reference: String) -> String {
        guard UUID(text: reference) != nil, let rowID = person(reference)?.rowID else { return reference }
        return ids(rowID).first?.distinctID ?? reference
    }

    private func detail(_ reference: String) -> PersonDetail? {
        guard let person = person(reference), let rowID = person.rowID else { return nil }
        let history = storage.actions.values.filter { $0.targetUUID == person.uuid || $0.sourceUUID == person.uuid }
            .sorted { ($0.id ?? 0) > ($1.id ?? 0) }
        let times = eventTimes(rowID)
        return PersonDetail(person: person, distinctIDs: ids(rowID), history: history, eventCount: times.count,
                            firstSeen: times.min(), lastSeen: times.max())
    }

    private func events(_ rowID: Int64) -> [StoredEvent] {
        let mine = Set(ids(rowID).map(\.distinctID))
        return storedEvents().filter { mine.contains($0.distinctID) }.reversed()
    }

    /// Every event in ingestion order, numbered from 1, with its effect.
    private func storedEvents() -> [StoredEvent] {
        storage.events.enumerated().map { n, event in
            StoredEvent(seq: Int64(n + 1), uuid: event.uuid, name: event.name, distinctID: event.distinctID,
                        timestamp: event.timestamp, properties: event.properties, source: event.source,
                        effect: storage.effects[event.uuid], duplicates: storage.duplicates[event.uuid] ?? 0)
        }
    }

    /// The stores' derivation, over this store's events and merges (a manual merge sits after every event).
    private func propertyHistory(_ rowID: Int64, _ key: String) -> [PropertyWrite] {
        let events = storedEvents()
        let mine = Set(ids(rowID).map(\.distinctID))
        guard let uuid = storage.persons[rowID]?.uuid else { return [] }
        let merges = storage.actions.values.filter { $0.kind.isMerge && $0.targetUUID == uuid }.map { action in
            PropertyHistory.Merge(action: action, eventSeq: events.first { $0.uuid == action.eventUUID }?.seq ?? Int64(events.count))
        }
        return PropertyHistory.build(key: key, events: events.filter { mine.contains($0.distinctID) }, merges: merges)
    }

    /// The stores' three kinds, plainly: every person and ID looked at (the stores use indexes).
    private func suspects() -> SuspectReport {
        let all = summaries(.size).sorted { ($0.distinctIDCount, $0.id) > ($1.distinctIDCount, $1.id) }
        let offset = SuspectRules.percentileOffset(persons: all.count)
        let p99 = all.indices.contains(offset) ? all[offset].distinctIDCount : nil
        let threshold = SuspectRules.idThreshold(p99: p99)
        var suspects = all.filter { $0.distinctIDCount > threshold }.map { Suspect(kind: .manyIDs, person: $0, count: $0.distinctIDCount) }
        let generic = Set(SuspectRules.genericCandidates)
        for record in storage.distinctIDRecords.values.filter({ generic.contains($0.distinctID) }).sorted(by: { $0.distinctID < $1.distinctID }) {
            if let person = all.first(where: { $0.id == record.personID }) {
                suspects.append(Suspect(kind: .genericID, person: person, distinctID: record.distinctID, count: person.distinctIDCount))
            }
        }
        let identifiedEmails = storage.persons.values.filter(\.isIdentified).compactMap { $0.properties["email"]?.stringValue?.lowercased() }
        suspects += Dictionary(grouping: identifiedEmails, by: { $0 }).filter { $0.value.count > 1 }
            .sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
            .map { Suspect(kind: .sharedEmail, email: $0.key, count: $0.value.count) }
        return SuspectReport(idThreshold: threshold, suspects: suspects)
    }

    private func warningGroups() -> [WarningGroup] {
        Dictionary(grouping: storage.warnings, by: \.type).map { type, warnings in
            WarningGroup(type: type, count: warnings.count, lastSeen: warnings.map(\.createdAt).max() ?? Fixture.now)
        }.sorted { $0.type.rawValue < $1.type.rawValue }
    }

    private func duplicateGroups(_ property: String) -> [DuplicateGroup] {
        let values = storage.persons.keys.compactMap { value(property, $0) }
        return Dictionary(grouping: values, by: { $0 }).filter { $0.value.count > 1 }
            .map { DuplicateGroup(value: $0.key, count: $0.value.count) }.sorted { $0.value < $1.value }
    }
}
