import IdentityCore
import Store

/// One person, in four tabs: properties, distinct IDs, events (paged), history.
enum DetailFeature: ScreenFeature {
    typealias State = DetailState

    enum Query: Sendable, Equatable {
        case detail(reference: String)
        /// A page of events older than `before` (nil: the newest); `append` adds them to what is shown.
        case events(reference: String, personID: Int64, before: Int64?, append: Bool)
        /// How every distinct ID joined the person.
        case graph(reference: String)
    }

    enum Data: Sendable {
        case detail(reference: String, PersonDetail?, pushed: Set<Int64>)
        case events(reference: String, [StoredEvent], before: Int64?, append: Bool)
        case graph(reference: String, IdentityGraph)
    }

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .detail(let reference):
            .detail(reference: reference, try await client.personDetail(reference), pushed: try await client.pushedActions())
        case .events(let reference, let personID, let before, let append):
            .events(reference: reference, try await client.events(personID, before, Reducer.pageSize), before: before, append: append)
        case .graph(let reference):
            .graph(reference: reference, try await client.identityGraph(reference))
        }
    }

    static func reload(_ d: DetailState) -> [Query] {
        var queries: [Query] = [.detail(reference: d.reference)]
        if let id = d.detail?.person.rowID { queries.append(firstEvents(d, id)) }
        if d.graphShown { queries.append(.graph(reference: d.reference)) }
        return queries
    }

    static func firstEvents(_ d: DetailState, _ personID: Int64) -> Query {
        .events(reference: d.reference, personID: personID, before: nil, append: false)
    }

    static func receive(_ data: Data, _ d: inout DetailState, _ app: inout AppState) -> [Effect] {
        let visible = listRows(d, height: app.height)
        switch data {
        case .detail(let reference, let detail, let pushed):
            guard d.reference == reference else { return [] }
            d.detail = detail
            d.pushedActions = pushed
            d.missing = detail == nil
            if let detail { d.reference = detail.person.uuid.lowercased }
            d.pickedIDs = d.pickedIDs.filter { id in detail?.distinctIDs.contains { $0.distinctID == id } ?? false }
            for tab in DetailTab.allCases where tab != .events {
                d.cursors[tab.rawValue].select(d.cursors[tab.rawValue].selected, count: d.rowCount(tab), visible: visible)
            }
            if let id = detail?.person.rowID, d.events.isEmpty { return [load(firstEvents(d, id))] }
        case .events(let reference, let events, let before, let append):
            guard d.reference == reference, !append || before == d.events.last?.seq else { return [] }
            d.events = append ? d.events + events : events
            d.eventsExhausted = events.count < Reducer.pageSize
            d.requestedEvents = nil
            var cursor = d.cursors[DetailTab.events.rawValue]
            cursor.select(cursor.selected, count: d.events.count, visible: visible)
            d.cursors[DetailTab.events.rawValue] = cursor
        case .graph(let reference, let graph):
            guard d.reference == reference else { return [] }
            d.graph = graph
            var cursor = d.cursors[DetailTab.distinctIDs.rawValue]
            cursor.select(cursor.selected, count: d.rowCount(.distinctIDs), visible: visible)
            d.cursors[DetailTab.distinctIDs.rawValue] = cursor
        }
        return []
    }

    static func listRows(_ d: DetailState, height: Int) -> Int { max(1, height - 7) }

    static func rescroll(_ d: inout DetailState, height: Int) {
        var cursor = d.cursor
        cursor.scroll(visible: listRows(d, height: height), count: d.rowCount(d.tab))
        d.cursor = cursor
    }

    static func draw(_ d: DetailState, _ app: AppState, _ grid: inout CellGrid) { DetailView.draw(d, app, &grid) }

    static func keyHints(_ d: DetailState) -> String {
        switch d.tab {
        case .properties: "? help  Esc back  Tab/1-4 tabs  Enter history  v value  m merge"
        case .distinctIDs where d.graphShown: "? help  Esc back  Tab/1-4 tabs  t list"
        case .distinctIDs: "? help  Esc back  Tab/1-4 tabs  Space pick  w why linked  s split  t tree"
        case .events: "? help  Esc back  Tab/1-4 tabs  Enter JSON  g/G top/end"
        case .history: "? help  Esc back  Tab/1-4 tabs  u undo  Enter details"
        }
    }
}
