import IdentityCore

/// What to say when the first word is neither an option nor a command.
enum UnknownCommand {
    static func message(_ word: String, known: [String]) -> String? {
        guard !word.hasPrefix("-"), !known.contains(word) else { return nil }
        let nearest = known.map { ($0, distance(word.lowercased(), $0)) }.min { $0.1 < $1.1 }
        let hint = nearest.flatMap { $0.1 <= max(1, min(2, word.count / 3)) ? " (did you mean \($0.0)?)" : nil } ?? ""
        return "identikit: no command \(Escaping.quoted(word))\(hint); `identikit --help` lists the commands\n"
    }

    /// Levenshtein distance: edits that turn one word into the other.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
