import IdentityCore
import Store

/// Values of a property that more than one person shares.
public struct DuplicatesState: Sendable, Equatable {
    public var property: String = "email"
    public var groups: [DuplicateGroup] = []
    public var cursor = ListCursor()
    public var loaded = false
    public init(property: String = "email") { self.property = property }
}

/// Duplicate groups: Enter opens a group, `p` switches between email and name.
enum DuplicatesFeature: ScreenFeature {
    typealias State = DuplicatesState
    enum Query: Sendable, Equatable { case groups(property: String) }

    struct Data: Sendable {
        var property: String
        var groups: [DuplicateGroup]
    }

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .groups(let property): Data(property: property, groups: try await client.duplicateGroups(property))
        }
    }

    static func reload(_ d: DuplicatesState) -> [Query] { [.groups(property: d.property)] }

    static func receive(_ data: Data, _ d: inout DuplicatesState, _ app: inout AppState) -> [Effect] {
        guard data.property == d.property else { return [] }
        d.groups = data.groups
        d.loaded = true
        d.cursor.select(d.cursor.selected, count: d.groups.count, visible: listRows(d, height: app.height))
        return []
    }

    static func handle(_ key: Key, _ d: inout DuplicatesState, _ state: inout AppState) -> [Effect]? {
        let visible = listRows(d, height: state.height)
        if case .click(let row, _) = key { d.cursor.select(d.cursor.offset + row - 2, count: d.groups.count, visible: visible); return [] }
        if d.cursor.handle(key, count: d.groups.count, visible: visible) { return [] }
        switch key {
        case .enter:
            guard d.groups.indices.contains(d.cursor.selected) else { return [] }
            return Reducer.open(.duplicateMembers(DuplicateMembersState(property: d.property, value: d.groups[d.cursor.selected].value)), &state)
        case .char("p"):
            d.property = d.property == "email" ? "name" : "email"
            d.cursor = ListCursor()
            return [load(.groups(property: d.property))]
        default:
            return nil
        }
    }

    static func rescroll(_ d: inout DuplicatesState, height: Int) {
        d.cursor.scroll(visible: listRows(d, height: height), count: d.groups.count)
    }

    static func draw(_ d: DuplicatesState, _ app: AppState, _ grid: inout CellGrid) { DuplicatesView.drawGroups(d, app, &grid) }

    static func keyHints(_ d: DuplicatesState) -> String { "? help  Esc back  Enter group  p email/name" }
}
