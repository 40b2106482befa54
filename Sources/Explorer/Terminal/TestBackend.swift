/// A terminal in memory: keeps the cells written to it and hands out queued input. Tests and the
/// headless explorer draw on it exactly as the real loop draws on ncurses.
public final class TestBackend: TerminalBackend {
    public private(set) var width: Int
    public private(set) var height: Int
    /// What the terminal shows now.
    public private(set) var buffer: CellGrid
    /// The last diff written, and how many cells all of them wrote (tests count with these).
    public private(set) var lastWrite: FrameDiff?
    public private(set) var cellsWritten = 0
    private var input: [TerminalInput] = []

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        buffer = CellGrid(width: width, height: height)
    }

    /// Queues a key for the next `read`.
    public func queue(_ event: TerminalInput) {
        input.append(event)
    }

    /// The window changes size: the next `read` reports it, as a terminal would.
    public func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        input.append(.resized(width: width, height: height))
    }

    public func read(timeout milliseconds: Int32) -> TerminalInput? {
        input.isEmpty ? nil : input.removeFirst()
    }

    public func write(_ diff: FrameDiff) {
        if diff.clear || buffer.width != width || buffer.height != height { buffer = CellGrid(width: width, height: height) }
        for run in diff.runs {
            for (offset, cell) in run.cells.enumerated() { buffer.set(cell, x: run.x + offset, y: run.y) }
        }
        lastWrite = diff
        cellsWritten += diff.cellCount
    }
}
