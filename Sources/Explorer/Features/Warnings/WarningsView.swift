import IdentityCore
import Store

/// Ingestion warnings: grouped by type, then one type's warnings.
enum WarningsView {
    static func drawGroups(_ g: WarningGroupsState, _ state: AppState, _ grid: inout CellGrid) {
        Chrome.title("Warnings by type", state, &grid)
        let columns = [Column(title: "Type", width: min(50, max(24, state.width / 2 - 14))), Column(title: "Count", width: 7, alignRight: true),
                       Column(title: "Last seen", width: 16), Column(title: "Meaning", width: nil)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 1, into: &grid)
        if g.loaded, g.groups.isEmpty { grid.put("No ingestion warnings.", x: 2, y: 3, style: .dim); return }
        drawRows(g.groups, cursor: g.cursor, top: 2, visible: Layout.listRows(.warningGroups(g), height: state.height),
                 into: &grid) { group, y, style, grid in
            Column.draw([group.type.rawValue, Format.count(group.count), Format.time(group.lastSeen), group.type.summary],
                        columns, widths: widths, y: y, style: style, into: &grid)
        }
    }

    static func drawList(_ w: WarningListState, _ state: AppState, _ grid: inout CellGrid) {
        Chrome.title("Warnings · " + (w.type?.rawValue ?? "all types") + (w.filter.isEmpty ? "" : " · containing \"\(w.filter)\""), state, &grid)
        grid.put(w.type?.summary ?? "every warning, newest first", x: 1, y: 1, style: .dim)
        // All types in one list: each row says its type (a list of one type has it in the title).
        let allTypes = w.type == nil
        let columns = (allTypes ? [Column(title: "Type", width: 22)] : [])
            + [Column(title: "Time", width: 16), Column(title: "Distinct IDs", width: nil),
               Column(title: "Details", width: nil), Column(title: "Source", width: 18)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 2, into: &grid)
        if w.warnings.isEmpty { grid.put("No warnings here.", x: 2, y: 4, style: .dim); return }
        drawRows(w.warnings, cursor: w.cursor, top: 3, visible: Layout.listRows(.warnings(w), height: state.height),
                 into: &grid) { warning, y, style, grid in
            let details = warning.details.keys.sorted().map { "\($0)=\(Format.compact(warning.details[$0]!))" }.joined(separator: " ")
            let source = DisplayWidth.truncateLeft(Escaping.terminalSafe(warning.source ?? "-"), to: widths[columns.count - 1])
            Column.draw((allTypes ? [warning.type.rawValue] : []) + [Format.time(warning.createdAt), warning.distinctIDs.joined(separator: ", "), details, source],
                        columns, widths: widths, y: y, style: style, into: &grid)
        }
    }
}
