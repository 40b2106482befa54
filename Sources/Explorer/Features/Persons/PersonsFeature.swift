import Store

/// The persons list: pages in an order, filters, search as you type, the true ends, and the keys
/// that open everything else.
enum PersonsFeature: ScreenFeature {
    typealias State = PersonsState

    /// The most matches a search shows; past it the title says "200+" (which ones is the store's choice).
    static let searchLimit = 200

    /// Where a page goes: the list's top or its end (replacing what is shown), or after or before it.
    enum Placement: Sendable, Equatable {
        case top, append, end, prepend

        /// Pages at the end and before the window are read in the other direction.
        var reversed: Bool { self == .end || self == .prepend }
    }

    enum Query: Sendable, Equatable {
        /// `limit` rows after `after` (nil: from the top, or from the end for `.end`).
        case page(order: PersonOrder, filter: PersonFilter, after: PersonCursor?, limit: Int, placement: Placement)
        case search(String)
    }

    enum Data: Sendable {
        case page(PersonPage, Query)
        case search(query: String, [PersonSummary])
    }

    static func run(_ query: Query, _ client: ExplorerClient) async throws -> Data {
        switch query {
        case .page(let order, let filter, let after, let limit, let placement):
            .page(try await client.persons(order, !placement.reversed, after, filter, limit), query)
        case .search(let text):
            .search(query: text, try await client.search(text, searchLimit))
        }
    }

    /// A refresh keeps the rows already paged in (up to 2,000), so the selection stays put.
    static func reload(_ p: PersonsState) -> [Query] {
        if let search = p.search { return [.search(search)] }
        return [page(p, limit: min(max(Reducer.pageSize, p.rows.count), 2000), placement: p.fromEnd ? .end : .top)]
    }

    static func page(_ p: PersonsState, after: PersonCursor? = nil, limit: Int = Reducer.pageSize, placement: Placement) -> Query {
        .page(order: p.order, filter: p.filter, after: after, limit: limit, placement: placement)
    }

    static func receive(_ data: Data, _ p: inout PersonsState, _ app: inout AppState) -> [Effect] {
        let visible = listRows(p, height: app.height)
        let previous = p.selectedPerson?.id
        switch data {
        // Answers to a search, order or filter no longer shown, or a page already added, are stale.
        case .page(let page, .page(let order, let filter, let after, _, let placement)):
            guard p.search == nil, order == p.order, filter == p.filter else { return [] }
            switch placement {
            case .top, .end:
                p.rows = placement == .end ? page.persons.reversed() : page.persons
                p.next = placement == .end ? nil : page.next
                p.previous = placement == .end ? page.next : nil
                p.fromEnd = placement == .end
                p.requested = nil
                p.requestedPrevious = nil
            case .append:
                guard after == p.next else { return [] }
                p.rows += page.persons
                p.next = page.next
                p.requested = nil
            case .prepend:
                guard after == p.previous else { return [] }
                p.rows = page.persons.reversed() + p.rows
                p.previous = page.next
                p.requestedPrevious = nil
                // The rows shown stay where they were on screen.
                p.cursor.selected += page.persons.count
                p.cursor.offset += page.persons.count
            }
        case .page:
            return []
        case .search(let query, let rows):
            guard p.search == query else { return [] }
            p.rows = p.order.sorted(rows)  // the order the title names
            p.next = nil
            p.previous = nil
        }
        p.loaded = true
        let row: Int
        switch p.jump {
        case .first: row = 0
        case .last: row = p.rows.count - 1
        case nil: row = previous.flatMap { id in p.rows.firstIndex { $0.id == id } } ?? p.cursor.selected
        }
        p.jump = nil
        p.cursor.select(row, count: p.rows.count, visible: visible)
        return []
    }

    static func handle(_ key: Key, _ p: inout PersonsState, _ app: inout AppState) -> [Effect]? {
        let visible = listRows(p, height: app.height)
        if case .click(let row, _) = key {
            p.cursor.select(p.cursor.offset + row - 2, count: p.rows.count, visible: visible)
            return prefetch(&p)
        }
        switch key {
        case .char("G"), .end:
            return jump(to: .last, &p, visible: visible)
        case .char("g"), .home:
            return jump(to: .first, &p, visible: visible)
        default:
            break
        }
        if p.cursor.handle(key, count: p.rows.count, visible: visible) { return prefetch(&p) }
        switch key {
        case .enter:
            guard let person = p.selectedPerson else { return [] }
            return Reducer.open(.detail(DetailState(reference: person.uuid.lowercased)), &app)
        case .char("/"):
            app.input = InputLine(kind: .search, text: p.search ?? "")
            return []
        case .char("n"), .char("N"):
            // While searching every row is a match: the next one, round to the first after the last.
            guard !p.rows.isEmpty else { return [] }
            let step = key == .char("n") ? 1 : -1
            let row = p.search == nil ? p.cursor.selected + step : (p.cursor.selected + step + p.rows.count) % p.rows.count
            p.cursor.select(row, count: p.rows.count, visible: visible)
            return prefetch(&p)
        case .escape where p.search != nil && app.mark == nil:
            p.search = nil
            return restart(&p)
        case .char("o"):
            let all = PersonOrder.allCases
            p.order = all[(all.firstIndex(of: p.order)! + 1) % all.count]
            p.search = nil
            app.status = StatusLine("sorted by \(p.order.title)")
            return restart(&p)
        case .char("i"):
            // All, identified only, anonymous only, all again.
            p.filter.identified = switch p.filter.identified {
            case nil: true
            case true?: false
            case false?: nil
            }
            p.search = nil
            app.status = StatusLine(p.filter.identified.map { $0 ? "identified persons only" : "anonymous persons only" }
                                    ?? "identified and anonymous persons")
            return restart(&p)
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

    /// Reads the list again from its top, after the order, filter or search changed.
    static func restart(_ p: inout PersonsState) -> [Effect] {
        forgetWindow(&p)
        return [load(page(p, placement: .top))]
    }

    /// The rows shown stay until the new ones arrive, but nothing pages from them meanwhile.
    static func forgetWindow(_ p: inout PersonsState) {
        p.cursor = ListCursor()
        p.fromEnd = false
        p.next = nil
        p.previous = nil
        p.requested = nil
        p.requestedPrevious = nil
    }

    /// `g` and `G`: the list's first or last person. When that row is loaded, the selection just
    /// moves; otherwise one page is read from that end, never what lies between.
    static func jump(to end: PersonsState.Jump, _ p: inout PersonsState, visible: Int) -> [Effect] {
        let loaded = end == .first ? p.previous == nil : p.next == nil
        if loaded || p.search != nil {
            p.cursor.select(end == .first ? 0 : p.rows.count - 1, count: p.rows.count, visible: visible)
            return prefetch(&p)
        }
        p.jump = end
        return [load(page(p, placement: end == .first ? .top : .end))]
    }

    /// Search as you type.
    static func input(_ text: String, _ p: inout PersonsState) -> [Effect] {
        p.search = text.isEmpty ? nil : text
        forgetWindow(&p)
        return [load(p.search.map(Query.search) ?? page(p, placement: .top))]
    }

    /// Asks for the next page when the selection nears the end of what is loaded, and for the one
    /// before when it nears the start (once per page).
    static func prefetch(_ p: inout PersonsState) -> [Effect] {
        guard p.search == nil else { return [] }
        var effects: [Effect] = []
        if let next = p.next, p.requested != next, p.cursor.selected >= p.rows.count - 20 {
            p.requested = next
            effects.append(load(page(p, after: next, placement: .append)))
        }
        if let previous = p.previous, p.requestedPrevious != previous, p.cursor.selected < 20 {
            p.requestedPrevious = previous
            effects.append(load(page(p, after: previous, placement: .prepend)))
        }
        return effects
    }

    static func rescroll(_ p: inout PersonsState, height: Int) {
        p.cursor.scroll(visible: listRows(p, height: height), count: p.rows.count)
    }

    static func draw(_ p: PersonsState, _ app: AppState, _ grid: inout CellGrid) { PersonsView.draw(p, app, &grid) }

    static func keyHints(_ p: PersonsState) -> String {
        "? help  q quit  / search  Enter open  o sort  m merge  w warnings  d dups  L live"
    }
}
