import Foundation
import Testing

/// Every value from users reaches SQLite as a bound parameter (`?`). String interpolation in SQL is
/// allowed only for the fixed pieces below (column lists, `?` placeholders, enum raw values); a new
/// interpolation fails this test until someone checks it carries no user data and lists it here.
/// In the PostgreSQL store, interpolating into a `PostgresQuery` binds a parameter; only
/// `\(unescaped: ...)` puts text into the SQL, and those are listed too.
@Suite("SQL is built from constants and bound parameters only")
struct SQLInterpolationTests {
    static let allowed: Set<String> = [
        "SummaryColumns.select", "PersonColumns.select", "DistinctIDColumns.select", "SQLitePersonStore.cachePages",
        "ActionColumns.select",
        "expression",  // SQLitePersonStore+Duplicates: one of three constant column expressions; the JSON path is bound
        "WarningColumns.select", "Self.eventSelect",
        "column", "comparison", "direction",  // from PersonOrder and a Bool
        "placeholders",  // "?,?,?"
        "filter",  // "WHERE distinct_id = ? AND seq < ?"
        "manual", "mergeKinds", "kinds", "$0.rawValue",  // ActionKind raw values
        // HotStatements: constant SET clauses and parameter numbers
        "Self.addition(from: 1)", "Self.recount(person: 1)", "keyColumns", "counterColumns",
        "index", "index + 1", "index + 2",
        "$0.sql",  // persons: the keyset and PersonFilter+SQLite clauses, constant text; keys and values are bound
        "RowCountChanges.personsSQL", "RowCountChanges.distinctIDsSQL", "mergesInForce",  // constant subqueries and condition
        "pages",  // BackgroundCheckpointer: an Int for PRAGMA wal_autocheckpoint, which takes no parameter
    ]
    static let allowedUnescaped: Set<String> = [
        "unescaped: distinctIDColumns", "unescaped: personColumns", "unescaped: actionColumns",
        "unescaped: Self.personColumns", "unescaped: sequence",  // constant column lists, a sequence name
        "unescaped: personStamp",  // the constant md5 expression of a person's identity columns
        "unescaped: Self.summaryColumns", "unescaped: Self.distinctIDColumns", "unescaped: Self.actionColumns",
        "unescaped: Self.eventColumns", "unescaped: Self.warningColumns",  // constant column lists
        // PostgresOrderKey: constant sort expressions and cast functions; "<" or ">", "ASC" or "DESC" from a Bool
        "unescaped: key.value", "unescaped: key.column", "unescaped: key.cast", "unescaped: comparison", "unescaped: direction",
    ]
    static let keywords = ["SELECT", "INSERT", "UPDATE", "DELETE", "WHERE", "ORDER BY", "PRAGMA", "CREATE"]

    @Test func interpolatedSQLHoldsNoUserData() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 20)
        let interpolation = try Regex(#"\\\(([^()]*(?:\([^()]*\))?[^()]*)\)"#)
        var checked = 0
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            var inBlock = false, blockIsSQL = false, blockLines: [(Int, String)] = []
            for (number, line) in lines.enumerated() {
                let quotes = line.components(separatedBy: "\"\"\"").count - 1
                if inBlock {
                    // The closing line counts only up to its quotes: what follows is Swift, not SQL.
                    blockLines.append((number + 1, line.components(separatedBy: "\"\"\"")[0]))
                    if Self.keywords.contains(where: line.contains) { blockIsSQL = true }
                    if quotes % 2 == 1 {
                        inBlock = false
                        if blockIsSQL { for (n, l) in blockLines { checked += try Self.check(l, file, n, interpolation) } }
                    }
                    continue
                }
                if quotes % 2 == 1 {
                    inBlock = true
                    blockIsSQL = Self.keywords.contains(where: line.contains)
                    blockLines = [(number + 1, line)]
                    continue
                }
                if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                if Self.keywords.contains(where: line.contains) { checked += try Self.check(line, file, number + 1, interpolation) }
            }
        }
        #expect(checked > 20, "the scan found SQL interpolations to check")
    }

    static func check(_ line: String, _ file: URL, _ number: Int, _ regex: Regex<AnyRegexOutput>) throws -> Int {
        var count = 0
        let postgres = file.path.contains("/PostgresStore/")
        for match in line.matches(of: regex) {
            let expression = String(line[match.range].dropFirst(2).dropLast())
            count += 1
            if postgres {
                guard expression.hasPrefix("unescaped:") else { continue }  // a bound parameter
                #expect(allowedUnescaped.contains(expression), "\(file.lastPathComponent):\(number) puts \(expression) into SQL")
            } else {
                #expect(allowed.contains(expression), "\(file.lastPathComponent):\(number) interpolates \(expression) into SQL")
            }
        }
        return count
    }
}
