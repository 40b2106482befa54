import Foundation

/// What changed the shape of persons: a merge (by event or by hand), an undo, a split.
public enum ActionKind: String, Sendable, Codable, CaseIterable {
    case identify = "$identify"
    case createAlias = "$create_alias"
    case mergeDangerously = "$merge_dangerously"
    case manualMerge = "manual_merge"
    case manualForcedMerge = "manual_forced_merge"
    /// Several persons merged into one at once: one record listing its merges, undone as one.
    case groupMerge = "manual_group_merge"
    case undo
    case split

    public var isMerge: Bool {
        switch self {
        case .identify, .createAlias, .mergeDangerously, .manualMerge, .manualForcedMerge: true
        case .undo, .split, .groupMerge: false
        }
    }

    /// What `identikit undo` takes: a merge, or a group merge.
    public var isUndoable: Bool { isMerge || self == .groupMerge }

    var joinKind: JoinKind {
        switch self {
        case .manualMerge, .manualForcedMerge, .groupMerge: .manualMerge
        case .undo: .undo
        case .split: .split
        default: .merge
        }
    }
}

/// The record of one merge, undo or split: what it did and what it needs to be explained and undone.
public struct ActionRecord: Sendable, Equatable {
    public var id: Int64?
    public var kind: ActionKind
    public var eventUUID: UUID?
    public var at: Date
    /// The surviving person of a merge; the person an undo or split took IDs from.
    public var targetUUID: UUID?
    /// The person merged away; the person an undo brought back.
    public var sourceUUID: UUID?
    /// The distinct IDs that moved.
    public var distinctIDs: [String]
    public var details: ActionDetails
    /// The undo that reversed this merge, if any.
    public var undoneBy: Int64?

    public init(id: Int64? = nil, kind: ActionKind, eventUUID: UUID?, at: Date, targetUUID: UUID?, sourceUUID: UUID?,
                distinctIDs: [String], details: ActionDetails, undoneBy: Int64? = nil) {
        self.id = id
        self.kind = kind
        self.eventUUID = eventUUID
        self.at = at
        self.targetUUID = targetUUID
        self.sourceUUID = sourceUUID
        self.distinctIDs = distinctIDs
        self.details = details
        self.undoneBy = undoneBy
    }
}

/// The snapshots behind an action, stored as JSON.
public struct ActionDetails: Sendable, Equatable, Codable {
    /// The merged-away person as it was just before the merge.
    public var sourceBefore: PersonSnapshot?
    /// The surviving person as it was just before the merge.
    public var targetBefore: PersonSnapshot?
    /// The surviving person's properties right after the merge, before the event's own updates.
    public var targetAfterMerge: [String: JSONValue]?
    /// How each moved ID had joined its person before the move.
    public var movedIDs: [DistinctIDRecord]
    /// For an undo: the merge it reversed.
    public var undoes: Int64?
    /// For an undo: keys a later change had touched, kept at their later value.
    public var keptKeys: [String]
    /// For a split: the uuids of the persons it created.
    public var createdPersons: [UUID]
    /// For a group merge: its merges, in the order they were made.
    public var groupMembers: [Int64]
    /// For a merge (or its undo) made as part of a group merge: that group's action.
    public var group: Int64?

    public init(sourceBefore: PersonSnapshot? = nil, targetBefore: PersonSnapshot? = nil,
                targetAfterMerge: [String: JSONValue]? = nil, movedIDs: [DistinctIDRecord] = [],
                undoes: Int64? = nil, keptKeys: [String] = [], createdPersons: [UUID] = [],
                groupMembers: [Int64] = [], group: Int64? = nil) {
        self.sourceBefore = sourceBefore
        self.targetBefore = targetBefore
        self.targetAfterMerge = targetAfterMerge
        self.movedIDs = movedIDs
        self.undoes = undoes
        self.keptKeys = keptKeys
        self.createdPersons = createdPersons
        self.groupMembers = groupMembers
        self.group = group
    }

    enum CodingKeys: String, CodingKey {
        case sourceBefore = "source_before", targetBefore = "target_before", targetAfterMerge = "target_after_merge"
        case movedIDs = "moved_ids", undoes, keptKeys = "kept_keys", createdPersons = "created_persons"
        case groupMembers = "group_members", group
    }
}

/// One edge of "why are these two IDs on one person": the event or action that joined `a` and `b`.
public struct Link: Sendable, Equatable {
    public var a: String
    public var b: String
    public var kind: JoinKind
    public var eventUUID: UUID?
    public var actionID: Int64?
    public var at: Date

    public init(a: String, b: String, kind: JoinKind, eventUUID: UUID?, actionID: Int64?, at: Date) {
        self.a = a
        self.b = b
        self.kind = kind
        self.eventUUID = eventUUID
        self.actionID = actionID
        self.at = at
    }
}
