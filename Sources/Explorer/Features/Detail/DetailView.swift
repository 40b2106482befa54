import IdentityCore
import Store

/// One person: a header, the tab bar, and the selected tab's list.
enum DetailView {
    static func draw(_ d: DetailState, _ state: AppState, _ grid: inout CellGrid) {
        guard let detail = d.detail else {
            Chrome.title("Person", state, &grid)
            grid.put(d.missing ? "This person no longer exists: it was merged into another, or the reference \(d.reference) names no one."
                               : "Loading…", x: 2, y: 2, style: d.missing ? .error : .dim)
            return
        }
        let person = detail.person
        Chrome.title("Person " + Format.displayName(detail) + (person.isIdentified ? "  ✓ identified" : "  · anonymous"), state, &grid)
        grid.put("\(person.uuid.lowercased) · \(Format.count(detail.distinctIDs.count, "ID")) · \(Format.count(detail.eventCount, "event")) · first \(Format.time(detail.firstSeen)) · last \(Format.time(detail.lastSeen))",
                 x: 1, y: 1, style: .dim)
        for (tab, columns) in tabColumns {
            let label = " \(tab.rawValue + 1) \(tab.title) "
            let active = tab == d.tab
            grid.put(active ? "[" + label + "]" : " " + label + " ", x: columns.lowerBound, y: tabRow, style: active ? .selected : .normal)
        }
        let visible = Layout.listRows(.detail(d), height: state.height)
        switch d.tab {
        case .properties: properties(d, detail, visible, state, &grid)
        case .distinctIDs: distinctIDs(d, detail, visible, state, &grid)
        case .events: events(d, visible, state, &grid)
        case .history: history(d, detail, visible, state, &grid)
        }
    }

    /// The screen row of the tab bar.
    static let tabRow = 2

    /// Each tab's columns on the tab bar (the same whether it is the active one or not).
    static var tabColumns: [(DetailTab, Range<Int>)] {
        var x = 1
        return DetailTab.allCases.map { tab in
            let width = DisplayWidth.of(" \(tab.rawValue + 1) \(tab.title) ") + 2
            defer { x += width }
            return (tab, x..<x + width)
        }
    }

    static func empty(_ text: String, _ grid: inout CellGrid) {
        grid.put(text, x: 2, y: 5, style: .dim)
    }

    static func properties(_ d: DetailState, _ detail: PersonDetail, _ visible: Int, _ state: AppState, _ grid: inout CellGrid) {
        let columns = [Column(title: "Key", width: max(12, state.width / 5)), Column(title: "Value", width: nil),
                       Column(title: "Set by", width: 9), Column(title: "Event", width: 14), Column(title: "At", width: 16)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 3, into: &grid)
        let keys = d.propertyKeys
        if keys.isEmpty { return empty("No properties.", &grid) }
        drawRows(keys, cursor: d.cursor, top: 4, visible: visible, into: &grid) { key, y, style, grid in
            let source = detail.person.provenance[key]
            // `*`: a newer value was skipped by the churn filter (Enter says which).
            let setBy = (source?.operation.rawValue ?? "-") + (detail.person.skippedWrites[key] == nil ? "" : "*")
            Column.draw([key, Format.compact(detail.person.properties[key] ?? .null), setBy,
                         source?.event ?? "-", Format.time(source?.at)], columns, widths: widths, y: y, style: style, into: &grid)
        }
    }

    static func distinctIDs(_ d: DetailState, _ detail: PersonDetail, _ visible: Int, _ state: AppState, _ grid: inout CellGrid) {
        if d.graphShown { return graph(d, visible, &grid) }
        let columns = [Column(title: "Distinct ID", width: nil), Column(title: "Joined", width: 16),
                       Column(title: "How", width: 18), Column(title: "By", width: 12)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 3, into: &grid)
        drawRows(detail.distinctIDs, cursor: d.cursor, top: 4, visible: visible, into: &grid,
                 marked: { d.pickedIDs.contains($0.distinctID) }) { record, y, style, grid in
            let by = record.actionID.map { "action \($0)" } ?? record.eventUUID.map { String($0.lowercased.prefix(8)) + "…" } ?? "-"
            Column.draw([record.distinctID, Format.time(record.joinedAt), Format.joinText(record.how), by],
                        columns, widths: widths, y: y, style: style, into: &grid)
        }
    }

    /// The identity graph: one line per ID, under the ID it was linked to.
    static func graph(_ d: DetailState, _ visible: Int, _ grid: inout CellGrid) {
        grid.put("How each distinct ID joined (t: back to the list)", x: 1, y: 3, style: .header)
        if d.graph == nil { return empty("Loading the identity graph…", &grid) }
        drawRows(d.graphLines, cursor: d.cursor, top: 4, visible: visible, into: &grid) { line, y, style, grid in
            grid.put(line, x: 2, y: y, style: style)
        }
    }

    static func events(_ d: DetailState, _ visible: Int, _ state: AppState, _ grid: inout CellGrid) {
        let columns = [Column(title: "Time", width: 16), Column(title: "Event", width: max(12, state.width / 6)),
                       Column(title: "Distinct ID", width: max(12, state.width / 5)), Column(title: "Effect", width: nil),
                       Column(title: "Seq", width: 8, alignRight: true)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 3, into: &grid)
        if d.events.isEmpty { return empty(d.eventsExhausted ? "No events." : "Loading events…", &grid) }
        drawRows(d.events, cursor: d.cursor, top: 4, visible: visible, into: &grid) { event, y, style, grid in
            Column.draw([Format.time(event.timestamp), event.name, event.distinctID,
                         EventEffect.summary(event.effect, duplicates: event.duplicates), String(event.seq)],
                        columns, widths: widths, y: y, style: style, into: &grid)
        }
    }

    static func history(_ d: DetailState, _ detail: PersonDetail, _ visible: Int, _ state: AppState, _ grid: inout CellGrid) {
        let columns = [Column(title: "#", width: 5, alignRight: true), Column(title: "At", width: 16),
                       Column(title: "What", width: 20), Column(title: "Distinct IDs", width: nil), Column(title: "State", width: 11),
                       Column(title: "PostHog", width: 7)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 3, into: &grid)
        if detail.history.isEmpty { return empty("No merges, undos or splits touched this person.", &grid) }
        let uuid = detail.person.uuid
        drawRows(detail.history, cursor: d.cursor, top: 4, visible: visible, into: &grid) { action, y, style, grid in
            let direction = action.kind.isMerge ? (action.targetUUID == uuid ? " in" : " out") : ""
            let status = action.undoneBy.map { "undone (\($0))" }
                ?? (action.details.group.map { "group \($0)" } ?? (action.kind.isUndoable ? "undoable" : ""))
            Column.draw([String(action.id ?? 0), Format.time(action.at), action.kind.rawValue + direction,
                         action.distinctIDs.joined(separator: ", "), status, pushed(action, d)], columns, widths: widths, y: y,
                        style: style, into: &grid)
        }
    }

    /// Whether `identikit push` sent a manual merge to PostHog; other actions are never pushed.
    static func pushed(_ action: ActionRecord, _ d: DetailState) -> String {
        switch action.kind {
        case .manualMerge, .manualForcedMerge: d.pushedActions.contains(action.id ?? -1) ? "pushed" : "no"
        case .split, .undo: "never"
        default: ""
        }
    }
}
