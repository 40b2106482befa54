import IdentityCore

/// A column of a list screen: a title, a width (nil: takes the rest) and an alignment.
struct Column {
    var title: String
    var width: Int?
    var alignRight = false

    /// Gives flexible columns the width left over, one space between columns.
    static func resolve(_ columns: [Column], total: Int) -> [Int] {
        let fixed = columns.compactMap(\.width).reduce(0, +) + max(0, columns.count - 1)
        let flexible = columns.filter { $0.width == nil }.count
        let share = flexible == 0 ? 0 : max(4, (total - fixed) / flexible)
        return columns.map { $0.width ?? share }
    }

    /// Draws one row of cells starting after the two-column marker gutter.
    static func draw(_ cells: [String], _ columns: [Column], widths: [Int], y: Int, x: Int = 2,
                     style: CellStyle, into grid: inout CellGrid) {
        var column = x
        for (index, text) in cells.enumerated() where index < columns.count {
            let width = widths[index]
            grid.put(DisplayWidth.pad(Escaping.terminalSafe(text), to: width, alignRight: columns[index].alignRight), x: column, y: y, style: style,
                     maxWidth: width)
            column += width + 1
        }
    }

    static func header(_ columns: [Column], widths: [Int], y: Int, into grid: inout CellGrid) {
        grid.fill(y: y, style: .header)
        draw(columns.map(\.title), columns, widths: widths, y: y, style: .header, into: &grid)
    }
}

/// Draws a list's visible rows: a `▸` marker and the selected style on the selected row
/// (so the selection shows without colour), `*` on rows the caller marks.
func drawRows<Row>(_ rows: [Row], cursor: ListCursor, top: Int, visible: Int, into grid: inout CellGrid,
                   marked: (Row) -> Bool = { _ in false }, draw: (Row, Int, CellStyle, inout CellGrid) -> Void) {
    guard !rows.isEmpty else { return }
    let end = min(rows.count, cursor.offset + visible)
    guard cursor.offset < end else { return }
    for index in cursor.offset..<end {
        let y = top + index - cursor.offset
        let isSelected = index == cursor.selected
        let style: CellStyle = isSelected ? .selected : .normal
        if isSelected { grid.fill(y: y, style: .selected) }
        grid.put(isSelected ? "▸" : (marked(rows[index]) ? "*" : " "), x: 0, y: y, style: style)
        if marked(rows[index]) && isSelected { grid.put("*", x: 1, y: y, style: style) }
        draw(rows[index], y, style, &grid)
    }
}
