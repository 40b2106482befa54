import Foundation
import IdentityCore

/// An event as stored, with its place in ingestion order.
public struct StoredEvent: Sendable, Equatable {
    public var seq: Int64
    public var uuid: UUID
    public var name: String
    public var distinctID: String
    public var timestamp: Date?
    public var properties: [String: JSONValue]
    public var source: String?
    /// What it did to identity; nil for events stored before identikit recorded effects.
    public var effect: EventEffect?
    /// Copies of it (same uuid) that arrived later and were ignored.
    public var duplicates: Int

    public init(seq: Int64, uuid: UUID, name: String, distinctID: String, timestamp: Date? = nil, properties: [String: JSONValue] = [:],
                source: String? = nil, effect: EventEffect? = nil, duplicates: Int = 0) {
        self.effect = effect
        self.duplicates = duplicates
        self.seq = seq
        self.uuid = uuid
        self.name = name
        self.distinctID = distinctID
        self.timestamp = timestamp
        self.properties = properties
        self.source = source
    }
}

/// One line of the warnings overview: a type, how many, and when the last one happened.
public struct WarningGroup: Sendable, Equatable {
    public var type: WarningType
    public var count: Int
    public var lastSeen: Date

    public init(type: WarningType, count: Int, lastSeen: Date) {
        self.type = type
        self.count = count
        self.lastSeen = lastSeen
    }
}

/// The store's counts, as `identikit stats` prints them and the explorer's bottom bar shows them.
public struct StoreStats: Sendable, Equatable, Codable {
    public var persons: Int
    public var distinctIDs: Int
    public var events: Int
    public var warnings: Int
    /// Merges still in force (not undone).
    public var merges: Int

    public init(persons: Int, distinctIDs: Int, events: Int, warnings: Int, merges: Int) {
        self.persons = persons
        self.distinctIDs = distinctIDs
        self.events = events
        self.warnings = warnings
        self.merges = merges
    }

    enum CodingKeys: String, CodingKey {
        case persons, events, warnings, merges
        case distinctIDs = "distinct_ids"
    }
}

/// What `identikit check` found: each problem in words, and the counts it verified.
public struct CheckReport: Sendable, Equatable {
    public var problems: [String]
    public var stats: StoreStats
    public var isHealthy: Bool { problems.isEmpty }

    public init(problems: [String], stats: StoreStats) {
        self.problems = problems
        self.stats = stats
    }
}
