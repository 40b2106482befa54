import Foundation
import IdentityCore

/// An aligned text table that fits a terminal width: the widest flexible column gives way first,
/// one character at a time, so the flexible columns end up cut to about the same width (no column
/// is cut to nothing while another keeps its whole text). Cut cells end with `…`. Every cell is
/// escaped, so data cannot drive the terminal.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns that may be shortened to fit, widest first.
    var flexible: Set<Int> = []
    /// Flexible columns whose end matters most (a file and line): cut at the start, `…/events.jsonl:12`.
    var keepEnd: Set<Int> = []

    init(_ headers: String..., flexible: Set<Int> = [], keepEnd: Set<Int> = []) {
        self.headers = headers
        self.flexible = flexible
        self.keepEnd = keepEnd
    }

    mutating func add(_ cells: String...) { add(cells) }
    mutating func add(_ cells: [String]) { rows.append(cells.map(Escaping.terminalSafe)) }

    func render(width: Int) -> String {
        let gap = 2
        var widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        var total: Int { widths.reduce(0, +) + gap * (widths.count - 1) }
        var overflow = total - width
        while overflow > 0 {
            let candidates = flexible.filter { widths[$0] > max(8, headers[$0].count) }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] || (widths[$0] == widths[$1] && $0 < $1) }) else { break }
            widths[widest] -= 1
            overflow -= 1
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let fitted = cell.count <= widths[column] ? cell
                    : keepEnd.contains(column) ? "…" + String(cell.suffix(widths[column] - 1))
                    : String(cell.prefix(widths[column] - 1)) + "…"
                return column == cells.count - 1 ? fitted : fitted.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: String(repeating: " ", count: gap))
        }
        return ([line(headers)] + rows.map(line)).map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
