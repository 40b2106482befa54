import Foundation

// The stored forms of merge records, written without `Codable`: a merge snapshots two whole
// persons, and Foundation's encoder made those records the costliest write of an ingest.

extension ActionDetails {
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "moved_ids": .array(movedIDs.map(\.jsonValue)),
            "kept_keys": .array(keptKeys.map(JSONValue.string)),
            "created_persons": .array(createdPersons.map { .string($0.lowercased) }),
        ]
        if let sourceBefore { object["source_before"] = sourceBefore.jsonValue }
        if let targetBefore { object["target_before"] = targetBefore.jsonValue }
        if let targetAfterMerge { object["target_after_merge"] = .object(targetAfterMerge) }
        if let undoes { object["undoes"] = .int(undoes) }
        return .object(object)
    }

    public init(json: JSONValue) {
        self.init(
            sourceBefore: json["source_before"].flatMap(PersonSnapshot.init(json:)),
            targetBefore: json["target_before"].flatMap(PersonSnapshot.init(json:)),
            targetAfterMerge: json["target_after_merge"]?.objectValue,
            movedIDs: (json["moved_ids"]?.arrayValue ?? []).compactMap(DistinctIDRecord.init(json:)),
            undoes: json["undoes"].flatMap { if case .int(let id) = $0 { id } else { nil } },
            keptKeys: (json["kept_keys"]?.arrayValue ?? []).compactMap(\.stringValue),
            createdPersons: (json["created_persons"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(UUID.init(text:)) })
    }
}

extension PersonSnapshot {
    public var jsonValue: JSONValue {
        .object([
            "uuid": .string(uuid.lowercased), "created_at": .double(createdAt.timeIntervalSince1970),
            "is_identified": .bool(isIdentified), "properties": .object(properties),
            "provenance": ProvenanceCoding.encode(provenance), "version": .int(version),
        ])
    }

    public init?(json: JSONValue) {
        guard let uuid = json["uuid"]?.stringValue.flatMap(UUID.init(text:)), let created = json["created_at"]?.seconds,
              case .bool(let identified)? = json["is_identified"], case .int(let version)? = json["version"] else { return nil }
        self.init(Person(uuid: uuid, createdAt: Date(timeIntervalSince1970: created), isIdentified: identified,
                         properties: json["properties"]?.objectValue ?? [:],
                         provenance: ProvenanceCoding.decode(json["provenance"] ?? .null),
                         version: version))
    }
}

extension DistinctIDRecord {
    public var jsonValue: JSONValue {
        .object([
            "distinct_id": .string(distinctID), "person_id": .int(personID), "joined_at": .double(joinedAt.timeIntervalSince1970),
            "how": .string(how.rawValue), "event_uuid": eventUUID.map { .string($0.lowercased) } ?? .null,
            "action_id": actionID.map(JSONValue.int) ?? .null,
        ])
    }

    public init?(json: JSONValue) {
        guard let id = json["distinct_id"]?.stringValue, case .int(let person)? = json["person_id"],
              let joined = json["joined_at"]?.seconds, let how = json["how"]?.stringValue.flatMap(JoinKind.init(rawValue:)) else {
            return nil
        }
        self.init(distinctID: id, personID: person, joinedAt: Date(timeIntervalSince1970: joined), how: how,
                  eventUUID: json["event_uuid"]?.stringValue.flatMap(UUID.init(text:)),
                  actionID: json["action_id"].flatMap { if case .int(let value) = $0 { value } else { nil } })
    }
}

extension JSONValue {
    /// A number as seconds, whether written as an integer or not.
    var seconds: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}
