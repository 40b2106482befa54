import Foundation
import IdentityCore
import Logging
import NIOSSL
import PostgresNIO

/// The identity store on a PostgreSQL server: the same model and behaviour as the SQLite store,
/// for a team with many writers (ingests, capture servers, people repairing) on one database.
///
/// Writes go in batches: `perform` loads what a batch reads (`Prefetch`, without locks), runs the
/// rules on a `BatchStorage` in memory, and writes the changes back in the same transaction. The
/// write-back first locks the shared rows it changes (persons, then distinct IDs, in key order) and
/// checks that the ones the rules' decisions rest on are as they were read; if another writer got
/// there first, or a deadlock, a serialization failure or a row another writer inserted first
/// stops it, the batch rolls back and runs again on fresh reads, so nothing is lost and nothing
/// counted twice. Writers meet only for the length of a write-back.
public final class PostgresPersonStore: Sendable {
    /// The server and database (the password stays inside; `location` prints without it).
    public let server: PostgresLocation
    public let engine: IdentityEngine
    let client: PostgresClient
    private let running: Task<Void, Never>
    let logger: Logger

    /// How long a batch waits for a connection before the store reports the server unreachable,
    /// and how a batch whose connection is lost fails instead of waiting forever.
    let batchWatch = BatchWatch(connectLimit: .seconds(5), whileDown: .seconds(1))

    /// How often a batch is run again after meeting another writer, before giving up.
    static let maxConflictRetries = 50

    private init(server: PostgresLocation, engine: IdentityEngine, client: PostgresClient, running: Task<Void, Never>, logger: Logger) {
        self.server = server
        self.engine = engine
        self.client = client
        self.running = running
        self.logger = logger
    }

    /// Connects, checks the login, and brings the schema up to date (refusing a newer one).
    public static func open(_ location: PostgresLocation, engine: IdentityEngine = IdentityEngine(),
                            maximumConnections: Int = 8) async throws -> PostgresPersonStore {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: try tls(for: location.sslMode))
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        var logger = Logger(label: "identikit.postgres")
        logger.logLevel = .critical
        do {
            try await probe(location, logger: logger)
        } catch {
            throw PostgresStoreError.describing(error, at: location, doing: "opening the store")
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let running = Task { await client.run() }
        let store = PostgresPersonStore(server: location, engine: engine, client: client, running: running, logger: logger)
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw PostgresStoreError.describing(error, at: location, doing: "opening the store")
        }
        return store
    }

    /// One connection outside the pool, first: a wrong password or a refused connection fails at
    /// once with its own error (the pool retries a failing connection until its circuit breaker
    /// trips, a minute later, and the cause is lost).
    private static func probe(_ location: PostgresLocation, logger: Logger) async throws {
        let tls: PostgresConnection.Configuration.TLS
        switch try tlsSettings(for: location.sslMode) {
        case .none: tls = .disable
        case .some((let configuration, required: false)): tls = .prefer(try NIOSSLContext(configuration: configuration))
        case .some((let configuration, required: true)): tls = .require(try NIOSSLContext(configuration: configuration))
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        try await connection.close()
    }

    public func close() async {
        running.cancel()
        _ = await running.value
    }

    private static func tls(for mode: PostgresLocation.SSLMode) throws -> PostgresClient.Configuration.TLS {
        switch try tlsSettings(for: mode) {
        case .none: .disable
        case .some((let configuration, required: false)): .prefer(configuration)
        case .some((let configuration, required: true)): .require(configuration)
        }
    }

    /// The TLS settings an sslmode asks for: none, or a configuration and whether it is required.
    private static func tlsSettings(for mode: PostgresLocation.SSLMode) throws -> (TLSConfiguration, required: Bool)? {
        var verified = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable:
            return nil
        case .allow, .prefer:
            verified.certificateVerification = .none
            return (verified, false)
        case .require:
            verified.certificateVerification = .none
            return (verified, true)
        case .verifyCA:
            verified.certificateVerification = .noHostnameVerification
            return (verified, true)
        case .verifyFull:
            return (verified, true)
        }
    }

    // MARK: Schema

    private func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            // One migrator at a time, whoever else opens the store.
            try await connection.query("SELECT pg_advisory_xact_lock(7315400)", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS identikit_meta (key text PRIMARY KEY, value text NOT NULL)", logger: logger)
            var current = 0
            for try await value in try await connection.query("SELECT value FROM identikit_meta WHERE key = 'schema_version'",
                                                              logger: logger).decode(String.self) {
                current = Int(value) ?? 0
            }
            if current > PostgresSchema.version {
                throw PostgresStoreError("the store at \(server) has schema version \(current), newer than this identikit understands (\(PostgresSchema.version)); use a newer identikit")
            }
            for (index, migration) in PostgresSchema.migrations.enumerated() where index + 1 > current {
                // The extended protocol takes one statement per query.
                for statement in PostgresSchema.statements(migration) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            if current < PostgresSchema.version {
                let version = String(PostgresSchema.version)
                try await connection.query("""
                    INSERT INTO identikit_meta (key, value) VALUES ('schema_version', \(version))
                    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                    """, logger: logger)
            }
        }
    }

    // MARK: Batches

    /// Runs `body` on a batch storage loaded for `prefetch`, and writes what it changed, in one
    /// transaction; runs it again when it read something not loaded or met another writer.
    /// Unless `commit`, nothing is written: the transaction is rolled back (a dry run, a read).
    func perform<T: Sendable>(_ prefetch: Prefetch, commit: Bool = true,
                              _ body: @escaping @Sendable (BatchStorage) throws -> T) async throws -> T {
        var prefetch = prefetch
        var conflicts = 0
        var misses = 0
        while true {
            do {
                let round = prefetch
                return try await batchWatch.run { lease in
                    try await self.client.withTransaction(logger: self.logger) { connection in
                        try lease.begin(on: connection)
                        let storage = BatchStorage(try await Self.load(round, on: connection, logger: self.logger))
                        let result = try body(storage)
                        // Thrown to roll back: the transaction's own error path undoes what the load locked.
                        guard commit else { throw Rehearsal(result: result) }
                        try await Self.flush(storage.changes, of: storage.loaded, on: connection, logger: self.logger)
                        if !storage.changes.isEmpty { try await Self.announceChange(on: connection, logger: self.logger) }
                        return result
                    }
                }
            } catch let expired as BatchWatch.Expired {
                throw PostgresStoreError("cannot reach PostgreSQL at \(server.host):\(server.port), database \(server.database): no connection within \(expired.after)",
                                         unavailable: true)
            } catch is BatchWatch.Lost {
                throw PostgresStoreError("lost the connection to PostgreSQL at \(server.host):\(server.port), database \(server.database), in the middle of a batch; nothing of it was committed",
                                         unavailable: true)
            } catch {
                let inner = (error as? PostgresTransactionError).flatMap { $0.closureError ?? $0.commitError ?? $0.beginError } ?? error
                if let rehearsal = inner as? Rehearsal, let result = rehearsal.result as? T { return result }
                if let miss = inner as? BatchStorage.Miss {
                    misses += 1
                    guard misses < 10_000 else { throw PostgresStoreError("a batch kept reading rows it had not loaded (\(miss))") }
                    prefetch.add(miss)
                    continue
                }
                let conflict = inner is BatchConflict || (inner as? PSQLError)?.isRetryableConflict == true
                if conflict, conflicts < Self.maxConflictRetries {
                    conflicts += 1
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * min(conflicts, 20)))))
                    continue
                }
                if inner is IdentityError || inner is PostgresStoreError { throw inner }
                throw PostgresStoreError.describing(inner, at: server, doing: commit ? "writing" : "reading")
            }
        }
    }

    /// The result of a batch that is not to be kept, carried out of its transaction.
    private struct Rehearsal: Error {
        var result: any Sendable
    }

    /// Ingests a batch of validated inputs in one transaction.
    public func ingest(_ inputs: [ValidatedInput], now: Date) async throws -> [EventOutcome] {
        let engine = self.engine
        return try await perform(Prefetch(inputs: inputs, projectID: engine.projectID)) { storage in
            try inputs.map { try engine.ingest($0, in: storage, now: now) }
        }
    }

    /// Runs a manual action (merge, undo, split...) through the engine in one transaction.
    public func write<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) async throws -> T {
        let engine = self.engine
        return try await perform(Prefetch()) { storage in try body(engine, storage) }
    }
}
