import IdentityCore
import Store

/// One disagreement with PostHog, both sides: each distinct ID with the person PostHog and
/// identikit put it on. From here the user merges, splits or accepts it.
public struct PostHogDifferenceState: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var distinctID: String
        /// 1-based numbers of the persons over this set of IDs, on each side.
        public var posthogPerson: Int
        public var identikitPerson: Int
    }

    public var difference: StoredDifference
    public var rows: [Row]
    public var cursor = ListCursor()
    /// IDs picked with Space, for a split.
    public var picked: [String] = []

    public init(_ difference: StoredDifference) {
        self.difference = difference
        var posthog: [String: Int] = [:]
        for (n, group) in difference.posthog.enumerated() { for id in group { posthog[id] = n + 1 } }
        // Grouped by identikit's persons: what the user can split or merge here.
        rows = difference.identikit.enumerated().flatMap { n, group in
            group.map { Row(distinctID: $0, posthogPerson: posthog[$0] ?? 0, identikitPerson: n + 1) }
        }
    }

    var selectedRow: Row? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }
}

enum PostHogDifferenceFeature: ScreenFeature {
    typealias State = PostHogDifferenceState
    typealias Query = PostHogFeature.Query
    typealias Data = PostHogFeature.Data

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data { try await PostHogFeature.run(query, client) }

    static func reload(_ s: PostHogDifferenceState) -> [Query] { [.comparison] }

    /// Follows the stored status (a compare run meanwhile may have dropped this disagreement: it stays shown).
    static func receive(_ data: Data, _ s: inout PostHogDifferenceState, _ app: inout AppState) -> [Effect] {
        if let fresh = data.comparison?.differences.first(where: { $0.id == s.difference.id }) { s.difference.status = fresh.status }
        return []
    }

    static func handle(_ key: Key, _ s: inout PostHogDifferenceState, _ app: inout AppState) -> [Effect]? {
        let visible = listRows(s, height: app.height)
        let top = headerLines(s) + 2
        if case .click(let row, _) = key { s.cursor.select(s.cursor.offset + row - top, count: s.rows.count, visible: visible); return [] }
        // Space picks here, before the list takes it as a page down.
        if key == .char(" ") || key == .char("x") {
            guard let row = s.selectedRow else { return [] }
            if let at = s.picked.firstIndex(of: row.distinctID) { s.picked.remove(at: at) } else { s.picked.append(row.distinctID) }
            s.cursor.move(by: 1, count: s.rows.count, visible: visible)
            return []
        }
        if s.cursor.handle(key, count: s.rows.count, visible: visible) { return [] }
        switch key {
        case .enter:
            guard let row = s.selectedRow else { return [] }
            return [.openPersonOf(distinctIDs: [row.distinctID])]
        case .char("m"):
            guard let row = s.selectedRow else { return [] }
            return Reducer.markForMerge(reference: row.distinctID, displayName: row.distinctID, &app)
        case .char("s"):
            var ids = s.picked
            if ids.isEmpty, let row = s.selectedRow { ids = [row.distinctID] }
            let persons = Set(s.rows.filter { ids.contains($0.distinctID) }.map(\.identikitPerson))
            guard persons.count == 1 else {
                app.status = StatusLine("pick IDs of one identikit person to split them off it", isError: true)
                return []
            }
            return [.previewSplit(person: ids[0], displayName: ids[0], distinctIDs: ids)]
        case .char("a"):
            let status = PostHogFeature.toggled(s.difference.status)
            app.status = StatusLine(status == .accepted ? "marked accepted: identikit keeps it as it is" : "marked open again")
            return [load(.setStatus(id: s.difference.id, status))]
        default:
            return nil
        }
    }

    /// The lines above the table: each side's persons.
    static func headerLines(_ s: PostHogDifferenceState) -> Int { 2 }

    static func listRows(_ s: PostHogDifferenceState, height: Int) -> Int { max(1, height - 4 - headerLines(s)) }

    static func rescroll(_ s: inout PostHogDifferenceState, height: Int) {
        s.cursor.scroll(visible: listRows(s, height: height), count: s.rows.count)
    }

    static func draw(_ s: PostHogDifferenceState, _ app: AppState, _ grid: inout CellGrid) { PostHogView.drawDifference(s, app, &grid) }

    static func keyHints(_ s: PostHogDifferenceState) -> String {
        // Short enough for 80 columns beside the counts; ? lists Enter (open the ID's person) too.
        "Space pick  m merge  s split  a accept  ? help"
    }
}
