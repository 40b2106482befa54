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
}
