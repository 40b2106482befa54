import IdentityCore
import Store

/// A property's writes: the value now, then one row per write with whether it took and why not.
enum PropertyHistoryView {
    static func draw(_ h: PropertyHistoryState, _ state: AppState, _ grid: inout CellGrid) {
        Chrome.title("Property \(h.key) · \(h.personName)", state, &grid)
        grid.put("now: " + (h.current.map(Format.compact) ?? "(not set)") + " · \(h.writes.count) write\(h.writes.count == 1 ? "" : "s"), oldest first",
                 x: 1, y: 1, style: .dim)
        // The distinct ID column only where the value keeps room (Enter on a write shows it anyway).
        let wide = state.width >= 110
        let columns = [Column(title: "At", width: 16), Column(title: "Event", width: max(12, state.width / 7)),
                       Column(title: "Op", width: 9), Column(title: "Value", width: nil), Column(title: "Result", width: 21)]
            + (wide ? [Column(title: "Distinct ID", width: max(10, state.width / 7))] : [])
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 2, into: &grid)
        if h.loaded, h.writes.isEmpty { grid.put("No event or merge ever wrote \(h.key).", x: 2, y: 4, style: .dim); return }
        if !h.loaded { grid.put("Loading…", x: 2, y: 4, style: .dim); return }
        drawRows(h.writes, cursor: h.cursor, top: 3, visible: Layout.listRows(.propertyHistory(h), height: state.height),
                 into: &grid) { write, y, style, grid in
            let event = write.actionID.map { "\(write.event) #\($0)" } ?? write.event
            let result = write.applied ? "written" : "skipped: " + (write.reason?.words ?? "?")
            let cells = [Format.time(write.at), event, write.operation.rawValue, write.value.map(Format.compact) ?? "-", result]
            Column.draw(cells + (wide ? [write.distinctID ?? "-"] : []), columns, widths: widths, y: y, style: style == .selected ? style : (write.applied ? style : .dim),
                        into: &grid)
        }
    }
}
