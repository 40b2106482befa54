/// The selected row of a list and the first visible row.
public struct ListCursor: Sendable, Equatable {
    public var selected = 0
    public var offset = 0

    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves by `delta` rows within `count`, keeping the selection in a window of `visible` rows.
    public mutating func move(by delta: Int, count: Int, visible: Int) {
        select(selected + delta, count: count, visible: visible)
    }

    public mutating func select(_ row: Int, count: Int, visible: Int) {
        selected = count == 0 ? 0 : min(max(0, row), count - 1)
        scroll(visible: visible, count: count)
    }

    /// Brings the selection into view without moving it.
    public mutating func scroll(visible: Int, count: Int) {
        let visible = max(1, visible)
        if selected < offset { offset = selected }
        if selected >= offset + visible { offset = selected - visible + 1 }
        offset = max(0, min(offset, max(0, count - visible)))
    }

    /// Applies a navigation key; returns false if the key is not a movement.
    public mutating func handle(_ key: Key, count: Int, visible: Int) -> Bool {
        switch key {
        case .up, .char("k"), .wheelUp: move(by: -1, count: count, visible: visible)
        case .down, .char("j"), .wheelDown: move(by: 1, count: count, visible: visible)
        case .pageUp, .ctrl("b"): move(by: -max(1, visible - 1), count: count, visible: visible)
        case .pageDown, .ctrl("f"), .char(" "): move(by: max(1, visible - 1), count: count, visible: visible)
        case .home, .char("g"): select(0, count: count, visible: visible)
        case .end, .char("G"): select(count - 1, count: count, visible: visible)
        default: return false
        }
        return true
    }
}
