import IdentityCore
import Store

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
    /// The events page already asked for (the seq it starts before), so scrolling asks once.
    var requestedEvents: Int64?
    /// Distinct IDs picked with Space (for split and "why linked").
    public var pickedIDs: [String] = []
    /// The Distinct IDs tab shows the identity graph (`t`) instead of the list.
    public var graphShown = false
    public var graph: IdentityGraph?
    /// Manual merges `identikit push` sent to PostHog: the History tab says which.
    public var pushedActions: Set<Int64> = []

    public init(reference: String) { self.reference = reference }

    public var propertyKeys: [String] { detail.map { $0.person.properties.keys.sorted() } ?? [] }

    public func rowCount(_ tab: DetailTab) -> Int {
        switch tab {
        case .properties: propertyKeys.count
        case .distinctIDs: graphShown ? graphLines.count : detail?.distinctIDs.count ?? 0
        case .events: events.count
        case .history: detail?.history.count ?? 0
        }
    }

    public var cursor: ListCursor {
        get { cursors[tab.rawValue] }
        set { cursors[tab.rawValue] = newValue }
    }

    /// The tree's lines (empty until it is loaded).
    public var graphLines: [String] { graph.map(Format.graphLines) ?? [] }

    /// A distinct ID to name the person by in merges.
    public var anyDistinctID: String? { detail?.distinctIDs.first?.distinctID }
}
