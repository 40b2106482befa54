import Foundation
import IdentityCore

/// What a batch will read, to load in a few queries before the rules run (`BatchStorage`).
struct Prefetch: Sendable {
    /// Byte for byte, as the database compares them (`ExactText`).
    var distinctIDs: Set<ExactText> = []
    var personUUIDs: Set<UUID> = []
    var persons: Set<Int64> = []
    /// Persons whose every distinct ID is loaded (the source of a merge moves them all).
    var idsOfPersons: Set<Int64> = []
    /// Distinct IDs whose owner's every distinct ID is loaded.
    var idsOfOwnersOf: Set<ExactText> = []
    var eventUUIDs: Set<UUID> = []
    var linksOf: Set<ExactText> = []
    var actions: Set<Int64> = []
    var mergesThatRemoved: Set<UUID> = []
    var personIDs = 0
    var actionIDs = 0

    /// The reads an ingest batch makes: each event's own ID and its lower-case form (case
    /// collisions), the other ID of a merge and all IDs of its person, the uuid a new person
    /// would get, the events' uuids (duplicates) and warnings.
    init(inputs: [ValidatedInput], projectID: Int) {
        for input in inputs {
            switch input {
            case .valid(let event):
                eventUUIDs.insert(event.uuid)
                distinctIDs.insert(ExactText(event.distinctID))
                distinctIDs.insert(ExactText(event.distinctID.lowercased()))
                personUUIDs.insert(PersonUUID.make(projectID: projectID, distinctID: event.distinctID))
                if let source = event.mergeSourceID {
                    distinctIDs.insert(ExactText(source))
                    idsOfOwnersOf.insert(ExactText(source))
                    idsOfOwnersOf.insert(ExactText(event.distinctID))
                    actionIDs += 1
                }
                personIDs += 1
            case .invalid(let invalid):
                eventUUIDs.insert(invalid.uuid)
            case .action(let action):
                // Replayed manual actions name their IDs; the rest is found by misses.
                let ids: [String]
                switch action.kind {
                case .merge(let target, let source, _): ids = [target, source]
                case .split(let person, let split): ids = [person] + split
                case .undo(let mergeID, let person):
                    ids = []
                    actions.insert(mergeID)
                    if let person { mergesThatRemoved.insert(person) }
                }
                distinctIDs.formUnion(ids.map(ExactText.init))
                idsOfOwnersOf.formUnion(ids.map(ExactText.init))
                actionIDs += 2
                personIDs += ids.count
            }
        }
    }

    init() {}

    /// Loads what the batch missed next time. Reservations double, so a batch needing many new
    /// rows converges in a few rounds.
    mutating func add(_ miss: BatchStorage.Miss) {
        switch miss {
        case .distinctID(let id): distinctIDs.insert(ExactText(id))
        case .personUUID(let uuid): personUUIDs.insert(uuid)
        case .person(let id): persons.insert(id)
        case .idsOfPerson(let id): idsOfPersons.insert(id)
        case .links(let id): linksOf.insert(ExactText(id))
        case .action(let id): actions.insert(id)
        case .mergeThatRemoved(let uuid): mergesThatRemoved.insert(uuid)
        case .eventUUID(let uuid): eventUUIDs.insert(uuid)
        case .personIDs: personIDs = max(4, personIDs * 2)
        case .actionIDs: actionIDs = max(4, actionIDs * 2)
        }
    }
}
