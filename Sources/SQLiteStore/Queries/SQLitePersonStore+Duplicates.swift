import Foundation
import GRDB
import IdentityCore

extension SQLitePersonStore {
    /// Values of `property` shared by several persons, largest groups first. `email` and `name`
    /// use their indexed columns (any case); other properties read the JSON and scan the table.
    public func duplicateGroups(property: String = "email", limit: Int = 500) throws -> [DuplicateGroup] {
        try read { db in
            let expression = Self.duplicateExpression(property)
            return try Row.fetchAll(db, sql: """
                SELECT \(expression) AS v, count(*) AS n FROM person WHERE v IS NOT NULL AND v != ''
                GROUP BY v HAVING n > 1 ORDER BY n DESC, v LIMIT ?
                """, arguments: Self.duplicateArguments(property) + [limit])
                .map { DuplicateGroup(value: ($0[0] as DatabaseValue).description(), count: $0[1]) }
        }
    }

    /// The persons whose `property` equals `value`, oldest first.
    public func personsSharing(property: String, value: String, limit: Int = 500) throws -> [PersonSummary] {
        try read { db in
            let expression = Self.duplicateExpression(property)
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(SummaryColumns.select) FROM person WHERE \(expression) = ?
                ORDER BY created_at, id LIMIT ?
                """, arguments: Self.duplicateArguments(property) + [value, limit])
            return try SummaryColumns.summaries(rows, db: db)
        }
    }

    private static func duplicateExpression(_ property: String) -> String {
        switch property {
        case "email": "email"
        case "name": "name"
        default: "CAST(json_extract(properties, ?) AS TEXT)"
        }
    }

    private static func duplicateArguments(_ property: String) -> StatementArguments {
        switch property {
        case "email", "name": []
        default: [jsonPath(property)]
        }
    }

    /// A JSON path naming one top-level key, whatever characters it holds.
    static func jsonPath(_ key: String) -> String {
        "$.\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension DatabaseValue {
    fileprivate func description() -> String {
        switch storage {
        case .string(let s): s
        case .int64(let i): String(i)
        case .double(let d): JSONValue.decimalString(d)
        case .blob, .null: ""
        }
    }
}
