import Foundation
import IdentityCore
import Logging
import PostgresNIO
import PostgresStore
import TestSupport

/// The PostgreSQL figures: ingest of the same events file as the SQLite figures with one writer
/// and with four at once, and the explorer's first frame and keys on a large PostgreSQL store.
///
/// The server is a throwaway cluster started for the run (initdb + pg_ctl in the workspace, the
/// tests' `PostgresCluster`), on loopback, with `synchronous_commit=off` and `fsync=off`: like the
/// SQLite store's WAL with synchronous=NORMAL, a commit does not wait for the disk.
struct PostgresBenchmark {
    var explorerPersons: Int
    var eventsPerPerson = 5

    struct Result {
        var events: Int
        var seconds: Double
        var fourWriterEvents: Int
        var fourWriterSeconds: Double
        var explorer: ExplorerBenchmark.Result

        var eventsPerSecond: Double { Double(events) / seconds }
        var fourWritersEventsPerSecond: Double { Double(fourWriterEvents) / fourWriterSeconds }
        var fourWritersRatio: Double { fourWritersEventsPerSecond / eventsPerSecond }
    }

    func run(eventsFile file: String, in workspace: Workspace, log: (String) -> Void) throws -> Result {
        log("postgres: starting a server (initdb, pg_ctl)")
        let cluster = try PostgresCluster()
        defer { cluster.stop() }

        log("postgres: ingest, one writer")
        let one = try IngestChild.run(file: file, store: try cluster.makeDatabase())

        log("postgres: ingest, four writers at once on four quarters of the file")
        let parts = try Self.split(file, into: 4, in: workspace)
        let shared = try cluster.makeDatabase()
        var children: [IngestChild.Output] = []
        let fourSeconds = try Measure.seconds { children = try IngestChild.runAtOnce(files: parts, store: shared) }

        let explorer = try explorer(on: cluster, log: log)
        return Result(events: one.events, seconds: one.seconds, fourWriterEvents: children.map(\.events).reduce(0, +),
                      fourWriterSeconds: fourSeconds, explorer: explorer)
    }

    /// The explorer's first frame and keys on a PostgreSQL store of `explorerPersons` persons.
    func explorer(on cluster: PostgresCluster, log: (String) -> Void) throws -> ExplorerBenchmark.Result {
        log("postgres: explorer store of \(explorerPersons) persons")
        let url = try cluster.makeDatabase()
        let store = try blocking { try await PostgresPersonStore.open(try PostgresLocation(url: url)) }
        defer { blocking { await store.close() } }
        let events = try blocking { try await Self.fill(url, persons: explorerPersons, eventsPerPerson: eventsPerPerson) }
        log("postgres: explorer first frame and keys")
        return try ExplorerBenchmark.measure(store: store, persons: explorerPersons + 1, events: events)
    }

    /// The explorer figures alone (`--explorer-only`), on a server started for them.
    func explorerOnly(log: (String) -> Void) throws -> ExplorerBenchmark.Result {
        log("postgres: starting a server (initdb, pg_ctl)")
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        return try explorer(on: cluster, log: log)
    }

    /// Cuts a JSON Lines file into `count` files of consecutive lines. The demo tells one person's
    /// story at a time, so the parts share IDs only where a cut falls inside a story.
    static func split(_ file: String, into count: Int, in workspace: Workspace) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let newlines = data.indices.filter { data[$0] == UInt8(ascii: "\n") }
        var start = data.startIndex
        return try (0..<count).map { part in
            let end = part == count - 1 ? data.endIndex : newlines[newlines.count * (part + 1) / count - 1] + 1
            let path = workspace.path("part-\(part).jsonl")
            try data[start..<end].write(to: URL(fileURLWithPath: path))
            start = end
            return path
        }
    }

    /// Writes the explorer's store with set-returning SQL in the store's own schema (the explorer
    /// only reads it): the same shape as the SQLite explorer store. Returns the number of events.
    static func fill(_ url: String, persons: Int, eventsPerPerson: Int) async throws -> Int {
        let location = try PostgresLocation(url: url)
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "bench"))
        defer { Task { try? await connection.close() } }
        let base = 1_790_000_000
        let heavy = persons + 1
        for statement: PostgresQuery in [
            """
            INSERT INTO person (id, uuid, created_at, is_identified, properties, email, name, id_count, event_count, first_seen, last_seen)
            SELECT i, gen_random_uuid(), to_timestamp(\(base) + i * 3), i % 3 = 0,
                   jsonb_build_object('email', 'user' || i || '@example.com', 'name', 'User ' || i, 'plan', 'free'),
                   'user' || i || '@example.com', 'User ' || i, 1, \(eventsPerPerson),
                   to_timestamp(\(base) + i * 3), to_timestamp(\(base) + i * 3 + \(eventsPerPerson))
            FROM generate_series(1, \(persons)) AS i
            """,
            """
            INSERT INTO person (id, uuid, created_at, properties, email, name, id_count, event_count, first_seen, last_seen)
            VALUES (\(heavy), gen_random_uuid(), to_timestamp(\(base) + \(heavy) * 3), '{"name": "Heavy User"}', NULL, 'Heavy User',
                    1, 10000, to_timestamp(\(base) + \(heavy) * 3), to_timestamp(\(base) + \(heavy) * 3 + 10000))
            """,
            "SELECT setval('person_id_seq', \(heavy))",
            """
            INSERT INTO distinct_id (distinct_id, person_id, joined_at, how, event_count, first_seen, last_seen)
            SELECT CASE WHEN id = \(heavy) THEN 'heavy-user' ELSE 'user-' || id END, id, created_at, 'first_event',
                   event_count, first_seen, last_seen
            FROM person
            """,
            """
            INSERT INTO event (uuid, event, distinct_id, timestamp, properties)
            SELECT gen_random_uuid(), CASE WHEN n % 4 = 0 THEN 'signed_in' ELSE '$pageview' END, 'user-' || i,
                   to_timestamp(\(base) + i * 3 + n), '{"$current_url":"/docs"}'
            FROM generate_series(1, \(persons)) AS i, generate_series(0, \(eventsPerPerson - 1)) AS n
            """,
            """
            INSERT INTO event (uuid, event, distinct_id, timestamp, properties)
            SELECT gen_random_uuid(), '$pageview', 'heavy-user', to_timestamp(\(base) + \(heavy) * 3 + n), '{"$current_url":"/docs"}'
            FROM generate_series(0, 9999) AS n
            """,
            """
            INSERT INTO warning (type, created_at, event_uuid, distinct_ids, details, source)
            SELECT CASE WHEN n % 2 = 0 THEN 'cannot_merge_already_identified' ELSE 'cannot_merge_with_illegal_distinct_id' END,
                   to_timestamp(\(base) + n), gen_random_uuid(), jsonb_build_array('user-' || (n + 1), 'null'),
                   '{"event":"$identify"}', 'bench:' || n
            FROM generate_series(0, 999) AS n
            """,
        ] {
            try await connection.query(statement, logger: Logger(label: "bench"))
        }
        // The store keeps its counts as it writes (PostgresRowCounts); rows written around it are counted here.
        try await PostgresRowCounts.recount(on: connection, logger: Logger(label: "bench"))
        try await connection.query("ANALYZE", logger: Logger(label: "bench"))
        return persons * eventsPerPerson + 10_000
    }
}

/// Runs async work from the benchmark's synchronous code (the main thread, never a pool thread).
@discardableResult
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, any Error>!
    Task {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try result.get()
}

func blocking(_ body: @escaping @Sendable () async -> Void) {
    _ = try? blocking { () async throws -> Bool in await body(); return true }
}
