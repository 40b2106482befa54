import Foundation

/// What merging two persons gives, computed without touching a store: used
/// by the merge itself and by every preview, so they cannot disagree.
public struct MergePlan: Sendable, Equatable {
    public enum Side: String, Sendable, Codable {
        case target, source
        /// Both had the same value.
        case both
    }

    /// One property of the result and where its value came from.
    public struct PropertyOutcome: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public var side: Side
        /// The losing side's value when the two differed.
        public var overridden: JSONValue?
    }

    public var merged: Person
    public var properties: [PropertyOutcome]

    /// Starts from the source's properties and overlays the target's (the
    /// target wins conflicts); keeps the earlier creation time and the larger
    /// version plus one. The result keeps the target's identity.
    public init(target: Person, source: Person) {
        var merged = target
        merged.properties = source.properties.merging(target.properties) { _, targetValue in targetValue }
        merged.provenance = source.provenance.merging(target.provenance) { _, targetSource in targetSource }
        // A skipped write explains the value it skipped over: the source's only where its value stays.
        merged.skippedWrites = target.skippedWrites.merging(source.skippedWrites.filter { target.properties[$0.key] == nil }) { t, _ in t }
        merged.createdAt = min(target.createdAt, source.createdAt)
        merged.version = max(target.version, source.version) + 1
        merged.isIdentified = true
        self.merged = merged
        properties = merged.properties.keys.sorted().map { key in
            let value = merged.properties[key]!
            switch (target.properties[key], source.properties[key]) {
            case (let t?, let s?) where t == s: return PropertyOutcome(key: key, value: value, side: .both)
            case (_?, let s?): return PropertyOutcome(key: key, value: value, side: .target, overridden: s)
            case (_?, nil): return PropertyOutcome(key: key, value: value, side: .target)
            default: return PropertyOutcome(key: key, value: value, side: .source)
            }
        }
    }
}

/// Carries out a merge of one person into another in a store.
struct MergeOperation<Storage: IdentityStorage> {
    let engine: IdentityEngine
    let storage: Storage

    /// Moves every distinct ID of the source to the target, removes the source
    /// and records the merge. Returns the target as it must now be written
    /// (the caller writes it, so an event's own updates land in the same write)
    /// and the merge record's id.
    func merge(source: (rowID: Int64, person: Person), into target: (rowID: Int64, person: Person), kind: ActionKind,
               targetDistinctID: String, sourceDistinctID: String, eventUUID: UUID?, at: Date, now: Date,
               group: Int64? = nil) throws -> (person: Person, actionID: Int64) {
        let plan = MergePlan(target: target.person, source: source.person)
        let moved = try storage.distinctIDs(ofPerson: source.rowID)
        let actionID = try storage.insertAction(ActionRecord(
            kind: kind, eventUUID: eventUUID, at: at, targetUUID: target.person.uuid, sourceUUID: source.person.uuid,
            distinctIDs: moved.map(\.distinctID).sorted(),
            details: ActionDetails(sourceBefore: PersonSnapshot(source.person), targetBefore: PersonSnapshot(target.person),
                                   targetAfterMerge: plan.merged.properties, movedIDs: moved, group: group)))
        try storage.moveAllDistinctIDs(moved.map(\.distinctID), from: source.rowID, to: target.rowID, how: kind.joinKind,
                                       actionID: actionID, at: at)
        try storage.deletePerson(source.rowID)
        try storage.insertLink(Link(a: targetDistinctID, b: sourceDistinctID, kind: kind.joinKind, eventUUID: eventUUID,
                                    actionID: actionID, at: at))
        return (plan.merged, actionID)
    }
}
