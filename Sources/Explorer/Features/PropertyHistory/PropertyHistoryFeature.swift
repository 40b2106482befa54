import IdentityCore
import Store

/// Every write one person property had, oldest first (Enter on a property of the person screen).
public struct PropertyHistoryState: Sendable, Equatable {
    public var personID: Int64
    /// The person's name in the title.
    public var personName: String
    public var key: String
    /// The value now, shown above the list (nil: not set).
    public var current: JSONValue?
    public var writes: [PropertyWrite] = []
    public var loaded = false
    public var cursor = ListCursor()

    public init(personID: Int64, personName: String, key: String, current: JSONValue?) {
        self.personID = personID
        self.personName = personName
        self.key = key
        self.current = current
    }
}

/// The property history screen: Enter shows one write whole (its value, event and why it was skipped).
enum PropertyHistoryFeature: ScreenFeature {
    typealias State = PropertyHistoryState
    enum Query: Sendable, Equatable { case history(personID: Int64, key: String) }

    struct Data: Sendable {
        var personID: Int64
        var key: String
        var writes: [PropertyWrite]
    }

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .history(let personID, let key):
            Data(personID: personID, key: key, writes: try await client.propertyHistory(personID, key))
        }
    }

    static func reload(_ h: State) -> [Query] { [.history(personID: h.personID, key: h.key)] }

    static func receive(_ data: Data, _ h: inout State, _ app: inout AppState) -> [Effect] {
        guard data.personID == h.personID, data.key == h.key else { return [] }
        let first = !h.loaded
        h.writes = data.writes
        h.loaded = true
        // Opened fresh, the newest write is the one wanted most: select it.
        h.cursor.select(first ? data.writes.count - 1 : h.cursor.selected, count: data.writes.count, visible: listRows(h, height: app.height))
        return []
    }

    static func listRows(_ h: State, height: Int) -> Int { max(1, height - 5) }

    static func handle(_ key: Key, _ h: inout State, _ state: inout AppState) -> [Effect]? {
        let visible = listRows(h, height: state.height)
        if h.cursor.moves(with: key, count: h.writes.count, visible: visible, top: 3) { return [] }
        switch key {
        case .enter:
            guard h.writes.indices.contains(h.cursor.selected) else { return [] }
            let write = h.writes[h.cursor.selected]
            state.overlay = .viewer(title: "\(h.key) · \(write.operation.rawValue) in \(write.event)", lines: lines(write), offset: 0)
            return []
        default:
            return nil
        }
    }

    /// One write whole, for the viewer.
    static func lines(_ write: PropertyWrite) -> [String] {
        var lines = ["\(write.operation.rawValue) by \(write.event) at \(Format.time(write.at))",
                     write.applied ? "written" : "not written: \(write.reason?.words ?? "unknown")"]
        if let id = write.distinctID { lines.append("distinct ID \(id)") }
        if let uuid = write.eventUUID { lines.append("event \(uuid.lowercased)") }
        if let action = write.actionID { lines.append("action \(action) (identikit undo \(action) reverses it)") }
        if let value = write.value {
            lines += [""] + JSONCoding.string(value, pretty: true).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return lines
    }

    static func rescroll(_ h: inout State, height: Int) {
        h.cursor.scroll(visible: listRows(h, height: height), count: h.writes.count)
    }

    static func draw(_ h: State, _ app: AppState, _ grid: inout CellGrid) { PropertyHistoryView.draw(h, app, &grid) }

    static func keyHints(_ h: State) -> String { "? help  Esc back  Enter whole write  g/G first/last" }
}
