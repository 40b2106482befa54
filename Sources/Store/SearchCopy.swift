import IdentityCore

/// The copy of a person's `email` or `name` that both stores keep in a column of its own, so
/// search reads an index instead of every person's properties.
public enum SearchCopy {
    /// Longer values are cut: search matches their start.
    public static let maxLength = 200

    /// A string property's searchable copy; nil for no value, an empty one, or one not a string.
    public static func text(of value: JSONValue?) -> String? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return String(text.prefix(maxLength))
    }
}
