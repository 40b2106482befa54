import Foundation

extension IdentityEngine {
    /// Moves the chosen distinct IDs off a person, each into a new person of
    /// its own. Their events follow them, since events belong to distinct IDs.
    @discardableResult
    public func split(person: String, distinctIDs: [String], in storage: some IdentityStorage, now: Date) throws -> ActionRecord {
        let ids = Array(Set(distinctIDs)).sorted()
        guard !ids.isEmpty else { throw IdentityError.splitNeedsIDs }
        let personID = try resolvePerson(person, in: storage)
        guard var original = try storage.person(personID) else { throw IdentityError.unknownPerson(person) }
        let owned = try storage.distinctIDs(ofPerson: personID)
        let ownedIDs = Set(owned.map(\.distinctID))
        for id in ids where !ownedIDs.contains(id) { throw IdentityError.splitIDNotOnPerson(id) }
        guard ownedIDs.count > ids.count else { throw IdentityError.splitWouldEmpty(original.uuid.lowercased) }

        var split = ActionRecord(kind: .split, eventUUID: nil, at: now, targetUUID: original.uuid, sourceUUID: nil,
                                 distinctIDs: ids, details: ActionDetails(movedIDs: owned.filter { ids.contains($0.distinctID) }))
        let actionID = try storage.insertAction(split)
        split.id = actionID
        var created: [UUID] = []
        for id in ids {
            let person = Person(uuid: try personUUID(for: id, in: storage), createdAt: now)
            let rowID = try storage.insertPerson(person)
            try storage.upsertDistinctID(DistinctIDRecord(distinctID: id, personID: rowID, joinedAt: now, how: .split, actionID: actionID))
            created.append(person.uuid)
        }
        try storage.retireLinks(touching: ids)
        original.version += 1
        try storage.updatePerson(original)
        split.details.createdPersons = created
        try storage.updateAction(split)
        return split
    }
}
