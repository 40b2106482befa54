/// One screen of the explorer, whole: its state, its keys, the queries that fill it, the data they
/// answer, its view and its key hints. The app reaches a screen only through this, via `Screen.feature`.
protocol ScreenFeature: SendableMetatype {
    associatedtype State: Sendable, Equatable
    /// What the screen asks the store; an effect runs it in its own task.
    associatedtype Query: Sendable, Equatable
    /// What a query answers; it comes back only to the screen that asked.
    associatedtype Data: Sendable

    /// Runs one query against the client (off the UI loop).
    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data
    /// The queries that refill the screen (on opening, going back to it, refresh and store changes).
    static func reload(_ state: State) -> [Query]
    /// Folds an answer into the screen.
    static func receive(_ data: Data, _ state: inout State, _ app: inout AppState) -> [Effect]
    /// A key on this screen; nil when the key is not the screen's, so the global keys apply.
    static func handle(_ key: Key, _ state: inout State, _ app: inout AppState) -> [Effect]?
    /// The text of the search or filter line as it is typed (screens without one ignore it).
    static func input(_ text: String, _ state: inout State) -> [Effect]
    /// Rows of the list area: everything but the title, column header, message and key bars.
    static func listRows(_ state: State, height: Int) -> Int
    /// Keeps the selection in view after a resize.
    static func rescroll(_ state: inout State, height: Int)
    static func draw(_ state: State, _ app: AppState, _ grid: inout CellGrid)
    /// The key bar's text.
    static func keyHints(_ state: State) -> String
}

extension ScreenFeature {
    static func input(_ text: String, _ state: inout State) -> [Effect] { [] }
    static func listRows(_ state: State, height: Int) -> Int { max(1, height - 4) }
    static func rescroll(_ state: inout State, height: Int) {}

    /// An effect that runs `query` for this screen.
    static func load(_ query: Query) -> Effect { .query(ScreenQuery(Self.self, query)) }
}

/// A screen's feature bound to its state: what the app calls, whichever screen is on top.
struct AnyScreen {
    let run: (_ key: Key, _ app: inout AppState) -> (Screen, [Effect]?)
    let input: (_ text: String) -> (Screen, [Effect])
    let receive: (_ data: any Sendable, _ app: inout AppState) -> (Screen, [Effect])?
    let reload: () -> [Effect]
    let listRows: (_ height: Int) -> Int
    let rescrolled: (_ height: Int) -> Screen
    let draw: (_ app: AppState, _ grid: inout CellGrid) -> Void
    let keyHints: () -> String

    init<F: ScreenFeature>(_ feature: F.Type, _ state: F.State, _ embed: @escaping (F.State) -> Screen) {
        run = { key, app in
            var state = state
            let effects = F.handle(key, &state, &app)
            return (embed(state), effects)
        }
        input = { text in
            var state = state
            let effects = F.input(text, &state)
            return (embed(state), effects)
        }
        receive = { data, app in
            guard let data = data as? F.Data else { return nil }
            var state = state
            let effects = F.receive(data, &state, &app)
            return (embed(state), effects)
        }
        reload = { F.reload(state).map(F.load) }
        listRows = { F.listRows(state, height: $0) }
        rescrolled = { height in
            var state = state
            F.rescroll(&state, height: height)
            return embed(state)
        }
        draw = { app, grid in F.draw(state, app, &grid) }
        keyHints = { F.keyHints(state) }
    }
}

/// Which screen on the stack something belongs to; a new id for every screen opened.
public typealias ScreenID = Int

/// A screen's query, tagged with the screen that asked: its answer is dropped if that screen is gone.
public struct ScreenQuery: Sendable, Equatable, CustomStringConvertible {
    /// Filled in by the app when the query leaves the screen (features need not know their ids).
    public internal(set) var screen: ScreenID?
    let request: any Sendable
    private let same: @Sendable (any Sendable) -> Bool
    let run: @Sendable (ExplorerClient) async throws -> any Sendable

    init<F: ScreenFeature>(_ feature: F.Type, _ query: F.Query) {
        request = query
        same = { ($0 as? F.Query) == query }
        run = { client in try await F.run(query, client) }
    }

    public static func == (a: ScreenQuery, b: ScreenQuery) -> Bool { a.screen == b.screen && a.same(b.request) }

    public var description: String { "\(request)" }
}
