import Foundation
import IdentityCore
import PostgresStore
import ScenarioSupport
import TestSupport

/// A fresh PostgreSQL store on the shared test cluster, and its state in the scenarios' terms.
enum PostgresTestStore {
    static func make() async throws -> PostgresPersonStore {
        try await PostgresPersonStore.open(try PostgresLocation(url: try TemporaryStore.postgres().location))
    }

    static func outcome(_ store: PostgresPersonStore) async throws -> Outcome {
        let persons = try await store.allPersons().map { entry in
            ComparablePerson(distinctIDs: entry.distinctIDs, properties: entry.person.properties, isIdentified: entry.person.isIdentified)
        }
        return Outcome(persons: persons, warningTypes: try await store.allWarnings().map(\.type.rawValue),
                       eventCount: try await store.eventCount())
    }
}
