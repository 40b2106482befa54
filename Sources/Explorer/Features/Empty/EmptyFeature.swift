/// The empty store has no state of its own.
public struct EmptyState: Sendable, Equatable {}

/// A store with nothing in it yet: how to fill it. It asks for nothing; the stats (which every
/// refresh loads) tell the app when events arrive, and the app then opens the persons list.
enum EmptyFeature: ScreenFeature {
    typealias State = EmptyState
    enum Query: Sendable, Equatable {}
    enum Data: Sendable {}

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {}
    static func reload(_ state: EmptyState) -> [Query] { [] }
    static func receive(_ data: Data, _ state: inout EmptyState, _ app: inout AppState) -> [Effect] {}
    static func handle(_ key: Key, _ state: inout EmptyState, _ app: inout AppState) -> [Effect]? { nil }
    static func draw(_ state: EmptyState, _ app: AppState, _ grid: inout CellGrid) { EmptyView.draw(app, &grid) }
    static func keyHints(_ state: EmptyState) -> String { "? help  q quit" }
}
