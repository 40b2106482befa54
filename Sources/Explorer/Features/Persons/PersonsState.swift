import Store

/// The persons list: a window of the list in one order, optionally narrowed by a filter or a
/// search. The window is paged in from the top, or from the true end after `G`, and grows both ways.
public struct PersonsState: Sendable, Equatable {
    public var order: PersonOrder = .firstSeen
    public var filter: PersonFilter = .none
    public var rows: [PersonSummary] = []
    /// Where the page after the last row starts; nil when the last row is the list's last (or while searching).
    public var next: PersonCursor?
    /// Where the page before the first row starts (read in the other direction); nil when the
    /// first row is the list's first.
    public var previous: PersonCursor?
    /// The window was read from the end of the list (`G`): a refresh reads it from there again.
    public var fromEnd = false
    public var cursor = ListCursor()
    /// The search narrowing the list, if any.
    public var search: String?
    public var loaded = false
    /// The pages already asked for, so scrolling while one loads does not ask again.
    var requested: PersonCursor?
    var requestedPrevious: PersonCursor?
    /// Where the selection goes when the jump asked for (`g`, `G`) arrives.
    var jump: Jump?

    enum Jump: Sendable, Equatable { case first, last }

    public init(order: PersonOrder = .firstSeen, filter: PersonFilter = .none) {
        self.order = order
        self.filter = filter
    }

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
