import Foundation

/// A storage that keeps everything in memory: the core's tests run the rules
/// on it, and it is the yardstick the SQLite store is compared against.
public final class InMemoryStorage: IdentityStorage {
    public private(set) var events: [Event] = []
    private var eventUUIDs: Set<UUID> = []
    public private(set) var persons: [Int64: Person] = [:]
    private var personByUUID: [UUID: Int64] = [:]
    /// Keyed by the ID's exact bytes (see `ExactText`).
    public private(set) var distinctIDRecords: [ExactText: DistinctIDRecord] = [:]
    public private(set) var warnings: [IngestionWarning] = []
    private var warningKeys: Set<String> = []
    public private(set) var actions: [Int64: ActionRecord] = [:]
    private var links: [(link: Link, active: Bool)] = []
    private var nextPersonID: Int64 = 1
    private var nextActionID: Int64 = 1

    public init() {}

    public func insertEvent(_ event: Event) -> Bool {
        guard eventUUIDs.insert(event.uuid).inserted else { return false }
        events.append(event)
        return true
    }

    /// What each event did, by uuid, and how many copies of it were ignored.
    public private(set) var effects: [UUID: EventEffect] = [:]
    public private(set) var duplicates: [UUID: Int] = [:]

    public func recordEffect(_ effect: EventEffect?, ofEvent event: Event) { effects[event.uuid] = effect }
    public func recordDuplicate(ofEvent event: Event) { duplicates[event.uuid, default: 0] += 1 }

    public func personID(forDistinctID distinctID: String) -> Int64? { distinctIDRecords[ExactText(distinctID)]?.personID }
    public func personID(forUUID uuid: UUID) -> Int64? { personByUUID[uuid] }
    public func person(_ rowID: Int64) -> Person? { persons[rowID] }

    public func insertPerson(_ person: Person) -> Int64 {
        let rowID = nextPersonID
        nextPersonID += 1
        var stored = person
        stored.rowID = rowID
        persons[rowID] = stored
        personByUUID[person.uuid] = rowID
        return rowID
    }

    public func updatePerson(_ person: Person) {
        guard let rowID = person.rowID else { return }
        persons[rowID] = person
    }

    public func deletePerson(_ rowID: Int64) {
        if let person = persons.removeValue(forKey: rowID) { personByUUID.removeValue(forKey: person.uuid) }
    }

    public func distinctIDs(ofPerson rowID: Int64) -> [DistinctIDRecord] {
        distinctIDRecords.values.filter { $0.personID == rowID }.sorted { $0.distinctID < $1.distinctID }
    }

    public func distinctIDRecord(_ distinctID: String) -> DistinctIDRecord? { distinctIDRecords[ExactText(distinctID)] }
    public func upsertDistinctID(_ record: DistinctIDRecord) { distinctIDRecords[ExactText(record.distinctID)] = record }

    public func moveAllDistinctIDs(_ ids: [String], from source: Int64, to target: Int64, how: JoinKind, actionID: Int64?, at: Date) {
        for record in distinctIDs(ofPerson: source) {
            distinctIDRecords[ExactText(record.distinctID)] = DistinctIDRecord(distinctID: record.distinctID, personID: target,
                                                                               joinedAt: at, how: how, actionID: actionID)
        }
    }

    @discardableResult
    public func insertWarning(_ warning: IngestionWarning) -> Bool {
        if let uuid = warning.eventUUID {
            guard warningKeys.insert("\(uuid)|\(warning.type.rawValue)").inserted else { return false }
        }
        var stored = warning
        stored.id = Int64(warnings.count + 1)
        warnings.append(stored)
        return true
    }

    public func insertAction(_ action: ActionRecord) -> Int64 {
        let id = nextActionID
        nextActionID += 1
        var stored = action
        stored.id = id
        actions[id] = stored
        return id
    }

    public func updateAction(_ action: ActionRecord) {
        guard let id = action.id else { return }
        actions[id] = action
    }

    public func action(_ id: Int64) -> ActionRecord? { actions[id] }

    public func mergeThatRemoved(_ personUUID: UUID) -> Int64? {
        actions.values.filter { $0.kind.isMerge && $0.sourceUUID == personUUID && $0.undoneBy == nil }.compactMap(\.id).max()
    }

    public func insertLink(_ link: Link) { links.append((link, true)) }

    public func activeLinks(touching distinctIDs: [String]) -> [Link] {
        let wanted = Set(distinctIDs)
        return links.filter { $0.active && (wanted.contains($0.link.a) || wanted.contains($0.link.b)) }.map(\.link)
    }

    public func retireLinks(createdBy actionID: Int64) {
        for index in links.indices where links[index].link.actionID == actionID { links[index].active = false }
    }

    public func retireLinks(touching distinctIDs: [String]) {
        let wanted = Set(distinctIDs)
        for index in links.indices where wanted.contains(links[index].link.a) || wanted.contains(links[index].link.b) {
            links[index].active = false
        }
    }
}
