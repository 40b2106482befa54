import Foundation
import GRDB
import IdentityCore
import SQLiteStore
import ScenarioSupport

/// A real SQLite file in a fresh temporary directory, removed when the test ends.
final class TemporaryStore {
    let directory: URL
    let store: SQLitePersonStore
    var path: String { store.path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("identikit-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLitePersonStore(path: directory.appendingPathComponent("store.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func file(_ name: String, _ contents: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The store's state in the scenarios' terms.
    func outcome() throws -> Outcome {
        try store.read { db in
            let ids = try Row.fetchAll(db, sql: "SELECT person_id, distinct_id FROM distinct_id")
            var idsByPerson: [Int64: [String]] = [:]
            for row in ids { idsByPerson[row[0], default: []].append(row[1]) }
            let persons = try Row.fetchAll(db, sql: "SELECT id, properties, is_identified FROM person").map { row in
                ComparablePerson(distinctIDs: idsByPerson[row[0]] ?? [],
                                 properties: (try? JSONCoding.parse(Data((row[1] as String).utf8)))?.objectValue ?? [:],
                                 isIdentified: row[2])
            }
            let types = try String.fetchAll(db, sql: "SELECT type FROM warning")
            let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0
            return Outcome(persons: persons, warningTypes: types, eventCount: events)
        }
    }
}
