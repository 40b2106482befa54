/// A key press, as the terminal decodes it.
public enum Key: Sendable, Equatable {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// A mouse click on a screen cell (row and column from 0), and the wheel.
    case click(row: Int, column: Int = 0), wheelUp, wheelDown
}
