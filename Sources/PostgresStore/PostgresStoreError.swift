import Foundation
import PostgresNIO
import Store

/// What went wrong with a PostgreSQL store, in one line that names the server and database and
/// never the password. Retryable conflicts between concurrent writers are handled inside the store.
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// The server could not be reached or went away: a capture server answers 503 so SDKs retry.
    public var isUnavailable: Bool

    init(_ description: String, unavailable: Bool = false) {
        self.description = description
        isUnavailable = unavailable
    }

    /// Describes a client error for a location, by the SQLSTATE the server sent or the connection failure.
    static func describing(_ error: any Error, at location: PostgresLocation, doing what: String) -> PostgresStoreError {
        let place = "PostgreSQL at \(location.host):\(location.port), database \(location.database)"
        if let transaction = error as? PostgresTransactionError,
           let inner = transaction.beginError ?? transaction.closureError ?? transaction.commitError {
            return describing(inner, at: location, doing: what)
        }
        guard let error = error as? PSQLError else {
            if let error = error as? PostgresStoreError { return error }
            return PostgresStoreError("\(what) on \(place) failed: \(error)")
        }
        if let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? "error \(state)"
            switch state {
            case "28P01", "28000":
                return PostgresStoreError("login failed for user \(location.user) on \(place): \(message)")
            case "3D000":
                return PostgresStoreError("\(place) does not exist: \(message) (create it with: createdb \(location.database))")
            case "57P01", "57P02", "57P03":
                return PostgresStoreError("\(place) is shutting down or starting: \(message)", unavailable: true)
            case "53100":
                // The server's own words name a file under its data directory, not what it means for the write.
                return PostgresStoreError("\(what) on \(place) failed: the server's disk is full (the transaction was rolled back; "
                                          + "free some space on the server): \(message)", unavailable: true)
            default:
                return PostgresStoreError("\(what) on \(place) failed: \(message) (SQLSTATE \(state))")
            }
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed, .clientClosedConnection:
            let reason = error.underlying.map { " (\(Self.short($0)))" } ?? ""
            return PostgresStoreError("cannot reach \(place)\(reason)", unavailable: true)
        case .authMechanismRequiresPassword:
            return PostgresStoreError("\(place) asks user \(location.user) for a password: put it in the URL or in PGPASSWORD")
        case .sslUnsupported:
            return PostgresStoreError("\(place) does not support SSL, which sslmode=\(location.sslMode.rawValue) requires")
        default:
            return PostgresStoreError("\(what) on \(place) failed: \(error.code)")
        }
    }

    private static func short(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connection refused") || text.contains("Connection refused") { return "connection refused" }
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }
}

extension PSQLError {
    /// Two writers met on the same rows: the batch is run again (deadlock, serialization failure,
    /// or a row another writer inserted first).
    var isRetryableConflict: Bool {
        guard let state = serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001" || state == "23505"
    }
}

extension PostgresStoreError: StoreUnavailable {
    public var refusesEveryWrite: Bool { isUnavailable }
}
