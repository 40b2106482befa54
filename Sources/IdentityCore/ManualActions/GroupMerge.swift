import Foundation

/// What merging a whole group of persons into one would do, shown before it is done.
public struct GroupMergePreview: Sendable, Equatable {
    /// One person of the group, with the distinct ID that names it in the merge.
    public struct Member: Sendable, Equatable {
        public var person: Person
        public var distinctIDs: [String]
        /// The ID the merge's link records for it (never a generic one).
        public var name: String
    }

    /// The survivor: an identified person first, then the oldest.
    public var target: Member
    /// Merged into the target in this order.
    public var sources: [Member]
    /// The target as it will be, properties folded in the merge's order (the target wins conflicts).
    public var result: Person
    /// A person of the group has only generic IDs: nothing names it safely.
    public var unnamed: Member?

    public var members: [Member] { [target] + sources }
    public var identifiedCount: Int { members.filter(\.person.isIdentified).count }
    /// Two identified persons become one: the safe rule would refuse; a forced merge may proceed.
    public var needsForce: Bool { identifiedCount >= 2 }
    public var resultingDistinctIDs: [String] { members.flatMap(\.distinctIDs).sorted() }
}

extension IdentityEngine {
    /// The preview of merging every person named (distinct IDs or uuids) into one.
    public func previewGroupMerge(_ references: [String], in storage: some IdentityStorage) throws -> GroupMergePreview {
        var rowIDs: [Int64] = []
        for reference in references {
            let rowID = try resolvePerson(reference, in: storage)
            if !rowIDs.contains(rowID) { rowIDs.append(rowID) }
        }
        guard rowIDs.count >= 2 else {
            throw IdentityError.mergeRefused("a group merge needs at least two different persons")
        }
        var members: [GroupMergePreview.Member] = []
        for rowID in rowIDs {
            guard let person = try storage.person(rowID) else { throw IdentityError.storeInconsistent("person \(rowID) is missing") }
            let ids = try storage.distinctIDs(ofPerson: rowID).map(\.distinctID).sorted()
            members.append(.init(person: person, distinctIDs: ids, name: ids.first { !IllegalDistinctIDs.isIllegal($0) } ?? ids.first ?? ""))
        }
        // Identified before anonymous, then the oldest: the person most likely to be the real one survives.
        members.sort { a, b in
            (a.person.isIdentified ? 0 : 1, a.person.createdAt, a.person.uuid.lowercased)
                < (b.person.isIdentified ? 0 : 1, b.person.createdAt, b.person.uuid.lowercased)
        }
        var result = members[0].person
        for source in members.dropFirst() { result = MergePlan(target: result, source: source.person).merged }
        return GroupMergePreview(target: members[0], sources: Array(members.dropFirst()), result: result,
                                 unnamed: members.first { IllegalDistinctIDs.isIllegal($0.name) })
    }

    /// Merges every person named into one, as ONE action (`manual_group_merge`) that one undo
    /// reverses: each person goes in by its own merge record (so undo, why-linked and push work as
    /// for any manual merge), all listed in the group's record. Two identified persons need `force`.
    @discardableResult
    public func groupMerge(_ references: [String], force: Bool, in storage: some IdentityStorage, now: Date) throws -> ActionRecord {
        let preview = try previewGroupMerge(references, in: storage)
        if let unnamed = preview.unnamed {
            throw IdentityError.mergeRefused("person \(unnamed.person.uuid.lowercased) has only generic distinct IDs; merging on them would fold unrelated people")
        }
        if preview.needsForce, !force {
            throw IdentityError.mergeRefused("\(preview.identifiedCount) of the persons are identified; merging identified persons needs a forced merge (use --force)")
        }
        guard let targetID = preview.target.person.rowID else { throw IdentityError.storeInconsistent("a person has no row id") }
        var group = ActionRecord(kind: .groupMerge, eventUUID: nil, at: now, targetUUID: preview.target.person.uuid, sourceUUID: nil,
                                 distinctIDs: preview.sources.flatMap(\.distinctIDs).sorted(), details: ActionDetails())
        let groupID = try storage.insertAction(group)
        group.id = groupID
        var target = preview.target.person
        var members: [Int64] = []
        for source in preview.sources {
            guard let sourceID = source.person.rowID else { throw IdentityError.storeInconsistent("a person has no row id") }
            let kind: ActionKind = target.isIdentified && source.person.isIdentified ? .manualForcedMerge : .manualMerge
            let (merged, actionID) = try MergeOperation(engine: self, storage: storage)
                .merge(source: (sourceID, source.person), into: (targetID, target), kind: kind,
                       targetDistinctID: preview.target.name, sourceDistinctID: source.name, eventUUID: nil, at: now, now: now,
                       group: groupID)
            try storage.updatePerson(merged)
            target = merged
            target.rowID = targetID
            members.append(actionID)
        }
        group.details.groupMembers = members
        try storage.updateAction(group)
        return group
    }

    /// Reverses a group merge: its merges in reverse order, then, if nothing wrote the survivor
    /// since, the survivor exactly as it was before the group (a merge identifies its target; an
    /// undo of one merge of several cannot tell whether another merge of the group did).
    func undoGroup(_ group: ActionRecord, in storage: some IdentityStorage, now: Date) throws -> UndoReport {
        guard let groupID = group.id else { throw IdentityError.storeInconsistent("a group merge has no id") }
        if let undoneBy = group.undoneBy { throw IdentityError.alreadyUndone(groupID, by: undoneBy) }
        var merges: [ActionRecord] = []
        for id in group.details.groupMembers {
            guard let merge = try storage.action(id) else { throw IdentityError.storeInconsistent("merge \(id) of group \(groupID) is missing") }
            merges.append(merge)
        }
        guard let first = merges.first, let before = first.details.targetBefore, let targetUUID = group.targetUUID,
              let targetID = try storage.personID(forUUID: targetUUID), let survivor = try storage.person(targetID) else {
            throw IdentityError.targetGone(groupID, mergedAway: try group.targetUUID.flatMap { try storage.mergeThatRemoved($0) })
        }
        // The survivor's version right after the group's last merge: unchanged means untouched since.
        let untouched = merges.last.map { last in
            survivor.version == max(last.details.targetBefore?.version ?? 0, last.details.sourceBefore?.version ?? 0) + 1
        } ?? false

        var reports: [UndoReport] = []
        for merge in merges.reversed() { reports.append(try undoMerge(merge, in: storage, now: now, group: groupID)) }
        var keptKeys = Set(reports.flatMap(\.keptKeys))
        if untouched, var target = try storage.person(targetID) {
            target.properties = before.properties
            target.provenance = before.provenance
            target.skippedWrites = before.skippedWrites
            target.createdAt = before.createdAt
            target.isIdentified = before.isIdentified
            target.version += 1
            try storage.updatePerson(target)
            keptKeys = []
        }
        let movedBack = reports.flatMap(\.movedBack).sorted()
        var undo = ActionRecord(kind: .undo, eventUUID: nil, at: now, targetUUID: targetUUID, sourceUUID: nil, distinctIDs: movedBack,
                                details: ActionDetails(undoes: groupID, keptKeys: keptKeys.sorted()))
        undo.id = try storage.insertAction(undo)
        var undone = group
        undone.undoneBy = undo.id
        try storage.updateAction(undone)
        return UndoReport(undo: undo, restoredPersonUUID: reports.last?.restoredPersonUUID ?? targetUUID, movedBack: movedBack,
                          leftInPlace: reports.flatMap(\.leftInPlace).sorted(), keptKeys: keptKeys.sorted())
    }
}
