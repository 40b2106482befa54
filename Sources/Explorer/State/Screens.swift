import Foundation
import IdentityCore
import IdentityStore

/// The persons list: pages loaded so far, in one order, optionally narrowed by a search.
public struct PersonsState: Sendable, Equatable {
    public var order: PersonOrder = .firstSeen
    public var rows: [PersonSummary] = []
    /// Where the next page starts; nil when everything is loaded (or while searching).
    public var next: PersonCursor?
    public var cursor = ListCursor()
    /// The search narrowing the list, if any.
    public var search: String?
    public var loaded = false

    public init() {}

    public var selectedPerson: PersonSummary? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }
}

/// The tabs of the person screen.
public enum DetailTab: Int, Sendable, CaseIterable {
    case properties = 0, distinctIDs, events, history

    public var title: String {
        switch self {
        case .properties: "Properties"
        case .distinctIDs: "Distinct IDs"
        case .events: "Events"
        case .history: "History"
        }
    }
}

/// One person: its detail, the events loaded so far, and a cursor per tab.
public struct DetailState: Sendable, Equatable {
    /// The person's uuid (lowercase): stays valid while distinct IDs move.
    public var reference: String
    public var detail: PersonDetail?
    public var missing = false
    public var tab: DetailTab = .properties
    public var cursors: [ListCursor] = Array(repeating: ListCursor(), count: DetailTab.allCases.count)
    public var events: [StoredEvent] = []
    public var eventsExhausted = false
    /// Distinct IDs picked with Space (for split and "why linked").
    public var pickedIDs: [String] = []

    public init(reference: String) { self.reference = reference }

    public var propertyKeys: [String] { detail.map { $0.person.properties.keys.sorted() } ?? [] }

    public func rowCount(_ tab: DetailTab) -> Int {
        switch tab {
        case .properties: propertyKeys.count
        case .distinctIDs: detail?.distinctIDs.count ?? 0
        case .events: events.count
        case .history: detail?.history.count ?? 0
        }
    }

    public var cursor: ListCursor {
        get { cursors[tab.rawValue] }
        set { cursors[tab.rawValue] = newValue }
    }

    /// A distinct ID to name the person by in merges.
    public var anyDistinctID: String? { detail?.distinctIDs.first?.distinctID }
}

/// Warnings grouped by type.
public struct WarningGroupsState: Sendable, Equatable {
    public var groups: [WarningGroup] = []
    public var cursor = ListCursor()
    public var loaded = false
    public init() {}
}

/// The warnings of one type, newest first, optionally filtered by text.
public struct WarningListState: Sendable, Equatable {
    public var type: WarningType?
    public var filter: String = ""
    public var warnings: [IngestionWarning] = []
    public var cursor = ListCursor()
    public var exhausted = false
    public init(type: WarningType?) { self.type = type }
}

/// Values of a property that more than one person shares.
public struct DuplicatesState: Sendable, Equatable {
    public var property: String = "email"
    public var groups: [DuplicateGroup] = []
    public var cursor = ListCursor()
    public var loaded = false
    public init(property: String = "email") { self.property = property }
}

/// The persons of one duplicate group: pick a target and merge the others into it.
public struct DuplicateMembersState: Sendable, Equatable {
    public var property: String
    public var value: String
    public var rows: [PersonSummary] = []
    public var cursor = ListCursor()
    public init(property: String, value: String) {
        self.property = property
        self.value = value
    }
}

/// A screen on the navigation stack.
public enum Screen: Sendable, Equatable {
    case persons(PersonsState)
    case detail(DetailState)
    case warningGroups(WarningGroupsState)
    case warnings(WarningListState)
    case duplicates(DuplicatesState)
    case duplicateMembers(DuplicateMembersState)
    /// Nothing in the store yet.
    case empty
}
