import Foundation

/// What narrows the persons list: conditions on properties (all must hold) and whether the person
/// is identified. Both stores apply it inside the keyset query, so paging stays exact.
public struct PersonFilter: Sendable, Equatable {
    public var conditions: [PropertyCondition]
    /// true: identified persons only; false: anonymous only; nil: both.
    public var identified: Bool?

    public init(conditions: [PropertyCondition] = [], identified: Bool? = nil) {
        self.conditions = conditions
        self.identified = identified
    }

    public static let none = PersonFilter()

    public var isEmpty: Bool { conditions.isEmpty && identified == nil }

    /// What a title bar shows: `email~@acme.com, plan!=free, identified`.
    public var summary: String {
        var parts = conditions.map(\.description)
        if let identified { parts.append(identified ? "identified" : "anonymous") }
        return parts.joined(separator: ", ")
    }
}

/// One condition on a property, compared to its text: a string as it is, any other JSON value as
/// JSON text (`true`, `42`).
public struct PropertyCondition: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        /// The text is exactly the value.
        case equals = "="
        /// The text is not the value, or the person has no such property.
        case notEquals = "!="
        /// The text contains the value, ignoring the case of ASCII letters.
        case contains = "~"
    }

    public var key: String
    public var op: Operator
    public var value: String

    public init(key: String, op: Operator, value: String) {
        self.key = key
        self.op = op
        self.value = value
    }

    /// Reads `KEY=VALUE`, `KEY!=VALUE` or `KEY~TEXT`; the first operator found splits it.
    public init(parsing text: String) throws(PersonFilterError) {
        guard let split = Self.firstOperator(in: text) else {
            throw PersonFilterError("\"\(text)\" is not KEY=VALUE, KEY!=VALUE or KEY~TEXT")
        }
        let key = String(text[..<split.range.lowerBound]).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { throw PersonFilterError("\"\(text)\" names no property before \(split.op.rawValue)") }
        // SQLite's JSON paths cannot quote a double quote, so neither store accepts one.
        guard !key.contains("\"") else { throw PersonFilterError("property name \(key) contains a double quote") }
        self.init(key: key, op: split.op, value: String(text[split.range.upperBound...]))
    }

    public var description: String { "\(key)\(op.rawValue)\(value)" }

    private static func firstOperator(in text: String) -> (op: Operator, range: Range<String.Index>)? {
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("!=") { return (.notEquals, index..<text.index(index, offsetBy: 2)) }
            if rest.hasPrefix("=") { return (.equals, index..<text.index(after: index)) }
            if rest.hasPrefix("~") { return (.contains, index..<text.index(after: index)) }
            index = text.index(after: index)
        }
        return nil
    }

    /// `value` as a LIKE pattern for "contains".
    public var containsPattern: String { Self.likePattern(containing: value) }

    /// A LIKE pattern matching any text that contains `text`, with `\` escaping LIKE's own characters.
    public static func likePattern(containing text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}

public struct PersonFilterError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
