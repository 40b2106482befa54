import Foundation
import IdentityCore
import PostgresNIO
import Store

/// The PostgreSQL store as the fronts see it: the same primitives and queries as the SQLite store.
/// `ingest` and `write` are the store's own; a dry run and a read run the engine on a batch
/// loaded in a transaction that is rolled back.
extension PostgresPersonStore: PersonStore {
    /// The server and database as a URL, never with the password.
    public var location: String { server.description }

    public func dryRun<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) async throws -> T {
        let engine = self.engine
        return try await perform(Prefetch(), commit: false) { storage in try body(engine, storage) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) async throws -> T {
        try await dryRun(body)
    }

    /// Sequences move with every row any session inserts (events, persons, actions, warnings,
    /// links): their sum changes with every write batch, from any machine, for one cheap query.
    /// A sequence not yet used reads 1 like one used once, so only a used one counts.
    public func changeToken() async throws -> Int64 {
        try await reading("watching for changes") {
            var token: Int64 = 0
            let used = ["event_seq_seq", "person_id_seq", "action_id_seq", "warning_id_seq", "link_id_seq"]
                .map { "(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM \($0))" }
                .joined(separator: " + ")
            for try await value in try await client.query(PostgresQuery(unsafeSQL: "SELECT " + used)).decode(Int64.self) {
                token = value
            }
            return token
        }
    }
}
