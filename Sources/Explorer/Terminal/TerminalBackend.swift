/// A terminal the explorer draws on and reads keys from: ncurses for people, `TestBackend` for tests.
/// Backends only write the cells a `FrameDiff` names; they never see state or data.
public protocol TerminalBackend: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Waits up to `milliseconds` for input; nil on timeout.
    func read(timeout milliseconds: Int32) -> TerminalInput?
    /// Writes the changed cells and shows them.
    func write(_ diff: FrameDiff)
}

/// What a terminal reports: a key, or its new size.
public enum TerminalInput: Sendable, Equatable {
    case key(Key)
    case resized(width: Int, height: Int)
}

/// Draws frames on a backend through the diff, remembering the last one. A resize forgets it,
/// so the next frame is drawn in full.
public final class FrameWriter {
    public let backend: any TerminalBackend
    private var previous: CellGrid?

    public init(_ backend: any TerminalBackend) { self.backend = backend }

    /// Draws `grid`; returns the diff written.
    @discardableResult
    public func draw(_ grid: CellGrid) -> FrameDiff {
        let diff = FrameDiff.between(previous, grid)
        backend.write(diff)
        previous = grid
        return diff
    }

    public func forget() { previous = nil }
}
