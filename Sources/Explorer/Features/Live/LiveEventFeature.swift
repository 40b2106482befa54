import IdentityCore
import Store

/// One event opened from the live screen: its effect in full and its raw properties, with the
/// ways on: its person, the merge it made (to undo), the warning it raised.
public struct LiveEventState: Sendable, Equatable {
    public var event: StoredEvent
    public var offset = 0
    public init(event: StoredEvent) { self.event = event }

    var lines: [String] { Format.effectLines(event) + [""] + Format.eventLines(event) }
}

enum LiveEventFeature: ScreenFeature {
    typealias State = LiveEventState
    /// Everything it shows came with the event: it asks the store for nothing.
    enum Query: Sendable, Equatable {}
    enum Data: Sendable {}

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {}
    static func reload(_ e: LiveEventState) -> [Query] { [] }
    static func receive(_ data: Data, _ e: inout LiveEventState, _ app: inout AppState) -> [Effect] {}

    static func handle(_ key: Key, _ e: inout LiveEventState, _ state: inout AppState) -> [Effect]? {
        let effect = e.event.effect
        let visible = listRows(e, height: state.height)
        let last = max(0, e.lines.count - visible)
        switch key {
        case .up, .char("k"), .wheelUp: e.offset = max(0, e.offset - 1)
        case .down, .char("j"), .wheelDown: e.offset = min(last, e.offset + 1)
        case .pageUp: e.offset = max(0, e.offset - visible)
        case .pageDown, .char(" "): e.offset = min(last, e.offset + visible)
        case .char("p"), .enter:
            // The person the event landed on, else the one its distinct ID belongs to now.
            let reference = effect?.person?.lowercased ?? e.event.distinctID
            return Reducer.open(.detail(DetailState(reference: reference)), &state)
        case .char("u"):
            guard let merge = effect?.merge else {
                state.status = StatusLine("this event merged no persons: nothing to undo", isError: true)
                return []
            }
            return [.previewUndo(actionID: merge.actionID)]
        case .char("w"):
            guard let type = effect?.warnings.first else {
                state.status = StatusLine("this event raised no warning", isError: true)
                return []
            }
            var list = WarningListState(type: type)
            list.filter = e.event.uuid.lowercased
            return Reducer.open(.warnings(list), &state)
        default:
            return nil
        }
        return []
    }

    static func listRows(_ e: LiveEventState, height: Int) -> Int { max(1, height - 4) }

    static func draw(_ e: LiveEventState, _ app: AppState, _ grid: inout CellGrid) { LiveView.drawEvent(e, app, &grid) }

    static func keyHints(_ e: LiveEventState) -> String {
        var keys = ["? help", "Esc back", "↑↓ scroll", "p person"]
        if e.event.effect?.merge != nil { keys.append("u undo merge") }
        if e.event.effect?.warnings.isEmpty == false { keys.append("w warning") }
        return keys.joined(separator: "  ")
    }
}
