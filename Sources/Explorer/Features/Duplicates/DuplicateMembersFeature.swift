import IdentityCore
import Store

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

/// One duplicate group's persons: Enter opens one, `m` marks and merges.
enum DuplicateMembersFeature: ScreenFeature {
    typealias State = DuplicateMembersState
    enum Query: Sendable, Equatable { case members(property: String, value: String) }
    typealias Data = [PersonSummary]

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .members(let property, let value): try await client.personsSharing(property, value)
        }
    }

    static func reload(_ m: DuplicateMembersState) -> [Query] { [.members(property: m.property, value: m.value)] }

    static func receive(_ rows: Data, _ m: inout DuplicateMembersState, _ app: inout AppState) -> [Effect] {
        m.rows = rows
        m.cursor.select(m.cursor.selected, count: rows.count, visible: listRows(m, height: app.height))
        return []
    }

    static func handle(_ key: Key, _ m: inout DuplicateMembersState, _ state: inout AppState) -> [Effect]? {
        let visible = listRows(m, height: state.height)
        if case .click(let row, _) = key { m.cursor.select(m.cursor.offset + row - 2, count: m.rows.count, visible: visible); return [] }
        if m.cursor.handle(key, count: m.rows.count, visible: visible) { return [] }
        let selected = m.rows.indices.contains(m.cursor.selected) ? m.rows[m.cursor.selected] : nil
        switch key {
        case .enter:
            guard let selected else { return [] }
            return Reducer.open(.detail(DetailState(reference: selected.uuid.lowercased)), &state)
        case .char("m"):
            guard let selected else { return [] }
            return Reducer.markForMerge(reference: selected.uuid.lowercased, displayName: selected.displayName, &state)
        default:
            return nil
        }
    }

    static func rescroll(_ m: inout DuplicateMembersState, height: Int) {
        m.cursor.scroll(visible: listRows(m, height: height), count: m.rows.count)
    }

    static func draw(_ m: DuplicateMembersState, _ app: AppState, _ grid: inout CellGrid) { DuplicatesView.drawMembers(m, app, &grid) }

    static func keyHints(_ m: DuplicateMembersState) -> String { "? help  Esc back  Enter open  m mark/merge" }
}
