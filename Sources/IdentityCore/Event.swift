import Foundation

/// A validated, normalized event, ready for the engine.
public struct Event: Sendable, Equatable {
    public var uuid: UUID
    public var name: String
    public var distinctID: String
    /// The time the event says it happened; `nil` when it carried none we could read.
    public var timestamp: Date?
    /// Properties after normalization: top-level `$set`/`$set_once` folded in and
    /// automatic person properties added.
    public var properties: [String: JSONValue]
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
}


