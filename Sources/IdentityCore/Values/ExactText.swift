import Foundation

/// Text compared byte for byte, for distinct IDs used as keys. Swift's `String` compares by
/// canonical equivalence: "é" written as one code point and "e" followed by U+0301 are equal to
/// Swift, but two values to SQLite, to PostgreSQL and to PostHog, so they are two distinct IDs and
/// may be two persons. Keys of this type keep them apart where a `String` key would fold them.
public struct ExactText: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.text.isExactly(rhs.text) }

    public func hash(into hasher: inout Hasher) {
        var text = self.text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public var description: String { text }

    /// Byte order: a stable order for keys (lock order, statement order), not a collation.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8) }
}

extension String {
    /// The same bytes (UTF-8), as a database compares them; `==` answers canonical equivalence.
    public func isExactly(_ other: String) -> Bool {
        var lhs = self, rhs = other
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                left.count == right.count && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
            }
        }
    }
}
