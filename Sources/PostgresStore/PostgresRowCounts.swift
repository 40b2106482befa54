import Logging
import PostgresNIO

/// How many persons, distinct IDs and events the store holds, kept as rows come and go.
///
/// The explorer's header shows the counts and asks again after every change it refreshes for;
/// `count(*)` over a million persons and five million events took most of an 888 ms first frame.
/// Each write-back adds one row of what it changed and the counts are the sums. Rows are only
/// inserted, so writers never wait for one another on a shared counter; every `foldEvery`th row
/// folds the rows written before it into one, so the sums stay short. `identikit check` compares
/// them with the rows.
public enum PostgresRowCounts {
    static let foldEvery: Int64 = 512

    /// Adds one write-back's changes (nothing when it changed no count).
    static func add(persons: Int, distinctIDs: Int, events: Int, on connection: PostgresConnection, logger: Logger) async throws {
        guard persons != 0 || distinctIDs != 0 || events != 0 else { return }
        let (p, d, e) = (Int64(persons), Int64(distinctIDs), Int64(events))
        var id: Int64 = 0
        for try await value in try await connection.query("""
            INSERT INTO row_count (persons, distinct_ids, events) VALUES (\(p), \(d), \(e)) RETURNING id
            """, logger: logger).decode(Int64.self) { id = value }
        guard id % foldEvery == 0 else { return }
        // Rows another writer has not committed yet are not seen, so not folded: they stay as they are.
        // A second fold at once waits for this one's rows and then skips them, as deleted.
        try await connection.query("""
            WITH gone AS (DELETE FROM row_count WHERE id <= \(id) RETURNING persons, distinct_ids, events)
            INSERT INTO row_count (persons, distinct_ids, events)
                SELECT coalesce(sum(persons), 0), coalesce(sum(distinct_ids), 0), coalesce(sum(events), 0) FROM gone
            """, logger: logger)
    }

    /// Sets the counts from the rows themselves: for writes that bypass the store (the benchmark's
    /// bulk SQL, an identikit from before schema 7). One statement, so one snapshot: a writer that
    /// commits meanwhile keeps its row and is not counted in the new one.
    public static func recount(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            WITH gone AS (DELETE FROM row_count)
            INSERT INTO row_count (persons, distinct_ids, events)
                SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM distinct_id), (SELECT count(*) FROM event)
            """, logger: logger)
    }
}

extension PostgresPersonStore {
    /// `identikit check --recount`.
    public func recountRows() async throws {
        do {
            try await client.withConnection { connection in try await PostgresRowCounts.recount(on: connection, logger: self.logger) }
        } catch {
            throw PostgresStoreError.describing(error, at: server, doing: "recounting")
        }
    }
}
