/// Makes text from events safe to show on a terminal: control characters
/// (C0, DEL, C1), escape sequences and bidi overrides become visible escapes,
/// so no ID or property can move the cursor, recolour or reorder the screen.
public enum Escaping {
    public static func terminalSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x1B: out += "\\e"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00...0xFF: out += "\\x" + hex(scalar.value, width: 2)
            default: out += "\\u" + hex(scalar.value, width: 4)
            }
        }
        return out
    }

    /// Terminal-safe and in double quotes, for error messages.
    public static func quoted(_ text: String) -> String {
        "\"" + terminalSafe(text) + "\""
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidi embeddings, overrides and isolates; line/paragraph separators.
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
