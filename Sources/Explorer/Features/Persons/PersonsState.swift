import Store

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
    /// The page already asked for, so scrolling while it loads does not ask again.
    var requested: PersonCursor?

    public init() {}

    public var selectedPerson: PersonSummary? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }
}

extension PersonOrder {
    public var title: String {
        switch self {
        case .firstSeen: "first seen"
        case .lastSeen: "last seen"
        case .size: "size"
        }
    }
}
