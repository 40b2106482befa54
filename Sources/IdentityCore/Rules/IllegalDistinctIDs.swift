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
        if id.allSatisfy(\.isWhitespace) { return true }
        if isListed(id) { return true }
        if id.count >= 2, let first = id.first, let last = id.last, first == last, first == "'" || first == "\"" {
            return isListed(String(id.dropFirst().dropLast()))
        }
        return false
    }

    private static func isListed(_ id: String) -> Bool {
        caseSensitive.contains(id) || caseInsensitive.contains(id.lowercased())
    }
}
