/// NUL becomes U+FFFD in person property keys and values, as in distinct IDs (spec step 5):
/// C string APIs and PostgreSQL's jsonb would cut or refuse the text at a NUL.
enum NULReplacement {
    static func text(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }

    /// Copies only when something holds a NUL: nearly every update holds none.
    static func object(_ object: [String: JSONValue]) -> [String: JSONValue] {
        guard object.contains(where: { hasNUL($0.key) || hasNUL($0.value) }) else { return object }
        var clean: [String: JSONValue] = [:]
        for (key, value) in object { clean[text(key)] = self.value(value) }
        return clean
    }

    static func value(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let string): .string(text(string))
        case .array(let values): .array(values.map(self.value))
        case .object(let object): .object(self.object(object))
        default: value
        }
    }

    private static func hasNUL(_ text: String) -> Bool { text.utf8.contains(0) }

    private static func hasNUL(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let string): hasNUL(string)
        case .array(let values): values.contains(where: hasNUL)
        case .object(let object): object.contains { hasNUL($0.key) || hasNUL($0.value) }
        default: false
        }
    }
}
