import Foundation
import IdentityCore
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
    public func changeToken() async throws -> Int64 {
        try await reading("watching for changes") {
            var token: Int64 = 0
            let rows = try await client.query("""
                SELECT (SELECT last_value FROM event_seq_seq) + (SELECT last_value FROM person_id_seq)
                     + (SELECT last_value FROM action_id_seq) + (SELECT last_value FROM warning_id_seq)
                     + (SELECT last_value FROM link_id_seq)
                """)
            for try await value in rows.decode(Int64.self) { token = value }
            return token
        }
    }
}
