import Foundation

/// Where a PostgreSQL store lives: `postgres://user[:password]@host[:port]/database[?sslmode=...]`
/// (also `postgresql://`). The password may come from `PGPASSWORD` instead; `description` never
/// shows it, so the location can be printed, logged and stored.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require, verifyCA = "verify-ca", verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    /// Anything with a postgres: scheme, so that a malformed URL (`postgres:/db`) is refused as a URL
    /// instead of being taken for a SQLite file's path.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.prefix(12).lowercased()
        return lower.hasPrefix("postgres:") || lower.hasPrefix("postgresql:")
    }

    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let lower = text.prefix(14).lowercased()
        guard lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://"), let components = URLComponents(string: text) else {
            throw ParseError(description: "not a PostgreSQL URL (expected postgres://user[:password]@host[:port]/database): \(Self.redacted(text))")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ParseError(description: "the PostgreSQL URL names no host: \(Self.redacted(text))")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw ParseError(description: "the PostgreSQL URL names no database (postgres://user@\(host)/DATABASE)")
        }
        self.host = host
        self.database = database.removingPercentEncoding ?? database
        port = components.port ?? 5432
        user = components.user?.removingPercentEncoding ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let fromURL = components.password?.removingPercentEncoding
        password = fromURL ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw ParseError(description: "unknown sslmode \(mode) in the PostgreSQL URL; use one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.sslMode = sslMode
    }

    /// `postgres://user@host:port/database`, without the password.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (sslMode == .prefer ? "" : "?sslmode=\(sslMode.rawValue)")
    }

    /// A URL as given, with any password replaced, for error messages.
    public static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
