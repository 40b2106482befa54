import Foundation

/// A person as the rules see it. `rowID` is the store's key; `uuid` is the
/// public id, stable across stores (UUIDv5 of its first distinct ID).
public struct Person: Sendable, Equatable {
    public var rowID: Int64?
    public var uuid: UUID
    public var createdAt: Date
    public var isIdentified: Bool
    public var properties: [String: JSONValue]
    /// For each property key, what last wrote it.
    public var provenance: [String: PropertySource]
    /// For each property key, the newest write the churn filter skipped since the key was last
    /// written: why a value such as `$current_url` looks stale. Not a change of the person.
    public var skippedWrites: [String: SkippedWrite]
    /// Bumped on every change.
    public var version: Int64

    public init(rowID: Int64? = nil, uuid: UUID, createdAt: Date, isIdentified: Bool = false,
                properties: [String: JSONValue] = [:], provenance: [String: PropertySource] = [:],
                skippedWrites: [String: SkippedWrite] = [:], version: Int64 = 0) {
        self.rowID = rowID
        self.uuid = uuid
        self.createdAt = createdAt
        self.isIdentified = isIdentified
        self.properties = properties
        self.provenance = provenance
        self.skippedWrites = skippedWrites
        self.version = version
    }
}

/// A `$set` that was not written, with the value it carried and what asked for it.
public struct SkippedWrite: Sendable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// The churn filter: only new values of often-changing automatic keys (spec step 5).
        case filtered

        /// The name every output uses, the same as an event's effect says ("churn_filter"); the
        /// stored provenance keeps "filtered".
        public var shown: EventEffect.Skip.Reason {
            switch self {
            case .filtered: .churnFilter
            }
        }
    }

    public var value: JSONValue
    public var source: PropertySource
    public var reason: Reason

    public init(value: JSONValue, source: PropertySource, reason: Reason = .filtered) {
        self.value = value
        self.source = source
        self.reason = reason
    }
}

/// Which event last wrote a person property, and how.
public struct PropertySource: Sendable, Equatable, Codable {
    public enum Operation: String, Sendable, Codable {
        case set = "$set"
        case setOnce = "$set_once"
    }

    public var eventUUID: UUID?
    public var event: String
    public var operation: Operation
    public var at: Date

    public init(eventUUID: UUID?, event: String, operation: Operation, at: Date) {
        self.eventUUID = eventUUID
        self.event = event
        self.operation = operation
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case eventUUID = "event_uuid", event, operation = "op", at
    }

    /// The stored form, written without `Codable` because every person update writes it.
    public var jsonValue: JSONValue {
        .object(["event_uuid": eventUUID.map { .string($0.lowercased) } ?? .null, "event": .string(event),
                 "op": .string(operation.rawValue), "at": .double(at.timeIntervalSince1970)])
    }

    public init?(json: JSONValue) {
        guard case .object(let object) = json, let event = object["event"]?.stringValue,
              let operation = object["op"]?.stringValue.flatMap(Operation.init(rawValue:)) else { return nil }
        let at: Date
        switch object["at"] {
        case .double(let seconds)?: at = Date(timeIntervalSince1970: seconds)
        case .int(let seconds)?: at = Date(timeIntervalSince1970: Double(seconds))
        case .string(let text)?: at = Timestamp.parse(text) ?? Date(timeIntervalSince1970: 0)
        default: return nil
        }
        self.init(eventUUID: object["event_uuid"]?.stringValue.flatMap(UUID.init(text:)), event: event,
                  operation: operation, at: at)
    }
}

/// A snapshot of a person for merge records: enough to bring it back.
public struct PersonSnapshot: Sendable, Equatable, Codable {
    public var uuid: UUID
    public var createdAt: Date
    public var isIdentified: Bool
    public var properties: [String: JSONValue]
    public var provenance: [String: PropertySource]
    /// Kept in the stored form's provenance entries (`ProvenanceCoding`), not a key of its own.
    public var skippedWrites: [String: SkippedWrite] = [:]
    public var version: Int64

    public init(_ person: Person) {
        uuid = person.uuid
        createdAt = person.createdAt
        isIdentified = person.isIdentified
        properties = person.properties
        provenance = person.provenance
        skippedWrites = person.skippedWrites
        version = person.version
    }

    public var person: Person {
        Person(uuid: uuid, createdAt: createdAt, isIdentified: isIdentified, properties: properties,
               provenance: provenance, skippedWrites: skippedWrites, version: version)
    }

    enum CodingKeys: String, CodingKey {
        case uuid, createdAt = "created_at", isIdentified = "is_identified", properties, provenance, version
    }
}
