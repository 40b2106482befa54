import IdentityCore
import Store

/// The live list and one opened event.
enum LiveView {
    static func draw(_ l: LiveState, _ state: AppState, _ grid: inout CellGrid) {
        var title = "Live events"
        if l.paused { title += " · paused" + (l.held.isEmpty ? "" : " · \(l.held.count) new") }
        if !l.filter.isEmpty { title += " · containing \"\(l.filter)\"" }
        Chrome.title(title, state, &grid)
        grid.put("newest first, as any process commits them · what each did to identity", x: 1, y: 1, style: .dim)
        let columns = [Column(title: "Time", width: 16), Column(title: "Event", width: max(12, state.width / 6)),
                       Column(title: "Distinct ID", width: max(12, state.width / 5)), Column(title: "Effect", width: nil),
                       Column(title: "Seq", width: 7, alignRight: true)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 2, into: &grid)
        let shown = l.shown
        if shown.isEmpty {
            let send = state.captureURL.map { "send some to \($0)" } ?? "send some (identikit serve)"
            let text = l.reader == nil ? "Loading…" : l.events.isEmpty ? "No events yet: \(send) and they appear here."
                                                                       : "No event matches the filter."
            grid.put(text, x: 2, y: 4, style: .dim)
            return
        }
        drawRows(shown, cursor: l.cursor, top: 3, visible: Layout.listRows(.live(l), height: state.height), into: &grid) { event, y, style, grid in
            Column.draw([Format.time(event.timestamp), event.name, event.distinctID,
                         EventEffect.summary(event.effect, duplicates: event.duplicates), String(event.seq)],
                        columns, widths: widths, y: y, style: style, into: &grid)
        }
    }

    static func drawEvent(_ e: LiveEventState, _ state: AppState, _ grid: inout CellGrid) {
        Chrome.title("Event \(e.event.name) #\(e.event.seq)", state, &grid)
        let visible = Layout.listRows(.liveEvent(e), height: state.height)
        for (row, line) in e.lines.dropFirst(e.offset).prefix(visible).enumerated() {
            grid.put(Escaping.terminalSafe(line), x: 1, y: 2 + row, style: row + e.offset == 0 ? .bold : .normal, maxWidth: state.width - 2)
        }
    }
}
