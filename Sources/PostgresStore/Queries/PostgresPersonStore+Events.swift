import Foundation
import IdentityCore
import Logging
import PostgresNIO
import Store

extension PostgresPersonStore {
    /// Event properties are `json`: as text they are what the SDK sent, parsed here.
    static let eventColumns = """
        seq, uuid, event, distinct_id, extract(epoch FROM timestamp)::float8, properties::text, source, effect::text, duplicates
        """

    typealias EventRow = (Int64, UUID, String, String, Double?, String, String?, String?, Int32)

    static func event(_ row: EventRow) -> StoredEvent {
        StoredEvent(seq: row.0, uuid: row.1, name: row.2, distinctID: row.3, timestamp: row.4.map(Date.init(timeIntervalSince1970:)),
                    properties: (try? JSONParser.parse(row.5.utf8))?.objectValue ?? [:], source: row.6,
                    effect: EventEffect(stored: row.7), duplicates: Int(row.8))
    }

    /// Events after `seq`, oldest first; a person's through each of its IDs' (distinct_id, seq) index.
    public func events(after seq: Int64, distinctID: String?, personID: Int64?, limit: Int) async throws -> [StoredEvent] {
        if let personID {
            return try await events("reading a person's new events", """
                SELECT \(unescaped: Self.eventColumns)
                FROM (SELECT distinct_id AS owned FROM distinct_id WHERE person_id = \(personID)) AS ids CROSS JOIN LATERAL (
                    SELECT * FROM event WHERE event.distinct_id = ids.owned AND event.seq > \(seq) ORDER BY event.seq LIMIT \(limit)
                ) AS event
                ORDER BY seq LIMIT \(limit)
                """)
        }
        if let distinctID {
            return try await events("reading new events", """
                SELECT \(unescaped: Self.eventColumns) FROM event WHERE distinct_id = \(distinctID) AND seq > \(seq)
                ORDER BY seq LIMIT \(limit)
                """)
        }
        return try await events("reading new events", """
            SELECT \(unescaped: Self.eventColumns) FROM event WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)
            """)
    }

    private func events(_ what: String, _ query: PostgresQuery) async throws -> [StoredEvent] {
        try await reading(what) {
            var events: [StoredEvent] = []
            for try await row in try await client.query(query, logger: logger).decode(EventRow.self) { events.append(Self.event(row)) }
            return events
        }
    }

    /// Events newest first, all of them or one distinct ID's (over its (distinct_id, seq) index), before `seq`.
    public func events(distinctID: String?, before seq: Int64?, limit: Int) async throws -> [StoredEvent] {
        let before = seq ?? Int64.max
        if let distinctID {
            return try await events("reading events", """
                SELECT \(unescaped: Self.eventColumns) FROM event WHERE distinct_id = \(distinctID) AND seq < \(before)
                ORDER BY seq DESC LIMIT \(limit)
                """)
        }
        return try await events("reading events", """
            SELECT \(unescaped: Self.eventColumns) FROM event WHERE seq < \(before) ORDER BY seq DESC LIMIT \(limit)
            """)
    }

    /// A person's timeline, newest first: each of its IDs' newest events through the
    /// (distinct_id, seq) index, merged, so a page costs O(page × IDs) however many events it has.
    public func events(personID: Int64, before seq: Int64?, limit: Int) async throws -> [StoredEvent] {
        let before = seq ?? Int64.max
        return try await events("reading a person's events", """
            SELECT \(unescaped: Self.eventColumns)
            FROM (SELECT distinct_id AS owned FROM distinct_id WHERE person_id = \(personID)) AS ids CROSS JOIN LATERAL (
                SELECT * FROM event WHERE event.distinct_id = ids.owned AND event.seq < \(before) ORDER BY event.seq DESC LIMIT \(limit)
            ) AS event
            ORDER BY seq DESC LIMIT \(limit)
            """)
    }

    /// One event by uuid, for the full-JSON view.
    public func event(uuid: UUID) async throws -> StoredEvent? {
        try await events("reading an event", "SELECT \(unescaped: Self.eventColumns) FROM event WHERE uuid = \(uuid)").first
    }
}
