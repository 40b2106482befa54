import Foundation

/// A validated, normalized event, ready for the engine.
public struct Event: Sendable, Equatable {
    public var uuid: UUID {
        didSet { stored = Stored() }
    }
    public var name: String {
        didSet { stored = Stored() }
    }
    public var distinctID: String
    /// The time the event says it happened; `nil` when it carried none we could read.
    public var timestamp: Date?
    /// Properties after normalization: top-level `$set`/`$set_once` folded in and
    /// automatic person properties added.
    public var properties: [String: JSONValue] {
        didSet { stored = Stored() }
    }
    /// Where it came from ("events.jsonl:12", "POST /batch/"), if known.
    public var source: String?
    /// Person-property parts of the input that had the wrong type and were ignored
    /// ("$set", "properties.$set_once", "properties.$unset"); each event with any gets a warning.
    public var ignoredFields: [String]

    public init(uuid: UUID, name: String, distinctID: String, timestamp: Date? = nil,
                properties: [String: JSONValue] = [:], source: String? = nil, ignoredFields: [String] = []) {
        self.ignoredFields = ignoredFields
        self.uuid = uuid
        self.name = name
        self.distinctID = distinctID
        self.timestamp = timestamp
        self.properties = properties
        self.source = source
    }

    /// What the store writes and the rules read of this event, computed once by `prepareForStorage()`
    /// on the thread that decodes events, so the single writer thread does not; any change to the
    /// uuid, name or properties drops it.
    private var stored = Stored()

    /// Serializes what the store writes for this event, and reads what the rules will ask of it,
    /// ahead of time.
    public mutating func prepareForStorage() {
        stored = Stored(properties: JSONWriter.string(.object(properties)), uuid: uuid.lowercased,
                        updates: PropertyUpdates(event: self), mergeRequest: .some(MergeRequest(self)))
    }

    /// The person-property writes it asks for (step 5 of the rules).
    var updates: PropertyUpdates { stored.updates ?? PropertyUpdates(event: self) }

    /// The join of two IDs it asks for, if any (step 3).
    var mergeRequest: MergeRequest? { stored.mergeRequest ?? MergeRequest(self) }

    /// The other ID a `$identify`, `$create_alias` or `$merge_dangerously` names (O of the merge
    /// table), as the rules read it: what a batch-writing store loads before running the rules.
    public var mergeSourceID: String? { mergeRequest?.source }

    /// The properties as the store writes them (JSON text).
    public var storedProperties: String { stored.properties ?? JSONWriter.string(.object(properties)) }

    /// The uuid as the store writes it (lowercase text).
    public var storedUUID: String { stored.uuid ?? uuid.lowercased }

    /// A cache, not part of the event's value: equal events stay equal whether prepared or not.
    private struct Stored: Sendable, Equatable {
        var properties: String?
        var uuid: String?
        var updates: PropertyUpdates?
        /// nil: not computed; .some(nil): the event asks for no join.
        var mergeRequest: MergeRequest??
        static func == (lhs: Stored, rhs: Stored) -> Bool { true }
    }
}


