import Foundation

/// What a manual merge would do, shown before it is done.
public struct MergePreview: Sendable, Equatable {
    public enum Refusal: Sendable, Equatable {
        /// A generic ID is involved: never merged, not even forced.
        case illegalDistinctID(String)
        /// The source person is identified: the safe merge refuses; a forced one may proceed.
        case sourceIdentified
    }

    public var targetDistinctID: String
    public var sourceDistinctID: String
    public var target: Person
    public var source: Person
    public var targetDistinctIDs: [String]
    public var sourceDistinctIDs: [String]
    public var plan: MergePlan
    public var refusal: Refusal?

    public var resultingDistinctIDs: [String] { (targetDistinctIDs + sourceDistinctIDs).sorted() }
    /// A safe merge would go ahead.
    public var isAllowed: Bool { refusal == nil }
    public var canForce: Bool { refusal == nil || refusal == .sourceIdentified }

    public var refusalText: String? {
        switch refusal {
        case nil: nil
        case .illegalDistinctID(let id): "\(Escaping.quoted(id)) is a generic distinct ID; merging on it would fold unrelated people"
        case .sourceIdentified: "the source person is already identified; merging two identified persons needs a forced merge"
        }
    }
}

extension IdentityEngine {
    /// The same table as `$create_alias` (safe) or `$merge_dangerously` (forced), for two existing IDs.
    public func previewMerge(target: String, source: String, in storage: some IdentityStorage) throws -> MergePreview {
        guard let targetID = try storage.personID(forDistinctID: target) else { throw IdentityError.unknownDistinctID(target) }
        guard let sourceID = try storage.personID(forDistinctID: source) else { throw IdentityError.unknownDistinctID(source) }
        guard let targetPerson = try storage.person(targetID), let sourcePerson = try storage.person(sourceID) else {
            throw IdentityError.storeInconsistent("a distinct ID points at a missing person")
        }
        let decision = MergeDecision.decide(target: target, source: source, forced: false) {
            .init(target: targetID, source: sourceID, sourceIsIdentified: sourcePerson.isIdentified)
        }
        let refusal: MergePreview.Refusal?
        switch decision {
        case .nothing, .alreadyOnePerson: throw IdentityError.samePerson(target, source)
        case .refuseIllegal(let illegal, _): refusal = .illegalDistinctID(illegal)
        case .refuseAlreadyIdentified: refusal = .sourceIdentified
        default: refusal = nil
        }
        return MergePreview(
            targetDistinctID: target, sourceDistinctID: source, target: targetPerson, source: sourcePerson,
            targetDistinctIDs: try storage.distinctIDs(ofPerson: targetID).map(\.distinctID),
            sourceDistinctIDs: try storage.distinctIDs(ofPerson: sourceID).map(\.distinctID),
            plan: MergePlan(target: targetPerson, source: sourcePerson), refusal: refusal)
    }

    /// Merges the person of `source` into the person of `target`. A merge the
    /// safe rule refuses goes ahead only with `force`; generic IDs never do.
    @discardableResult
    public func manualMerge(target: String, source: String, force: Bool, in storage: some IdentityStorage,
                            now: Date) throws -> ActionRecord {
        let preview = try previewMerge(target: target, source: source, in: storage)
        if let refusal = preview.refusal, !(force && refusal == .sourceIdentified) {
            throw IdentityError.mergeRefused(preview.refusalText! + (preview.canForce ? " (use --force)" : ""))
        }
        guard let targetID = preview.target.rowID, let sourceID = preview.source.rowID else {
            throw IdentityError.storeInconsistent("a person has no row id")
        }
        let kind: ActionKind = preview.refusal == nil ? .manualMerge : .manualForcedMerge
        let (merged, actionID) = try MergeOperation(engine: self, storage: storage)
            .merge(source: (sourceID, preview.source), into: (targetID, preview.target), kind: kind,
                   targetDistinctID: target, sourceDistinctID: source, eventUUID: nil, at: now, now: now)
        try storage.updatePerson(merged)
        guard let action = try storage.action(actionID) else {
            throw IdentityError.storeInconsistent("the merge record was not stored")
        }
        return action
    }

    /// A person named by one of its distinct IDs or by its uuid.
    public func resolvePerson(_ text: String, in storage: some IdentityStorage) throws -> Int64 {
        if let rowID = try storage.personID(forDistinctID: text) { return rowID }
        if let uuid = UUID(text: text), let rowID = try storage.personID(forUUID: uuid) { return rowID }
        throw IdentityError.unknownPerson(text)
    }
}
