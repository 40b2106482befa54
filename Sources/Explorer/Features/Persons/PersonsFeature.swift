import Store

/// The persons list: pages in an order, search as you type, and the keys that open everything else.
enum PersonsFeature: ScreenFeature {
    typealias State = PersonsState

    enum Query: Sendable, Equatable {
        /// `limit` rows after `after` (nil: from the top); `append` adds them to what is shown.
        case page(order: PersonOrder, after: PersonCursor?, limit: Int, append: Bool)
        case search(String)
    }

    enum Data: Sendable {
        case page(PersonPage, order: PersonOrder, after: PersonCursor?, append: Bool)
        case search(query: String, [PersonSummary])
    }

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .page(let order, let after, let limit, let append):
            .page(try await client.persons(order, after, limit), order: order, after: after, append: append)
        case .search(let text):
            .search(query: text, try await client.search(text, 200))
        }
    }

    /// A refresh keeps the rows already paged in (up to 2,000), so the selection stays put.
    static func reload(_ p: PersonsState) -> [Query] {
        if let search = p.search { return [.search(search)] }
        return [.page(order: p.order, after: nil, limit: min(max(Reducer.pageSize, p.rows.count), 2000), append: false)]
    }

    static func receive(_ data: Data, _ p: inout PersonsState, _ app: inout AppState) -> [Effect] {
        let visible = listRows(p, height: app.height)
        let previous = p.selectedPerson?.id
        switch data {
        // Answers to a search or order no longer shown, or a page already added, are stale.
        case .page(let page, let order, let after, let append):
            guard p.search == nil, order == p.order, !append || after == p.next else { return [] }
            p.rows = append ? p.rows + page.persons : page.persons
            p.next = page.next
            p.requested = nil
        case .search(let query, let rows):
            guard p.search == query else { return [] }
            p.rows = rows
            p.next = nil
        }
        p.loaded = true
        let row = previous.flatMap { id in p.rows.firstIndex { $0.id == id } } ?? p.cursor.selected
        p.cursor.select(row, count: p.rows.count, visible: visible)
        return []
    }

    static func handle(_ key: Key, _ p: inout PersonsState, _ app: inout AppState) -> [Effect]? {
        let visible = listRows(p, height: app.height)
        if case .click(let row) = key {
            p.cursor.select(p.cursor.offset + row - 2, count: p.rows.count, visible: visible)
            return []
        }
        if p.cursor.handle(key, count: p.rows.count, visible: visible) { return prefetch(&p) }
        switch key {
        case .enter:
            guard let person = p.selectedPerson else { return [] }
            return Reducer.open(.detail(DetailState(reference: person.uuid.lowercased)), &app)
        case .char("/"):
            app.input = InputLine(kind: .search, text: p.search ?? "")
            return []
        case .char("n"):
            p.cursor.move(by: 1, count: p.rows.count, visible: visible)
            return prefetch(&p)
        case .char("N"):
            p.cursor.move(by: -1, count: p.rows.count, visible: visible)
            return []
        case .escape where p.search != nil && app.mark == nil:
            p.search = nil
            p.cursor = ListCursor()
            return [load(.page(order: p.order, after: nil, limit: Reducer.pageSize, append: false))]
        case .char("o"):
            let all = PersonOrder.allCases
            p.order = all[(all.firstIndex(of: p.order)! + 1) % all.count]
            p.search = nil
            p.cursor = ListCursor()
            app.status = StatusLine("sorted by \(p.order.title)")
            return [load(.page(order: p.order, after: nil, limit: Reducer.pageSize, append: false))]
        case .char("m"):
            guard let person = p.selectedPerson else { return [] }
            return Reducer.markForMerge(reference: person.uuid.lowercased, displayName: person.displayName, &app)
        case .char("w"):
            return Reducer.open(.warningGroups(WarningGroupsState()), &app)
        case .char("d"):
            return Reducer.open(.duplicates(DuplicatesState()), &app)
        case .char("h"):
            return Reducer.open(.posthog(PostHogState()), &app)
        default:
            return nil
        }
    }

    /// Search as you type.
    static func input(_ text: String, _ p: inout PersonsState) -> [Effect] {
        p.search = text.isEmpty ? nil : text
        p.cursor = ListCursor()
        return [load(p.search.map(Query.search) ?? .page(order: p.order, after: nil, limit: Reducer.pageSize, append: false))]
    }

    /// Asks for the next page when the selection nears the end of what is loaded (once per page).
    static func prefetch(_ p: inout PersonsState) -> [Effect] {
        guard p.search == nil, let next = p.next, p.requested != next, p.cursor.selected >= p.rows.count - 20 else { return [] }
        p.requested = next
        return [load(.page(order: p.order, after: next, limit: Reducer.pageSize, append: true))]
    }

    static func rescroll(_ p: inout PersonsState, height: Int) {
        p.cursor.scroll(visible: listRows(p, height: height), count: p.rows.count)
    }

    static func draw(_ p: PersonsState, _ app: AppState, _ grid: inout CellGrid) { PersonsView.draw(p, app, &grid) }

    static func keyHints(_ p: PersonsState) -> String {
        "? help  q quit  / search  Enter open  o sort  m merge  w warnings  d dups  L live"
    }
}
