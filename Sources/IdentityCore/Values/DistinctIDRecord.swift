import Foundation

/// How a distinct ID came to belong to its person.
public enum JoinKind: String, Sendable, Codable, CaseIterable {
    /// Its first event created the person.
    case firstEvent = "first_event"
    case identify = "$identify"
    case alias = "$create_alias"
    case mergeDangerously = "$merge_dangerously"
    /// It moved over when its person was merged into this one.
    case merge
    /// It moved over in a merge made by hand.
    case manualMerge = "manual_merge"
    /// It was split off into a person of its own.
    case split
    /// It came back when a merge was undone.
    case undo
}

/// One distinct ID and how it joined its person.
public struct DistinctIDRecord: Sendable, Equatable, Codable {
    public var distinctID: String
    public var personID: Int64
    public var joinedAt: Date
    public var how: JoinKind
    /// The event that joined it, if an event did.
    public var eventUUID: UUID?
    /// The merge, undo or split that joined it, if one did.
    public var actionID: Int64?

    public init(distinctID: String, personID: Int64, joinedAt: Date, how: JoinKind, eventUUID: UUID? = nil, actionID: Int64? = nil) {
        self.distinctID = distinctID
        self.personID = personID
        self.joinedAt = joinedAt
        self.how = how
        self.eventUUID = eventUUID
        self.actionID = actionID
    }

    enum CodingKeys: String, CodingKey {
        case distinctID = "distinct_id", personID = "person_id", joinedAt = "joined_at", how
        case eventUUID = "event_uuid", actionID = "action_id"
    }
}
