import Foundation
import GRDB
import Store

/// The filter as a condition on `person`, for the persons query's WHERE.
extension PersonFilter {
    /// Clauses to AND together, with their arguments in order.
    var sqliteClauses: [(sql: String, arguments: StatementArguments)] {
        var clauses = conditions.map(\.sqliteClause)
        if let identified { clauses.append(("is_identified = ?", [identified])) }
        return clauses
    }
}

extension PropertyCondition {
    /// The property's text as PostgreSQL's `->>` gives it: JSON's true and false as words (SQLite
    /// would give 1 and 0), numbers and strings as text, objects and arrays as JSON.
    private static let text = """
        (CASE json_type(properties, ?1) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
        ELSE CAST(json_extract(properties, ?1) AS TEXT) END)
        """

    var sqliteClause: (sql: String, arguments: StatementArguments) {
        let path = "$.\"\(key)\""
        let text = Self.text.replacingOccurrences(of: "?1", with: "?")
        switch op {
        case .equals: return ("\(text) = ?", [path, path, value])
        case .notEquals: return ("\(text) IS NOT ?", [path, path, value])
        case .contains: return ("\(text) LIKE ? ESCAPE '\\'", [path, path, containsPattern])
        }
    }
}
