import Foundation

/// The kinds of ingestion warning. Names match PostHog's so that people can
/// look them up in its documentation.
public enum WarningType: String, Sendable, Codable, CaseIterable {
    case cannotMergeWithIllegalDistinctID = "cannot_merge_with_illegal_distinct_id"
    case cannotMergeAlreadyIdentified = "cannot_merge_already_identified"
    case invalidEvent = "invalid_event"
    case skippingEventInvalidDistinctID = "skipping_event_invalid_distinct_id"
    case invalidProcessPersonProfile = "invalid_process_person_profile"
    case invalidEventWhenProcessPersonProfileIsFalse = "invalid_event_when_process_person_profile_is_false"
    case personPropertiesSizeViolation = "person_properties_size_violation"
    case distinctIDCaseCollision = "distinct_id_case_collision"
    /// Not in PostHog: a `$set`/`$set_once` that was not an object, or an `$unset` that was neither
    /// a list nor an object. The event was ingested; only that part was ignored.

    /// One line a person reads in a list of warnings.
    public var summary: String {
        switch self {
        case .cannotMergeWithIllegalDistinctID: "merge refused: a generic distinct ID (null, email, 0…) would fold unrelated people"
        case .cannotMergeAlreadyIdentified: "merge refused: the other person is already identified"
        case .invalidEvent: "event rejected: it is not a valid event"
        case .skippingEventInvalidDistinctID: "event rejected: its distinct ID is not usable"
        case .invalidProcessPersonProfile: "$process_person_profile was not a boolean; treated as true"
        case .invalidEventWhenProcessPersonProfileIsFalse: "merge event sent with $process_person_profile=false; dropped"
        case .personPropertiesSizeViolation: "person properties would exceed 640 KiB; update refused"
        case .distinctIDCaseCollision: "new person for an ID that differs only in case from another person's; not merged"
        }
    }
}

/// A record that the core refused or repaired something.
public struct IngestionWarning: Sendable, Equatable {
    public var id: Int64?
    public var type: WarningType
    public var createdAt: Date
    public var eventUUID: UUID?
    public var distinctIDs: [String]
    public var details: [String: JSONValue]
    /// The input as received, for events that were not ingested.
    public var raw: String?
    /// File and line, or HTTP request, for input problems.
    public var source: String?

    public init(id: Int64? = nil, type: WarningType, createdAt: Date, eventUUID: UUID?, distinctIDs: [String],
                details: [String: JSONValue], raw: String? = nil, source: String? = nil) {
        self.id = id
        self.type = type
        self.createdAt = createdAt
        self.eventUUID = eventUUID
        self.distinctIDs = distinctIDs
        self.details = details
        self.raw = raw
        self.source = source
    }
}
