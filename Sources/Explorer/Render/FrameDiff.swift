/// What changed between two frames: the runs of cells a terminal must write, and nothing else.
/// Pure, so it is tested without a terminal; every backend draws from it.
public struct FrameDiff: Sendable, Equatable {
    /// A stretch of changed cells on one row, starting at column `x`.
    public struct Run: Sendable, Equatable {
        public var y: Int
        public var x: Int
        public var cells: [Cell]
    }

    /// The screen must be blanked first (first frame, or the size changed).
    public var clear: Bool
    public var runs: [Run]

    /// The cells of `next` that differ from `previous`; everything when there is no comparable previous frame.
    /// A wide character's two cells always travel together: a terminal writes the left one and it covers both.
    public static func between(_ previous: CellGrid?, _ next: CellGrid) -> FrameDiff {
        guard let previous, previous.width == next.width, previous.height == next.height else {
            let runs = next.rows.enumerated().compactMap { y, row in row.isEmpty ? nil : Run(y: y, x: 0, cells: row) }
            return FrameDiff(clear: true, runs: runs)
        }
        var runs: [Run] = []
        for y in 0..<next.height {
            let old = previous.rows[y], new = next.rows[y]
            if old == new { continue }
            var x = 0
            while x < next.width {
                guard old[x] != new[x] else { x += 1; continue }
                // Start at the left half of a wide character whose right half changed.
                var start = x
                while start > 0, new[start].text.isEmpty { start -= 1 }
                var end = x + 1
                while end < next.width, old[end] != new[end] || new[end].text.isEmpty { end += 1 }
                if let last = runs.last, last.y == y, last.x + last.cells.count >= start {
                    runs[runs.count - 1].cells += new[(last.x + last.cells.count)..<end]
                } else {
                    runs.append(Run(y: y, x: start, cells: Array(new[start..<end])))
                }
                x = end
            }
        }
        return FrameDiff(clear: false, runs: runs)
    }

    /// How many cells the diff writes (for tests and timing).
    public var cellCount: Int { runs.reduce(0) { $0 + $1.cells.count } }
}
