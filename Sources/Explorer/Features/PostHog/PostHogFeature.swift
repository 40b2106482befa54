import IdentityCore
import Store

/// The last `identikit compare`: its disagreements with PostHog, largest first.
public struct PostHogState: Sendable, Equatable {
    public var comparison: StoredComparison?
    public var loaded = false
    public var cursor = ListCursor()
    public init() {}

    var differences: [StoredDifference] { comparison?.differences ?? [] }
    var selected: StoredDifference? { differences.indices.contains(cursor.selected) ? differences[cursor.selected] : nil }
}

/// The PostHog screen: Enter shows a disagreement's two sides, `a` marks it accepted (or open again).
enum PostHogFeature: ScreenFeature {
    typealias State = PostHogState

    enum Query: Sendable, Equatable {
        case comparison
        /// Writes the status, then reads the comparison back.
        case setStatus(id: Int64, DifferenceStatus)
    }

    struct Data: Sendable {
        var comparison: StoredComparison?
    }

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .comparison: break
        case .setStatus(let id, let status): try await client.setDifferenceStatus(id, status)
        }
        return Data(comparison: try await client.comparison())
    }

    static func reload(_ s: PostHogState) -> [Query] { [.comparison] }

    static func receive(_ data: Data, _ s: inout PostHogState, _ app: inout AppState) -> [Effect] {
        s.comparison = data.comparison
        s.loaded = true
        s.cursor.select(s.cursor.selected, count: s.differences.count, visible: listRows(s, height: app.height))
        return []
    }

    static func handle(_ key: Key, _ s: inout PostHogState, _ app: inout AppState) -> [Effect]? {
        let visible = listRows(s, height: app.height)
        if case .click(let row, _) = key { s.cursor.select(s.cursor.offset + row - 2, count: s.differences.count, visible: visible); return [] }
        if s.cursor.handle(key, count: s.differences.count, visible: visible) { return [] }
        switch key {
        case .enter:
            guard let selected = s.selected else { return [] }
            return Reducer.open(.posthogDifference(PostHogDifferenceState(selected)), &app)
        case .char("a"):
            guard let selected = s.selected else { return [] }
            let status = toggled(selected.status)
            app.status = StatusLine(status == .accepted ? "marked accepted: identikit keeps it as it is" : "marked open again")
            return [load(.setStatus(id: selected.id, status))]
        default:
            return nil
        }
    }

    static func toggled(_ status: DifferenceStatus) -> DifferenceStatus { status == .accepted ? .open : .accepted }

    static func rescroll(_ s: inout PostHogState, height: Int) {
        s.cursor.scroll(visible: listRows(s, height: height), count: s.differences.count)
    }

    static func draw(_ s: PostHogState, _ app: AppState, _ grid: inout CellGrid) { PostHogView.drawList(s, app, &grid) }

    static func keyHints(_ s: PostHogState) -> String { "? help  Esc back  Enter both sides  a accept" }
}
