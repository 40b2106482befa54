/// What every list screen does with the keys that only move: written once here.
extension ListCursor {
    /// A click on a row (the list drawn from screen row `top`) or a navigation key; true when the
    /// key was one of them, so the screen owns it.
    mutating func moves(with key: Key, count: Int, visible: Int, top: Int) -> Bool {
        if case .click(let row, _) = key {
            select(offset + row - top, count: count, visible: visible)
            return true
        }
        return handle(key, count: count, visible: visible)
    }
}
