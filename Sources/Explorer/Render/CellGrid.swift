import IdentityCore

/// How a cell looks. The terminal maps styles to attributes (and colours unless NO_COLOR);
/// every style also differs by attribute or text, so colour is never the only signal.
public enum CellStyle: Sendable, Equatable {
    case normal, bold, dim, selected, title, header, error, info, accent, key
}

/// One terminal cell: a grapheme (empty for the right half of a wide one) and its style.
public struct Cell: Sendable, Equatable {
    public var text: String
    public var style: CellStyle

    public static let blank = Cell(text: " ", style: .normal)
}

/// A frame: what the screen should show, built by `view` and diffed by the terminal.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var rows: [[Cell]]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        rows = Array(repeating: Array(repeating: .blank, count: self.width), count: self.height)
    }

    /// Writes `text` at (x, y), at most `maxWidth` columns, cut with `…`. Every string goes through
    /// `Escaping.terminalSafe` here, so no data can reach the terminal as a control sequence.
    /// Returns the column after the text.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return x }
        let limit = min(maxWidth ?? (width - x), width - x)
        let safe = DisplayWidth.truncate(Escaping.terminalSafe(text), to: limit)
        var column = x
        for character in safe {
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            guard column + w <= width, column >= 0 else { break }
            rows[y][column] = Cell(text: String(character), style: style)
            if w == 2 { rows[y][column + 1] = Cell(text: "", style: style) }
            column += w
        }
        return column
    }

    /// Paints a style over a span without changing text (a selected row, a title bar).
    public mutating func fill(y: Int, from x: Int = 0, width span: Int? = nil, style: CellStyle) {
        guard y >= 0, y < height else { return }
        let end = min(width, x + (span ?? width))
        for column in max(0, x)..<max(max(0, x), end) { rows[y][column].style = style }
    }

    /// Blanks a rectangle (for overlays).
    public mutating func clear(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle = .normal) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { rows[row][column] = Cell(text: " ", style: style) }
        }
    }

    /// The frame as plain text, one line per row, trailing spaces trimmed: what snapshots compare.
    public var text: String {
        rows.map { row in
            var line = row.map(\.text).joined()
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The text of one row, untrimmed.
    public func line(_ y: Int) -> String { rows[y].map(\.text).joined() }
}

extension CellGrid {
    /// Sets one cell as it came from a frame diff (backends only; views use `put`, which escapes).
    mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard y >= 0, y < height, x >= 0, x < width else { return }
        rows[y][x] = cell
    }
}
