import Foundation
import GRDB
import IdentityCore
import Store

/// Column lists and row conversions for each table, kept in one place so queries and the storage agree.
enum PersonColumns {
    static let select = "id, uuid, created_at, is_identified, properties, provenance, version"

    static func person(_ row: Row) -> Person {
        let provenance = ProvenanceCoding.decodeAll((try? JSONParser.parse((row[5] as String).utf8)) ?? .null)
        return Person(rowID: row[0], uuid: UUID(text: row[1]) ?? UUID(), createdAt: Date(timeIntervalSince1970: row[2]),
                      isIdentified: row[3], properties: decodeObject(row[4]), provenance: provenance.sources,
                      skippedWrites: provenance.skipped, version: row[6])
    }

    /// The indexed columns a person row keeps besides its id.
    struct Keys: Equatable {
        var uuid: UUID
        var createdAt: Double
        var email: String?
        var name: String?

        init(uuid: UUID, createdAt: Double, email: String? = nil, name: String? = nil) {
            self.uuid = uuid
            self.createdAt = createdAt
            self.email = email
            self.name = name
        }

        init(_ person: Person) {
            self.init(uuid: person.uuid, createdAt: person.createdAt.timeIntervalSince1970,
                      email: PersonColumns.searchable(person.properties["email"]), name: PersonColumns.searchable(person.properties["name"]))
        }
    }

    /// The stored JSON of a person's properties and provenance.
    typealias Texts = (properties: String, provenance: String)

    /// Serializes persons for a write-back, on two threads when there are many: it is pure work,
    /// and the store's writer thread is what limits an ingest (the other core decodes input and
    /// has time to spare).
    static func texts(_ persons: [Person]) -> [Texts] {
        @Sendable func texts(_ person: Person) -> Texts {
            (JSONWriter.string(.object(person.properties)), ProvenanceCoding.string(person))
        }
        guard persons.count >= 64 else { return persons.map(texts) }
        var results = [Texts](repeating: ("", ""), count: persons.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each index is written by exactly one of the two workers.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                for index in stride(from: part, to: persons.count, by: 2) { out[index] = texts(persons[index]) }
            }
        }
        return results
    }

    /// Binds ?1 to ?8 of a person UPDATE: uuid, created_at, is_identified, properties, provenance,
    /// version, email, name.
    static func bind(_ person: Person, _ keys: Keys, _ texts: Texts, to statement: HotStatement) {
        statement.bind(1, person.uuid.lowercased)
        statement.bind(2, keys.createdAt)
        statement.bind(3, person.isIdentified)
        statement.bind(4, texts.properties)
        statement.bind(5, texts.provenance)
        statement.bind(6, person.version)
        statement.bind(7, keys.email)
        statement.bind(8, keys.name)
    }

    /// Only strings are searchable; an object in `email` is not an address.
    private static func searchable(_ value: JSONValue?) -> String? { SearchCopy.text(of: value) }
}

enum DistinctIDColumns {
    static let select = "distinct_id, person_id, joined_at, how, event_uuid, action_id"

    static func record(_ row: Row) -> DistinctIDRecord {
        DistinctIDRecord(distinctID: row[0], personID: row[1], joinedAt: Date(timeIntervalSince1970: row[2]),
                         how: JoinKind(rawValue: row[3]) ?? .merge,
                         eventUUID: (row[4] as String?).flatMap(UUID.init(text:)), actionID: row[5])
    }
}

enum ActionColumns {
    static let select = "id, kind, event_uuid, at, target_uuid, source_uuid, distinct_ids, details, undone_by"

    static func record(_ row: Row) -> ActionRecord {
        ActionRecord(id: row[0], kind: ActionKind(rawValue: row[1]) ?? .manualMerge,
                     eventUUID: (row[2] as String?).flatMap(UUID.init(text:)),
                     at: Date(timeIntervalSince1970: row[3]),
                     targetUUID: (row[4] as String?).flatMap(UUID.init(text:)),
                     sourceUUID: (row[5] as String?).flatMap(UUID.init(text:)),
                     distinctIDs: stringArray(row[6]),
                     details: ActionDetails(json: (try? JSONParser.parse((row[7] as String).utf8)) ?? .null),
                     undoneBy: row[8])
    }

    /// Binds kind, event_uuid, at, target_uuid, source_uuid, distinct_ids, details and undone_by
    /// at parameters 1 to 8.
    static func bind(_ action: ActionRecord, to statement: HotStatement) {
        statement.bind(1, action.kind.rawValue)
        statement.bind(2, action.eventUUID?.lowercased)
        statement.bind(3, action.at.timeIntervalSince1970)
        statement.bind(4, action.targetUUID?.lowercased)
        statement.bind(5, action.sourceUUID?.lowercased)
        statement.bind(6, JSONCoding.string(JSONValue.array(action.distinctIDs.map(JSONValue.string))))
        statement.bind(7, action.details.jsonText)
        statement.bind(8, action.undoneBy)
    }
}

enum WarningColumns {
    static let select = "id, type, created_at, event_uuid, distinct_ids, details, raw, source"

    static func warning(_ row: Row) -> IngestionWarning {
        IngestionWarning(id: row[0], type: WarningType(rawValue: row[1]) ?? .invalidEvent,
                         createdAt: Date(timeIntervalSince1970: row[2]),
                         eventUUID: (row[3] as String?).flatMap(UUID.init(text:)),
                         distinctIDs: stringArray(row[4]),
                         details: decodeObject(row[5]), raw: row[6], source: row[7])
    }
}

/// Decodes a JSON object column; the store only ever writes objects there.
func decodeObject(_ text: String) -> [String: JSONValue] {
    (try? JSONParser.parse(text.utf8))?.objectValue ?? [:]
}

/// Decodes a JSON array of strings column.
func stringArray(_ text: String) -> [String] {
    ((try? JSONParser.parse(text.utf8))?.arrayValue ?? []).compactMap(\.stringValue)
}
