import Foundation
import IdentityCore
import Store

/// The SQLite store as the fronts see it. The queries are the store's own (a synchronous method
/// satisfies an `async` requirement: on a local file they take microseconds); running the engine
/// maps onto its transactions.
extension SQLitePersonStore: PersonStore {
    public var location: String { path }

    public func ingest(_ inputs: [ValidatedInput], now: Date) throws -> [EventOutcome] {
        let engine = self.engine
        return try write { storage in try inputs.map { try engine.ingest($0, in: storage, now: now) } }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) throws -> T {
        let engine = self.engine
        return try write { storage in try body(engine, storage) }
    }

    public func dryRun<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) throws -> T {
        let engine = self.engine
        return try dryRun { storage in try body(engine, storage) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) throws -> T {
        let engine = self.engine
        return try readStorage { storage in try body(engine, storage) }
    }

    public func changeToken() throws -> Int64 { Int64(try changeCounter()) }
}
