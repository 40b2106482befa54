import IdentityCore
import Store

/// Warnings grouped by type.
public struct WarningGroupsState: Sendable, Equatable {
    public var groups: [WarningGroup] = []
    public var cursor = ListCursor()
    public var loaded = false
    public init() {}
}

/// Warnings by type: Enter opens one type, `a` all of them.
enum WarningGroupsFeature: ScreenFeature {
    typealias State = WarningGroupsState
    enum Query: Sendable, Equatable { case groups }
    typealias Data = [WarningGroup]

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data { try await client.warningGroups() }

    static func reload(_ g: WarningGroupsState) -> [Query] { [.groups] }

    static func receive(_ groups: Data, _ g: inout WarningGroupsState, _ app: inout AppState) -> [Effect] {
        g.groups = groups
        g.loaded = true
        g.cursor.select(g.cursor.selected, count: groups.count, visible: listRows(g, height: app.height))
        return []
    }

    static func handle(_ key: Key, _ g: inout WarningGroupsState, _ state: inout AppState) -> [Effect]? {
        let visible = listRows(g, height: state.height)
        if case .click(let row, _) = key { g.cursor.select(g.cursor.offset + row - 2, count: g.groups.count, visible: visible); return [] }
        if g.cursor.handle(key, count: g.groups.count, visible: visible) { return [] }
        switch key {
        case .enter:
            guard g.groups.indices.contains(g.cursor.selected) else { return [] }
            return Reducer.open(.warnings(WarningListState(type: g.groups[g.cursor.selected].type)), &state)
        case .char("a"):
            return Reducer.open(.warnings(WarningListState(type: nil)), &state)
        default:
            return nil
        }
    }

    static func rescroll(_ g: inout WarningGroupsState, height: Int) {
        g.cursor.scroll(visible: listRows(g, height: height), count: g.groups.count)
    }

    static func draw(_ g: WarningGroupsState, _ app: AppState, _ grid: inout CellGrid) { WarningsView.drawGroups(g, app, &grid) }

    static func keyHints(_ g: WarningGroupsState) -> String { "? help  Esc back  Enter open  a all types" }
}
