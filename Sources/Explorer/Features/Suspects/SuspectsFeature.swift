import IdentityCore
import Store

/// Likely identity mistakes, computed once when the screen opens (and on `r`), not per key.
public struct SuspectsState: Sendable, Equatable {
    public var report: SuspectReport?
    public var cursor = ListCursor()
    public init() {}

    public var rows: [Suspect] { report?.suspects ?? [] }
}

/// The suspects screen (`S`): Enter opens the person, or the duplicates group of a shared email.
enum SuspectsFeature: ScreenFeature {
    typealias State = SuspectsState
    enum Query: Sendable, Equatable { case report }
    typealias Data = SuspectReport

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data { try await client.suspects() }

    static func reload(_ s: State) -> [Query] { [.report] }

    static func receive(_ report: Data, _ s: inout State, _ app: inout AppState) -> [Effect] {
        s.report = report
        s.cursor.select(s.cursor.selected, count: s.rows.count, visible: listRows(s, height: app.height))
        return []
    }

    static func listRows(_ s: State, height: Int) -> Int { max(1, height - 5) }

    static func handle(_ key: Key, _ s: inout State, _ state: inout AppState) -> [Effect]? {
        let visible = listRows(s, height: state.height)
        if s.cursor.moves(with: key, count: s.rows.count, visible: visible, top: 3) { return [] }
        guard key == .enter else { return nil }
        guard s.rows.indices.contains(s.cursor.selected) else { return [] }
        let suspect = s.rows[s.cursor.selected]
        if let person = suspect.person {
            return Reducer.open(.detail(DetailState(reference: person.uuid.lowercased)), &state)
        }
        guard let email = suspect.email else { return [] }
        return Reducer.open(.duplicateMembers(DuplicateMembersState(property: "email", value: email)), &state)
    }

    static func rescroll(_ s: inout State, height: Int) {
        s.cursor.scroll(visible: listRows(s, height: height), count: s.rows.count)
    }

    static func draw(_ s: State, _ app: AppState, _ grid: inout CellGrid) { SuspectsView.draw(s, app, &grid) }

    static func keyHints(_ s: State) -> String { "? help  Esc back  Enter open person / group  r recompute" }
}
