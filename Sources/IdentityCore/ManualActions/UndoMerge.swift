import Foundation

/// What an undo did, for the person who asked for it.
public struct UndoReport: Sendable, Equatable {
    public var undo: ActionRecord
    public var restoredPersonUUID: UUID
    /// IDs moved back to the restored person.
    public var movedBack: [String]
    /// IDs the merge had moved that have since left the surviving person; left where they are.
    public var leftInPlace: [String]
    /// Keys the merge changed that a later change touched; kept at the later value.
    public var keptKeys: [String]
}

extension IdentityEngine {
    /// Reverses a merge: brings the source person back with its distinct IDs
    /// and its pre-merge properties, and restores the target's pre-merge value
    /// of each key the merge changed, unless a later change touched that key.
    /// A group merge (`manual_group_merge`) is undone whole; a merge of a group only with it.
    public func undo(_ actionID: Int64, in storage: some IdentityStorage, now: Date) throws -> UndoReport {
        guard let action = try storage.action(actionID) else { throw IdentityError.unknownAction(actionID) }
        if action.kind == .groupMerge { return try undoGroup(action, in: storage, now: now) }
        guard action.kind.isMerge else { throw IdentityError.notAMerge(actionID, action.kind) }
        if let group = action.details.group { throw IdentityError.partOfGroup(actionID, group: group) }
        return try undoMerge(action, in: storage, now: now, group: nil)
    }

    /// Reverses one merge; `group` is the group merge it is undone as part of.
    func undoMerge(_ action: ActionRecord, in storage: some IdentityStorage, now: Date, group: Int64?) throws -> UndoReport {
        var merge = action
        guard let actionID = merge.id else { throw IdentityError.storeInconsistent("a merge record has no id") }
        if let undoneBy = merge.undoneBy { throw IdentityError.alreadyUndone(actionID, by: undoneBy) }
        guard let sourceBefore = merge.details.sourceBefore, let targetBefore = merge.details.targetBefore,
              let afterMerge = merge.details.targetAfterMerge, let targetUUID = merge.targetUUID else {
            throw IdentityError.storeInconsistent("merge \(actionID) lacks the snapshots needed to undo it")
        }
        guard let targetID = try storage.personID(forUUID: targetUUID), var target = try storage.person(targetID) else {
            throw IdentityError.targetGone(actionID, mergedAway: try storage.mergeThatRemoved(targetUUID))
        }
        if try storage.personID(forUUID: sourceBefore.uuid) != nil { throw IdentityError.sourceUUIDTaken(actionID) }

        var stillHere: [DistinctIDRecord] = []
        var leftInPlace: [String] = []
        for record in merge.details.movedIDs {
            if try storage.personID(forDistinctID: record.distinctID) == targetID {
                stillHere.append(record)
            } else {
                leftInPlace.append(record.distinctID)
            }
        }
        guard !stillHere.isEmpty else { throw IdentityError.nothingToMoveBack(actionID) }
        if stillHere.count == (try storage.distinctIDs(ofPerson: targetID)).count {
            // Moving them all back would leave the survivor without an ID.
            throw IdentityError.storeInconsistent("merge \(actionID) moved every ID the person has; nothing would remain")
        }

        var restored = sourceBefore.person
        restored.version += 1
        let restoredID = try storage.insertPerson(restored)
        for record in stillHere {
            var back = record
            back.personID = restoredID
            try storage.upsertDistinctID(back)
        }

        var keptKeys: [String] = []
        let changedKeys = Set(afterMerge.keys).union(targetBefore.properties.keys)
            .filter { afterMerge[$0] != targetBefore.properties[$0] }
        for key in changedKeys.sorted() {
            guard target.properties[key] == afterMerge[key] else {
                keptKeys.append(key)
                continue
            }
            target.properties[key] = targetBefore.properties[key]
            target.provenance[key] = targetBefore.provenance[key]
            target.skippedWrites[key] = targetBefore.skippedWrites[key]
        }
        if target.createdAt < targetBefore.createdAt { target.createdAt = targetBefore.createdAt }
        // A manual merge has no event of its own: if it is what identified the target, and nothing
        // wrote the target since (its version is still the merge's), the target is anonymous again.
        // (An event merge keeps is_identified: the table identifies P(D) for that event either way.)
        let versionAfterMerge = max(targetBefore.version, sourceBefore.version) + 1
        if merge.kind == .manualMerge || merge.kind == .manualForcedMerge, !targetBefore.isIdentified,
           target.version == versionAfterMerge {
            target.isIdentified = false
        }
        target.version += 1
        try storage.updatePerson(target)
        try storage.retireLinks(createdBy: actionID)

        let movedBack = stillHere.map(\.distinctID).sorted()
        var undo = ActionRecord(kind: .undo, eventUUID: nil, at: now, targetUUID: targetUUID, sourceUUID: sourceBefore.uuid,
                                distinctIDs: movedBack,
                                details: ActionDetails(undoes: actionID, keptKeys: keptKeys, group: group))
        undo.id = try storage.insertAction(undo)
        merge.undoneBy = undo.id
        try storage.updateAction(merge)
        return UndoReport(undo: undo, restoredPersonUUID: sourceBefore.uuid, movedBack: movedBack,
                          leftInPlace: leftInPlace.sorted(), keptKeys: keptKeys)
    }
}
