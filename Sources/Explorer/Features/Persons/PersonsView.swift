import IdentityCore
import Store

/// The persons list: display name, identified marker, IDs, events, first and last seen.
enum PersonsView {
    static func columns(width: Int) -> [Column] {
        var columns = [Column(title: "Person", width: nil), Column(title: "Id", width: 2),
                       Column(title: "IDs", width: 4, alignRight: true), Column(title: "Events", width: 7, alignRight: true)]
        if width >= 76 { columns.append(Column(title: "First seen", width: 16)) }
        columns.append(Column(title: "Last seen", width: 16))
        return columns
    }

    static func cells(_ person: PersonSummary, width: Int) -> [String] {
        var cells = [person.displayName, person.isIdentified ? "✓" : "·", Format.count(person.distinctIDCount), Format.count(person.eventCount)]
        if width >= 76 { cells.append(Format.time(person.firstSeen)) }
        cells.append(Format.time(person.lastSeen))
        return cells
    }

    static func draw(_ p: PersonsState, _ state: AppState, _ grid: inout CellGrid) {
        var title = "Persons · by \(p.order.title) ↓"
        if !p.filter.isEmpty { title += " · filter \(p.filter.summary)" }
        if let search = p.search {
            let count = p.rows.count >= PersonsFeature.searchLimit ? "\(p.rows.count)+" : "\(p.rows.count)"
            title += " · search \"\(search)\": \(count) match\(p.rows.count == 1 ? "" : "es")"
        }
        Chrome.title(title, state, &grid)
        let columns = columns(width: state.width)
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 1, into: &grid)
        let visible = PersonsFeature.listRows(p, height: state.height)
        if p.loaded, p.rows.isEmpty {
            let none = p.filter.isEmpty ? "No persons." : "No person matches the filter \(p.filter.summary)."
            grid.put(p.search == nil ? none : "No person matches \"\(p.search!)\" (anywhere in a distinct ID, email or name).",
                     x: 2, y: 3, style: .dim)
            return
        }
        let mark = state.mark?.reference
        drawRows(p.rows, cursor: p.cursor, top: 2, visible: visible, into: &grid,
                 marked: { $0.uuid.lowercased == mark }) { person, y, style, grid in
            Column.draw(cells(person, width: state.width), columns, widths: widths, y: y, style: style, into: &grid)
        }
    }
}
