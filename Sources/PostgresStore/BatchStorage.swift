import Foundation
import IdentityCore

/// The engine's storage for one batch on a database server, the way PostHog's batch-writing person
/// store works: what the batch will read is loaded first in a few queries (`Prefetch`), the rules run
/// here in memory, and the changes (`changes`) are written back in one transaction.
///
/// Reads of anything not loaded throw `Miss`: absence here must mean absence in the database, or
/// the rules would create a second person for an existing ID. The writer then loads the missing
/// key too and runs the batch again, so an unusual read (a split-off person's uuid, an undo's
/// records) costs a second round, never a wrong answer.
final class BatchStorage: IdentityStorage {
    /// A read the prefetch did not cover.
    enum Miss: Error, Hashable {
        case distinctID(String)
        case personUUID(UUID)
        case person(Int64)
        case idsOfPerson(Int64)
        case links(String)
        case action(Int64)
        case mergeThatRemoved(UUID)
        case eventUUID(UUID)
        case personIDs
        case actionIDs
    }

    /// What the writer loaded for this batch. Each `known…` set says which keys are authoritative.
    struct Loaded {
        /// Keyed byte for byte (`ExactText`), as the database compares distinct IDs.
        var records: [ExactText: DistinctIDRecord] = [:]
        var knownDistinctIDs: Set<ExactText> = []
        var persons: [Int64: Person] = [:]
        var knownPersonUUIDs: Set<UUID> = []
        var completeIDsOf: Set<Int64> = []
        var existingEventUUIDs: Set<UUID> = []
        var knownEventUUIDs: Set<UUID> = []
        var existingWarnings: Set<WarningKey> = []
        var actions: [Int64: ActionRecord] = [:]
        var mergesThatRemoved: [UUID: Int64?] = [:]
        /// Active links touching each loaded distinct ID.
        var links: [StoredLink] = []
        var knownLinkIDs: Set<ExactText> = []
        /// Ids reserved from the tables' sequences for rows this batch may create.
        var personIDs: [Int64] = []
        var actionIDs: [Int64] = []
        /// The loaded rows as they were, for the check at write-back (the rules change `records`
        /// and `persons` in place).
        var stamps = Stamps()
    }

    struct Stamps {
        /// Each loaded person's `personStamp`.
        var persons: [Int64: String] = [:]
        /// Each loaded distinct ID's person.
        var owners: [ExactText: Int64] = [:]
    }

    struct WarningKey: Hashable {
        var eventUUID: UUID
        var type: WarningType
    }

    struct StoredLink {
        var id: Int64?
        var link: Link
        var active: Bool
    }

    /// Everything the batch changed, for the write-back.
    struct Changes {
        var events: [Event] = []
        /// What each of `events` did, in the same order (written with it).
        var effects: [String] = []
        /// Ignored copies per event uuid: of this batch's events (written with them) or of stored ones (an UPDATE).
        var duplicates: [UUID: Int] = [:]
        var newPersons: Set<Int64> = []
        var changedPersons: Set<Int64> = []
        var deletedPersons: Set<Int64> = []
        /// Distinct IDs that did not exist before (INSERT: a concurrent writer's insert fails the batch).
        var newDistinctIDs: Set<ExactText> = []
        /// Existing distinct IDs re-pointed at another person (UPDATE).
        var movedDistinctIDs: Set<ExactText> = []
        var warnings: [IngestionWarning] = []
        /// How many of `events` were stored before each warning and each new action: where an
        /// export places it (its `event_seq`, as the SQLite store records it).
        var eventsBeforeWarning: [Int] = []
        var eventsBeforeAction: [Int64: Int] = [:]
        var newActions: [Int64] = []
        var changedActions: Set<Int64> = []
        var newLinks: [Link] = []
        var retiredLinkIDs: Set<Int64> = []
        var retiredByAction: Set<Int64> = []
        /// Events stored per distinct ID with their first and last times, for the counters.
        var counts: [ExactText: (count: Int, first: Double, last: Double)] = [:]
        /// Persons whose ID or event aggregates must be recounted.
        var touchedPersons: Set<Int64> = []

        /// Whether the batch wrote anything at all (a batch of duplicates writes nothing).
        var isEmpty: Bool {
            events.isEmpty && changedPersons.isEmpty && newPersons.isEmpty && deletedPersons.isEmpty
                && newDistinctIDs.isEmpty && movedDistinctIDs.isEmpty && warnings.isEmpty
                && newActions.isEmpty && changedActions.isEmpty && newLinks.isEmpty && retiredLinkIDs.isEmpty
        }
    }

    private(set) var loaded: Loaded
    private(set) var changes = Changes()
    private var batchEventUUIDs: Set<UUID> = []
    private var batchWarnings: Set<WarningKey> = []

    init(_ loaded: Loaded) { self.loaded = loaded }

    // MARK: Events

    func insertEvent(_ event: Event) throws -> Bool {
        guard loaded.knownEventUUIDs.contains(event.uuid) else { throw Miss.eventUUID(event.uuid) }
        if loaded.existingEventUUIDs.contains(event.uuid) { return false }
        guard batchEventUUIDs.insert(event.uuid).inserted else { return false }
        changes.events.append(event)
        changes.effects.append("")
        let time = (event.timestamp ?? Date()).timeIntervalSince1970
        let id = ExactText(event.distinctID)
        if let count = changes.counts[id] {
            changes.counts[id] = (count.count + 1, min(count.first, time), max(count.last, time))
        } else {
            changes.counts[id] = (1, time, time)
        }
        return true
    }

    func recordEffect(_ effect: EventEffect?, ofEvent event: Event) throws {
        // The event just appended: the engine records an effect right after applying its event.
        guard let last = changes.events.indices.last, changes.events[last].uuid == event.uuid else {
            throw IdentityError.storeInconsistent("an effect recorded for event \(event.storedUUID), not the one just stored")
        }
        changes.effects[last] = effect?.storedText ?? ""
    }

    func recordDuplicate(ofEvent event: Event) throws {
        changes.duplicates[event.uuid, default: 0] += 1
    }

    // MARK: Persons

    func personID(forDistinctID distinctID: String) throws -> Int64? {
        let key = ExactText(distinctID)
        guard loaded.knownDistinctIDs.contains(key) else { throw Miss.distinctID(distinctID) }
        return loaded.records[key]?.personID
    }

    func personID(forUUID uuid: UUID) throws -> Int64? {
        if let found = loaded.persons.first(where: { $0.value.uuid == uuid }) { return found.key }
        guard loaded.knownPersonUUIDs.contains(uuid) else { throw Miss.personUUID(uuid) }
        return nil
    }

    func person(_ rowID: Int64) throws -> Person? {
        if let person = loaded.persons[rowID] { return person }
        if changes.deletedPersons.contains(rowID) { return nil }
        throw Miss.person(rowID)
    }

    func insertPerson(_ person: Person) throws -> Int64 {
        guard !loaded.personIDs.isEmpty else { throw Miss.personIDs }
        let rowID = loaded.personIDs.removeFirst()
        var stored = person
        stored.rowID = rowID
        loaded.persons[rowID] = stored
        loaded.knownPersonUUIDs.insert(person.uuid)
        loaded.completeIDsOf.insert(rowID)
        changes.newPersons.insert(rowID)
        changes.touchedPersons.insert(rowID)
        return rowID
    }

    func updatePerson(_ person: Person) throws {
        guard let rowID = person.rowID else { throw IdentityError.storeInconsistent("updating a person without a row id") }
        loaded.persons[rowID] = person
        changes.changedPersons.insert(rowID)
    }

    func deletePerson(_ rowID: Int64) throws {
        loaded.persons[rowID] = nil
        changes.deletedPersons.insert(rowID)
        changes.newPersons.remove(rowID)
        changes.changedPersons.remove(rowID)
        changes.touchedPersons.remove(rowID)
    }

    // MARK: Distinct IDs

    func distinctIDs(ofPerson rowID: Int64) throws -> [DistinctIDRecord] {
        guard loaded.completeIDsOf.contains(rowID) else { throw Miss.idsOfPerson(rowID) }
        return loaded.records.values.filter { $0.personID == rowID }
            .sorted { ($0.joinedAt, $0.distinctID) < ($1.joinedAt, $1.distinctID) }
    }

    func distinctIDRecord(_ distinctID: String) throws -> DistinctIDRecord? {
        let key = ExactText(distinctID)
        guard loaded.knownDistinctIDs.contains(key) else { throw Miss.distinctID(distinctID) }
        return loaded.records[key]
    }

    func upsertDistinctID(_ record: DistinctIDRecord) throws {
        let previous = try distinctIDRecord(record.distinctID)
        let key = ExactText(record.distinctID)
        if let previous {
            changes.touchedPersons.insert(previous.personID)
            if !changes.newDistinctIDs.contains(key) { changes.movedDistinctIDs.insert(key) }
        } else {
            changes.newDistinctIDs.insert(key)
        }
        loaded.records[key] = record
        changes.touchedPersons.insert(record.personID)
    }

    func moveAllDistinctIDs(_ ids: [String], from source: Int64, to target: Int64, how: JoinKind, actionID: Int64?, at: Date) throws {
        for id in ids {
            guard var record = loaded.records[ExactText(id)], record.personID == source else { continue }
            record.personID = target
            record.joinedAt = at
            record.how = how
            record.eventUUID = nil
            record.actionID = actionID
            try upsertDistinctID(record)
        }
    }

    // MARK: Warnings

    func insertWarning(_ warning: IngestionWarning) throws -> Bool {
        if let uuid = warning.eventUUID {
            let key = WarningKey(eventUUID: uuid, type: warning.type)
            guard loaded.knownEventUUIDs.contains(uuid) else { throw Miss.eventUUID(uuid) }
            if loaded.existingWarnings.contains(key) { return false }
            guard batchWarnings.insert(key).inserted else { return false }
        }
        changes.warnings.append(warning)
        changes.eventsBeforeWarning.append(changes.events.count)
        return true
    }

    // MARK: Actions

    func insertAction(_ action: ActionRecord) throws -> Int64 {
        guard !loaded.actionIDs.isEmpty else { throw Miss.actionIDs }
        let id = loaded.actionIDs.removeFirst()
        var stored = action
        stored.id = id
        loaded.actions[id] = stored
        changes.newActions.append(id)
        changes.eventsBeforeAction[id] = changes.events.count
        if action.kind.isMerge, let source = action.sourceUUID { loaded.mergesThatRemoved[source] = id }
        return id
    }

    func updateAction(_ action: ActionRecord) throws {
        guard let id = action.id else { return }
        loaded.actions[id] = action
        if !changes.newActions.contains(id) { changes.changedActions.insert(id) }
        if action.kind.isMerge, let source = action.sourceUUID, action.undoneBy != nil, loaded.mergesThatRemoved[source] == id {
            loaded.mergesThatRemoved[source] = .some(nil)
        }
    }

    func action(_ id: Int64) throws -> ActionRecord? {
        guard let action = loaded.actions[id] else { throw Miss.action(id) }
        return action
    }

    func mergeThatRemoved(_ personUUID: UUID) throws -> Int64? {
        guard let known = loaded.mergesThatRemoved[personUUID] else { throw Miss.mergeThatRemoved(personUUID) }
        return known
    }

    // MARK: Links

    func insertLink(_ link: Link) throws {
        loaded.links.append(StoredLink(id: nil, link: link, active: true))
        changes.newLinks.append(link)
    }

    func activeLinks(touching distinctIDs: [String]) throws -> [Link] {
        let wanted = try knownLinkKeys(distinctIDs)
        return loaded.links.filter { $0.active && (wanted.contains(ExactText($0.link.a)) || wanted.contains(ExactText($0.link.b))) }
            .map(\.link)
    }

    func retireLinks(createdBy actionID: Int64) throws {
        changes.retiredByAction.insert(actionID)
        changes.newLinks.removeAll { $0.actionID == actionID }
        for index in loaded.links.indices where loaded.links[index].link.actionID == actionID {
            loaded.links[index].active = false
        }
    }

    func retireLinks(touching distinctIDs: [String]) throws {
        let wanted = try knownLinkKeys(distinctIDs)
        for index in loaded.links.indices
        where wanted.contains(ExactText(loaded.links[index].link.a)) || wanted.contains(ExactText(loaded.links[index].link.b)) {
            loaded.links[index].active = false
            if let id = loaded.links[index].id { changes.retiredLinkIDs.insert(id) }
        }
        // Links made earlier in this batch are not written yet: drop them instead.
        changes.newLinks.removeAll { wanted.contains(ExactText($0.a)) || wanted.contains(ExactText($0.b)) }
    }

    /// `distinctIDs` as keys, once each has its links loaded.
    private func knownLinkKeys(_ distinctIDs: [String]) throws -> Set<ExactText> {
        let keys = distinctIDs.map(ExactText.init)
        for (id, key) in zip(distinctIDs, keys) where !loaded.knownLinkIDs.contains(key) { throw Miss.links(id) }
        return Set(keys)
    }
}
