import Foundation
import IdentityCore
import PostgresNIO

/// Whole-store reads: every person with its distinct IDs, every warning, the counts.
extension PostgresPersonStore {
    /// Runs a read, turning connection and server errors into one clear line.
    func reading<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw PostgresStoreError.describing(error, at: server, doing: what)
        }
    }

    public func allPersons() async throws -> [(person: Person, distinctIDs: [String])] {
        try await reading("reading persons") {
            var persons: [Int64: Person] = [:]
            for try await row in try await client.query("SELECT \(unescaped: Self.personColumns) FROM person ORDER BY id")
                .decode((Int64, UUID, Double, Bool, String, String, Int64).self) {
                persons[row.0] = Self.person(row)
            }
            var ids: [Int64: [String]] = [:]
            for try await (id, person) in try await client.query("SELECT distinct_id, person_id FROM distinct_id ORDER BY distinct_id")
                .decode((String, Int64).self) {
                ids[person, default: []].append(id)
            }
            return persons.keys.sorted().map { (persons[$0]!, ids[$0] ?? []) }
        }
    }

    public func allWarnings() async throws -> [IngestionWarning] {
        try await reading("reading warnings") {
            var warnings: [IngestionWarning] = []
            let rows = try await client.query("""
                SELECT id, type, extract(epoch FROM created_at)::float8, event_uuid, distinct_ids::text, details::text, raw, source
                FROM warning ORDER BY id
                """)
            for try await row in rows.decode((Int64, String, Double, UUID?, String, String, String?, String?).self) {
                warnings.append(IngestionWarning(
                    id: row.0, type: WarningType(rawValue: row.1) ?? .invalidEvent, createdAt: Date(timeIntervalSince1970: row.2),
                    eventUUID: row.3, distinctIDs: ((try? JSONParser.parse(row.4.utf8))?.arrayValue ?? []).compactMap(\.stringValue),
                    details: (try? JSONParser.parse(row.5.utf8))?.objectValue ?? [:], raw: row.6, source: row.7))
            }
            return warnings
        }
    }

    public func eventCount() async throws -> Int {
        try await reading("counting events") {
            var count = 0
            for try await value in try await client.query("SELECT count(*) FROM event").decode(Int64.self) { count = Int(value) }
            return count
        }
    }
}
