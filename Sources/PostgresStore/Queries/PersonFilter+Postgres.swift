import PostgresNIO
import Store

/// The filter as a condition on `person`, for the persons query's WHERE: each clause's `$n`
/// placeholders follow on from the bindings already made.
extension PersonFilter {
    func postgresClauses(_ bindings: inout PostgresBindings) -> [String] {
        var clauses = conditions.map { $0.postgresClause(&bindings) }
        if let identified { clauses.append("is_identified = \(bindings.next(identified))") }
        return clauses
    }
}

extension PropertyCondition {
    func postgresClause(_ bindings: inout PostgresBindings) -> String {
        let text = "(properties ->> \(bindings.next(key)))"
        switch op {
        case .equals: return "\(text) = \(bindings.next(value))"
        case .notEquals: return "\(text) IS DISTINCT FROM \(bindings.next(value))"
        case .contains: return "\(text) ILIKE \(bindings.next(containsPattern))"
        }
    }
}

extension PostgresBindings {
    /// Binds `value` and returns its placeholder.
    mutating func next(_ value: some PostgresNonThrowingEncodable) -> String {
        append(value)
        return "$\(count)"
    }
}
