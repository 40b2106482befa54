import Foundation

/// Where an input event came from, precise enough for an error message
/// ("events.jsonl:12", "batch.json: element 3") and for a stable uuid.
public struct InputLocation: Sendable, Hashable, CustomStringConvertible {
    /// A file path, "stdin", or an HTTP request description.
    public var source: String
    /// 1-based line number in the source, when the source has lines.
    public var line: Int?
    /// 0-based position inside a JSON array or a batch's `batch` list.
    public var element: Int?

    public init(source: String, line: Int? = nil, element: Int? = nil) {
        self.source = source
        self.line = line
        self.element = element
    }

    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        if let element { text += line == nil ? ": element \(element)" : " element \(element)" }
        return text
    }

    /// Events without a uuid get one derived from where they stand and what they
    /// say, so ingesting the same file twice adds nothing, while the same line
    /// appearing at two places still counts twice.
    public func stableUUID(for rawText: String) -> UUID {
        PersonUUID.version5(namespace: Self.namespace, name: "\(source)\u{0}\(line ?? -1)\u{0}\(element ?? -1)\u{0}\(rawText)")
    }

    static let namespace = UUID(text: "6f1c7d3e-2b7a-5c1e-9a51-1d3e6b9c0a42")!
}
