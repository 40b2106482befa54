import IdentityCore
import Store

/// Events as they are committed by any process, newest at the top, each with what it did to identity.
public struct LiveState: Sendable, Equatable {
    /// The most events kept on screen; older ones drop off the bottom.
    public static let keep = 1000

    /// Newest first.
    public var events: [StoredEvent] = []
    public var cursor = ListCursor()
    /// Space stops the list from moving; what arrives meanwhile waits in `held`.
    public var paused = false
    public var held: [StoredEvent] = []
    /// Shows only events whose distinct ID or name contains this (any case).
    public var filter = ""
    /// Which events were read; nil until the first page arrives.
    var reader: EventCursor?

    public init() {}

    /// The rows on screen: the events the filter lets through.
    public var shown: [StoredEvent] {
        guard !filter.isEmpty else { return events }
        let text = filter.lowercased()
        return events.filter { $0.distinctID.lowercased().contains(text) || $0.name.lowercased().contains(text) }
    }
}

/// The live screen: the newest events on opening, then every new commit (the store-changed
/// message reloads it, which reads only what is new).
enum LiveFeature: ScreenFeature {
    typealias State = LiveState

    enum Query: Sendable, Equatable {
        /// The newest page, on opening.
        case recent
        /// Events after a number: what arrived since the last look.
        case newer(after: Int64)
    }

    enum Data: Sendable {
        case recent([StoredEvent])
        case newer(after: Int64, [StoredEvent])
    }

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .recent: .recent(try await client.recentEvents(Reducer.pageSize))
        case .newer(let after): .newer(after: after, try await client.eventsAfter(after, 500))
        }
    }

    static func reload(_ l: LiveState) -> [Query] {
        guard let reader = l.reader else { return [.recent] }
        return [.newer(after: reader.readAfter)]
    }

    static func receive(_ data: Data, _ l: inout LiveState, _ app: inout AppState) -> [Effect] {
        switch data {
        case .recent(let events):
            guard l.reader == nil else { return [] }
            l.reader = EventCursor(after: events.first?.seq ?? 0)
            l.events = events
        case .newer(let after, let events):
            guard var reader = l.reader, after == reader.readAfter else { return [] }
            let fresh = reader.take(events)
            l.reader = reader
            guard !fresh.isEmpty else { return [] }
            if l.paused {
                l.held += fresh
            } else {
                arrive(fresh, &l, app)
            }
        }
        l.cursor.select(l.cursor.selected, count: l.shown.count, visible: listRows(l, height: app.height))
        return []
    }

    /// New events go on top; a selection below the top stays on the event it was on.
    static func arrive(_ fresh: [StoredEvent], _ l: inout LiveState, _ app: AppState) {
        let before = l.shown.count
        l.events = Array((fresh.reversed() + l.events).prefix(LiveState.keep))
        if l.cursor.selected > 0 {
            let added = l.shown.count - before
            l.cursor.select(l.cursor.selected + max(0, added), count: l.shown.count, visible: listRows(l, height: app.height))
        }
    }

    static func handle(_ key: Key, _ l: inout LiveState, _ state: inout AppState) -> [Effect]? {
        let shown = l.shown
        let visible = listRows(l, height: state.height)
        switch key {
        case .char(" "):
            l.paused.toggle()
            if !l.paused {
                let held = l.held
                l.held = []
                arrive(held, &l, state)
            }
            state.status = StatusLine(l.paused ? "paused: new events wait (Space resumes)" : "following new events")
            return []
        case .char("/"):
            state.input = InputLine(kind: .liveFilter, text: l.filter)
            return []
        case .enter:
            guard shown.indices.contains(l.cursor.selected) else { return [] }
            return Reducer.open(.liveEvent(LiveEventState(event: shown[l.cursor.selected])), &state)
        case .click(let row, _):
            l.cursor.select(l.cursor.offset + row - 3, count: shown.count, visible: visible)
            return []
        default:
            return l.cursor.handle(key, count: shown.count, visible: visible) ? [] : nil
        }
    }

    static func input(_ text: String, _ l: inout LiveState) -> [Effect] {
        l.filter = text
        l.cursor = ListCursor()
        return []
    }

    static func listRows(_ l: LiveState, height: Int) -> Int { max(1, height - 5) }

    static func rescroll(_ l: inout LiveState, height: Int) {
        l.cursor.scroll(visible: listRows(l, height: height), count: l.shown.count)
    }

    static func draw(_ l: LiveState, _ app: AppState, _ grid: inout CellGrid) { LiveView.draw(l, app, &grid) }

    static func keyHints(_ l: LiveState) -> String {
        "? help  Esc back  Space \(l.paused ? "resume" : "pause")  / filter  Enter event"
    }
}
