/// Words of a command printed for the user to run again: quoted for a POSIX shell when they need it.
enum ShellWords {
    static func quote(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./:=@,+%".unicodeScalars.contains(scalar))
        }
        if plain, !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    static func command(_ words: [String]) -> String { words.map(quote).joined(separator: " ") }
}
