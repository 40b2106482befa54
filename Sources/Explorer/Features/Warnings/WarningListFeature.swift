import IdentityCore
import Store

/// The warnings of one type, newest first, optionally filtered by text.
public struct WarningListState: Sendable, Equatable {
    public var type: WarningType?
    public var filter: String = ""
    public var warnings: [IngestionWarning] = []
    public var cursor = ListCursor()
    public var exhausted = false
    /// The page already asked for (the id it starts before), so scrolling asks once.
    var requested: Int64?
    public init(type: WarningType?) { self.type = type }
}

/// One type's warnings (or all): Enter opens the person, `v` the details, `/` filters, `m` merges its two IDs.
enum WarningListFeature: ScreenFeature {
    typealias State = WarningListState

    enum Query: Sendable, Equatable {
        case page(type: WarningType?, filter: String, before: Int64?, append: Bool)
    }

    struct Data: Sendable {
        var warnings: [IngestionWarning]
        var query: Query
    }

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .page(let type, let filter, let before, _):
            Data(warnings: try await client.warnings(type, filter.isEmpty ? nil : filter, before, Reducer.pageSize), query: query)
        }
    }

    static func reload(_ w: WarningListState) -> [Query] { [.page(type: w.type, filter: w.filter, before: nil, append: false)] }

    static func receive(_ data: Data, _ w: inout WarningListState, _ app: inout AppState) -> [Effect] {
        let (type, filter, before, append) = switch data.query { case .page(let t, let f, let b, let a): (t, f, b, a) }
        // A page for another filter, or one already added, is stale.
        guard type == w.type, filter == w.filter, !append || before == w.warnings.last?.id else { return [] }
        w.warnings = append ? w.warnings + data.warnings : data.warnings
        w.exhausted = data.warnings.count < Reducer.pageSize
        w.requested = nil
        w.cursor.select(w.cursor.selected, count: w.warnings.count, visible: listRows(w, height: app.height))
        return []
    }

    static func handle(_ key: Key, _ w: inout WarningListState, _ state: inout AppState) -> [Effect]? {
        let visible = listRows(w, height: state.height)
        if case .click(let row, _) = key { w.cursor.select(w.cursor.offset + row - 3, count: w.warnings.count, visible: visible); return [] }
        if w.cursor.handle(key, count: w.warnings.count, visible: visible) {
            // Older warnings when the selection nears the end of what is loaded (once per page).
            if !w.exhausted, w.cursor.selected >= w.warnings.count - 20, let last = w.warnings.last?.id, w.requested != last {
                w.requested = last
                return [load(.page(type: w.type, filter: w.filter, before: last, append: true))]
            }
            return []
        }
        let selected = w.warnings.indices.contains(w.cursor.selected) ? w.warnings[w.cursor.selected] : nil
        switch key {
        case .enter:
            guard let selected else { return [] }
            guard !selected.distinctIDs.isEmpty else {
                state.status = StatusLine("this warning names no distinct ID (the event was not ingested)", isError: true)
                return []
            }
            var seen = Set<String>()
            let ids = selected.distinctIDs.filter { seen.insert($0).inserted }
            guard ids.count > 1 else { return [.openPersonOf(distinctIDs: ids)] }
            // Several IDs (a refused merge, a case collision): the user picks whose person to open.
            state.overlay = .choice(PersonChoice(title: "\(selected.type.rawValue): open whose person?", distinctIDs: ids))
            return []
        case .char("v"):
            guard let selected else { return [] }
            state.overlay = .viewer(title: "warning \(selected.id ?? 0)", lines: Format.warningLines(selected), offset: 0)
            return []
        case .char("/"):
            state.input = InputLine(kind: .warningFilter, text: w.filter)
            return []
        case .char("m"):
            guard let selected, selected.distinctIDs.count >= 2 else {
                state.status = StatusLine("a merge needs a warning that names two distinct IDs", isError: true)
                return []
            }
            return [.previewMerge(target: selected.distinctIDs[0], source: selected.distinctIDs[1])]
        default:
            return nil
        }
    }

    /// The filter follows the text as it is typed.
    static func input(_ text: String, _ w: inout WarningListState) -> [Effect] {
        w.filter = text
        w.cursor = ListCursor()
        return reload(w).map(load)
    }

    static func listRows(_ w: WarningListState, height: Int) -> Int { max(1, height - 5) }

    static func rescroll(_ w: inout WarningListState, height: Int) {
        w.cursor.scroll(visible: listRows(w, height: height), count: w.warnings.count)
    }

    static func draw(_ w: WarningListState, _ app: AppState, _ grid: inout CellGrid) { WarningsView.drawList(w, app, &grid) }

    static func keyHints(_ w: WarningListState) -> String { "? help  Esc back  Enter person  v details  / filter  m merge IDs" }
}
