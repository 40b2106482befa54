import Foundation

// The stored forms of merge records, written straight to bytes: a merge snapshots two whole
// persons, and building them as values first (or with Foundation's encoder) made these records
// the costliest write of an ingest.

extension ActionDetails {
    /// The stored form: JSON text with sorted keys.
    public var jsonText: String {
        var json = JSONBytes(capacity: 2048)
        write(to: &json)
        return json.string
    }

    func write(to json: inout JSONBytes) {
        json.beginObject()
        json.key("created_persons")
        json.beginArray()
        for uuid in createdPersons { json.uuid(uuid) }
        json.endArray()
        if let group {
            json.key("group")
            json.int(group)
        }
        if !groupMembers.isEmpty {
            json.key("group_members")
            json.beginArray()
            for id in groupMembers { json.int(id) }
            json.endArray()
        }
        json.key("kept_keys")
        json.beginArray()
        for key in keptKeys { json.string(key) }
        json.endArray()
        json.key("moved_ids")
        json.beginArray()
        for record in movedIDs { record.write(to: &json) }
        json.endArray()
        if let sourceBefore {
            json.key("source_before")
            sourceBefore.write(to: &json)
        }
        if let targetAfterMerge {
            json.key("target_after_merge")
            json.value(.object(targetAfterMerge))
        }
        if let targetBefore {
            json.key("target_before")
            targetBefore.write(to: &json)
        }
        if let undoes {
            json.key("undoes")
            json.int(undoes)
        }
        json.endObject()
    }

    public init(json: JSONValue) {
        self.init(
            sourceBefore: json["source_before"].flatMap(PersonSnapshot.init(json:)),
            targetBefore: json["target_before"].flatMap(PersonSnapshot.init(json:)),
            targetAfterMerge: json["target_after_merge"]?.objectValue,
            movedIDs: (json["moved_ids"]?.arrayValue ?? []).compactMap(DistinctIDRecord.init(json:)),
            undoes: json["undoes"].flatMap { if case .int(let id) = $0 { id } else { nil } },
            keptKeys: (json["kept_keys"]?.arrayValue ?? []).compactMap(\.stringValue),
            createdPersons: (json["created_persons"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(UUID.init(text:)) },
            groupMembers: (json["group_members"]?.arrayValue ?? []).compactMap { if case .int(let id) = $0 { id } else { nil } },
            group: json["group"].flatMap { if case .int(let id) = $0 { id } else { nil } })
    }
}

extension PersonSnapshot {
    func write(to json: inout JSONBytes) {
        json.beginObject()
        json.key("created_at")
        json.double(createdAt.timeIntervalSince1970)
        json.key("is_identified")
        json.bool(isIdentified)
        json.key("properties")
        json.value(.object(properties))
        json.key("provenance")
        json.raw { ProvenanceCoding.write(provenance, skipped: skippedWrites, into: &$0) }
        json.key("uuid")
        json.uuid(uuid)
        json.key("version")
        json.int(version)
        json.endObject()
    }

    public init?(json: JSONValue) {
        guard let uuid = json["uuid"]?.stringValue.flatMap(UUID.init(text:)), let created = json["created_at"]?.seconds,
              case .bool(let identified)? = json["is_identified"], case .int(let version)? = json["version"] else { return nil }
        let provenance = ProvenanceCoding.decodeAll(json["provenance"] ?? .null)
        self.init(Person(uuid: uuid, createdAt: Date(timeIntervalSince1970: created), isIdentified: identified,
                         properties: json["properties"]?.objectValue ?? [:], provenance: provenance.sources,
                         skippedWrites: provenance.skipped, version: version))
    }
}

extension DistinctIDRecord {
    func write(to json: inout JSONBytes) {
        json.beginObject()
        json.key("action_id")
        if let actionID { json.int(actionID) } else { json.null() }
        json.key("distinct_id")
        json.string(distinctID)
        json.key("event_uuid")
        json.uuid(eventUUID)
        json.key("how")
        json.string(how.rawValue)
        json.key("joined_at")
        json.double(joinedAt.timeIntervalSince1970)
        json.key("person_id")
        json.int(personID)
        json.endObject()
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
