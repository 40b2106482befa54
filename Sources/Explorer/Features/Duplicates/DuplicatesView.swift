import IdentityCore
import Store

/// Persons sharing a property value: the groups, then one group's persons.
enum DuplicatesView {
    static func drawGroups(_ d: DuplicatesState, _ state: AppState, _ grid: inout CellGrid) {
        Chrome.title("Duplicates · persons sharing \(d.property)", state, &grid)
        let columns = [Column(title: d.property.capitalized, width: nil), Column(title: "Persons", width: 8, alignRight: true)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 1, into: &grid)
        if d.loaded, d.groups.isEmpty { grid.put("No two persons share a value of \(d.property).", x: 2, y: 3, style: .dim); return }
        drawRows(d.groups, cursor: d.cursor, top: 2, visible: Layout.listRows(.duplicates(d), height: state.height),
                 into: &grid) { group, y, style, grid in
            Column.draw([group.value, Format.count(group.count)], columns, widths: widths, y: y, style: style, into: &grid)
        }
    }

    static func drawMembers(_ m: DuplicateMembersState, _ state: AppState, _ grid: inout CellGrid) {
        Chrome.title("Duplicates · \(m.property) = \(m.value)", state, &grid)
        let columns = PersonsView.columns(width: state.width)
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 1, into: &grid)
        let mark = state.mark?.reference
        drawRows(m.rows, cursor: m.cursor, top: 2, visible: Layout.listRows(.duplicateMembers(m), height: state.height),
                 into: &grid, marked: { $0.uuid.lowercased == mark }) { person, y, style, grid in
            Column.draw(PersonsView.cells(person, width: state.width), columns, widths: widths, y: y, style: style, into: &grid)
        }
    }
}
