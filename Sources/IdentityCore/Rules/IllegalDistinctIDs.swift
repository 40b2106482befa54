/// Distinct IDs that SDKs send by mistake (`posthog.identify(null)`,
/// `identify("email")`...). They are never used to merge persons, because
/// merging on them would fold unrelated people into one.
public enum IllegalDistinctIDs {
    static let caseInsensitive: Set<String> = [
        "anonymous", "guest", "distinctid", "distinct_id", "id", "not_authenticated",
        "email", "undefined", "true", "false",
    ]
    static let caseSensitive: Set<String> = [
        "[object Object]", "NaN", "None", "none", "null", "0", "undefined",
    ]

    public static func isIllegal(_ id: String) -> Bool {
        // Trimming is only for this test; the ID itself keeps its spaces.
        if id.unicodeScalars.allSatisfy(isTrimmed) { return true }
        if isListed(id) { return true }
        if id.count >= 2, let first = id.first, let last = id.last, first == last, first == "'" || first == "\"" {
            return isListed(String(id.dropFirst().dropLast()))
        }
        return false
    }

    /// What JavaScript's `trim()` removes (PostHog's test), which adds U+FEFF (a byte-order mark) to
    /// Unicode's white space; NEL (U+0085) stays, as in Swift's and Rust's trimming.
    private static func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\u{FEFF}"
    }

    private static func isListed(_ id: String) -> Bool {
        caseSensitive.contains(id) || caseInsensitive.contains(id.lowercased())
    }
}
