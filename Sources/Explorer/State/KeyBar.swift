/// The key bar as something to click: each hint ("/ search", "Enter open", "n/Esc no") is a
/// button for its key, at the columns where `Chrome` draws it.
enum KeyBar {
    /// Where the hints start on the bar (after one space).
    static let start = 1

    /// The key of the hint drawn over `column` of the bar, if any.
    static func key(atColumn column: Int, hints: String) -> Key? {
        items(hints).first { (start + $0.x..<start + $0.x + DisplayWidth.of($0.text)).contains(column) }.flatMap { key(named: $0.text) }
    }

    /// The hints and their columns within the text: items are separated by two spaces or more.
    static func items(_ hints: String) -> [(text: String, x: Int)] {
        var items: [(String, Int)] = []
        var column = 0, current = "", currentX = 0, spaces = 0
        for character in hints {
            if character == " " {
                spaces += 1
            } else {
                if spaces >= 2 || current.isEmpty {
                    if !current.isEmpty { items.append((current, currentX)) }
                    current = ""
                    currentX = column
                } else if spaces == 1 {
                    current += " "
                }
                spaces = 0
                current.append(character)
            }
            column += DisplayWidth.of(String(character))
        }
        if !current.isEmpty { items.append((current, currentX)) }
        return items
    }

    /// A hint's key: its first word, the first of alternatives written `a/b` ("g/G" is g).
    static func key(named hint: String) -> Key? {
        let word = hint.split(separator: " ").first.map(String.init) ?? ""
        let name = word.count > 1 && word.contains("/") ? String(word.split(separator: "/").first ?? "") : word
        switch name {
        case "Enter": return .enter
        case "Esc": return .escape
        case "Tab": return .tab
        case "Space": return .char(" ")
        case "Backspace": return .backspace
        case "←": return .left
        case "→": return .right
        case "↑": return .up
        case "↓": return .down
        default: return name.count == 1 ? name.first.map(Key.char) : nil
        }
    }
}
