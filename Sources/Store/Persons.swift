import Foundation
import IdentityCore

/// One row of the persons list.
public struct PersonSummary: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var uuid: UUID
    /// `name` or `email`, else the first identified distinct ID, else the first distinct ID.
    public var displayName: String
    public var isIdentified: Bool
    public var distinctIDCount: Int
    public var eventCount: Int
    public var createdAt: Date
    public var firstSeen: Date?
    public var lastSeen: Date?

    public init(id: Int64, uuid: UUID, displayName: String, isIdentified: Bool, distinctIDCount: Int, eventCount: Int,
                createdAt: Date, firstSeen: Date? = nil, lastSeen: Date? = nil) {
        self.id = id
        self.uuid = uuid
        self.displayName = displayName
        self.isIdentified = isIdentified
        self.distinctIDCount = distinctIDCount
        self.eventCount = eventCount
        self.createdAt = createdAt
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// How the persons list is ordered. Every order is a keyset over an index: pages cost the same anywhere.
public enum PersonOrder: String, Sendable, CaseIterable {
    case firstSeen = "first-seen"
    case lastSeen = "last-seen"
    case size

    /// Persons found another way (a search) in this order, newest or largest first, as the list's
    /// pages come (the same sort value, then the row id).
    public func sorted(_ persons: [PersonSummary]) -> [PersonSummary] {
        persons.sorted { a, b in
            let (x, y) = (value(a), value(b))
            return x != y ? x > y : a.id > b.id
        }
    }

    func value(_ person: PersonSummary) -> Double {
        switch self {
        case .firstSeen: person.createdAt.timeIntervalSince1970
        case .lastSeen: person.lastSeen?.timeIntervalSince1970 ?? -.infinity
        case .size: Double(person.eventCount)
        }
    }
}

/// Where a page of persons ends: the sort value and the row id of its last row.
/// Printed as `<value>:<id>` so it can be passed back with `--after`.
public struct PersonCursor: Sendable, Equatable, CustomStringConvertible {
    public var value: Double
    public var id: Int64

    public init(value: Double, id: Int64) {
        self.value = value
        self.id = id
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let value = Double(parts[0]), let id = Int64(parts[1]) else { return nil }
        self.init(value: value, id: id)
    }

    public var description: String { "\(JSONValue.decimalString(value)):\(id)" }
}

/// A page of persons and where the next one starts.
public struct PersonPage: Sendable, Equatable {
    public var persons: [PersonSummary]
    public var next: PersonCursor?

    public init(persons: [PersonSummary], next: PersonCursor? = nil) {
        self.persons = persons
        self.next = next
    }
}

/// A person with its distinct IDs and the merges, undos and splits that touched it.
public struct PersonDetail: Sendable, Equatable {
    public var person: Person
    public var distinctIDs: [DistinctIDRecord]
    /// Newest first.
    public var history: [ActionRecord]
    public var eventCount: Int
    public var firstSeen: Date?
    public var lastSeen: Date?

    public init(person: Person, distinctIDs: [DistinctIDRecord], history: [ActionRecord], eventCount: Int,
                firstSeen: Date? = nil, lastSeen: Date? = nil) {
        self.person = person
        self.distinctIDs = distinctIDs
        self.history = history
        self.eventCount = eventCount
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// A property value that more than one person has.
public struct DuplicateGroup: Sendable, Equatable {
    public var value: String
    public var count: Int

    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}
