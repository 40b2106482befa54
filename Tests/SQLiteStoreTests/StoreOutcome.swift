import Foundation
import GRDB
import IdentityCore
import SQLiteStore
import ScenarioSupport

extension SQLitePersonStore {
    /// The store's state in the scenarios' terms.
    func outcome() throws -> Outcome {
        try read { db in
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
