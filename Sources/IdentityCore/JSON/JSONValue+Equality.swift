import Foundation

/// Values compare exactly, as PostHog's JSON comparison and both databases do: "é" as one code point
/// and "e" + U+0301 are two values, so a `$set` from one to the other is a change (Swift's `String ==`
/// would call them equal and skip the write). Numbers compare by value, as in JavaScript: `1` and
/// `1.0` are one number, so a `$set` from one to the other changes nothing.
///
/// Object keys are still `String`, so two keys that differ only by Unicode normalization fold into one
/// key when an object is parsed; here they at least never compare equal to each other.
extension JSONValue: Hashable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.double(a), .double(b)): a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): Int64(exactly: b) == a
        case let (.string(a), .string(b)): a.isExactly(b)
        case let (.array(a), .array(b)): a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
        case let (.object(a), .object(b)): a.count == b.count && a.allSatisfy { key, value in
            guard let index = b.index(forKey: key) else { return false }
            return b[index].key.isExactly(key) && b[index].value == value
        }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let value): hasher.combine(1 as UInt8); hasher.combine(value)
        case .int(let value): hasher.combine(2 as UInt8); hasher.combine(value)
        case .double(let value):
            // A whole double hashes as the integer it equals.
            if let whole = Int64(exactly: value) {
                hasher.combine(2 as UInt8); hasher.combine(whole)
            } else {
                hasher.combine(3 as UInt8); hasher.combine(value)
            }
        case .string(let value): hasher.combine(4 as UInt8); Self.hashExactly(value, into: &hasher)
        case .array(let values):
            hasher.combine(5 as UInt8)
            hasher.combine(values.count)
            for value in values { hasher.combine(value) }
        case .object(let object):
            // Order-free, like Dictionary's own hash: each pair hashed alone, then combined by XOR.
            hasher.combine(6 as UInt8)
            var pairs = 0
            for (key, value) in object {
                var pair = Hasher()
                Self.hashExactly(key, into: &pair)
                pair.combine(value)
                pairs ^= pair.finalize()
            }
            hasher.combine(pairs)
        }
    }

    private static func hashExactly(_ text: String, into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(0xFF as UInt8)  // a terminator: ["ab", "c"] and ["a", "bc"] hash apart
    }
}
