import Foundation
import IdentityCore
import SQLiteStore

/// The JSON documents the command line prints. Field names are part of identikit's interface.
enum JSONShapes {
    static func person(_ person: Person, distinctIDs: [String]) -> JSONValue {
        .object([
            "id": .string(person.uuid.lowercased),
            "distinct_ids": .array(distinctIDs.map(JSONValue.string)),
            "is_identified": .bool(person.isIdentified),
            "properties": .object(person.properties),
            "created_at": .string(Timestamp.format(person.createdAt)),
            "version": .int(person.version),
        ])
    }

    static func warning(_ warning: IngestionWarning) -> JSONValue {
        .object([
            "id": warning.id.map(JSONValue.int) ?? .null,
            "type": .string(warning.type.rawValue),
            "created_at": .string(Timestamp.format(warning.createdAt)),
            "event_uuid": warning.eventUUID.map { .string($0.lowercased) } ?? .null,
            "distinct_ids": .array(warning.distinctIDs.map(JSONValue.string)),
            "details": .object(warning.details),
            "source": warning.source.map(JSONValue.string) ?? .null,
            // The input as received, for events that were not ingested: nothing sent is lost.
            "raw": warning.raw.map(JSONValue.string) ?? .null,
        ])
    }

    static func event(_ event: StoredEvent) -> JSONValue {
        .object([
            "seq": .int(event.seq),
            "uuid": .string(event.uuid.lowercased),
            "event": .string(event.name),
            "distinct_id": .string(event.distinctID),
            "timestamp": event.timestamp.map { .string(Timestamp.format($0)) } ?? .null,
            "properties": .object(event.properties),
            "source": event.source.map(JSONValue.string) ?? .null,
            // What it did to identity; null for events stored before effects were recorded.
            "effect": event.effect?.jsonValue ?? .null,
            "duplicates": .int(Int64(event.duplicates)),
        ])
    }

    static func action(_ action: ActionRecord) -> JSONValue {
        .object([
            "id": action.id.map(JSONValue.int) ?? .null,
            "kind": .string(action.kind.rawValue),
            "at": .string(Timestamp.format(action.at)),
            "event_uuid": action.eventUUID.map { .string($0.lowercased) } ?? .null,
            "target_person": action.targetUUID.map { .string($0.lowercased) } ?? .null,
            "source_person": action.sourceUUID.map { .string($0.lowercased) } ?? .null,
            "distinct_ids": .array(action.distinctIDs.map(JSONValue.string)),
            "undone_by": action.undoneBy.map(JSONValue.int) ?? .null,
        ])
    }

    /// One line of `person --history`: `reason` only when not applied, `action_id` only for merges.
    static func propertyWrite(_ write: PropertyWrite) -> JSONValue {
        var object: [String: JSONValue] = [
            "at": write.at.map { .string(Timestamp.format($0)) } ?? .null,
            "event": .string(write.event),
            "event_uuid": write.eventUUID.map { .string($0.lowercased) } ?? .null,
            "op": .string(write.operation.rawValue),
            "value": write.value ?? .null,
            "applied": .bool(write.applied),
        ]
        if let reason = write.reason { object["reason"] = .string(reason.rawValue) }
        if let actionID = write.actionID { object["action_id"] = .int(actionID) }
        if let distinctID = write.distinctID { object["distinct_id"] = .string(distinctID) }
        return .object(object)
    }

    /// One line of `identikit suspects --json`: the person (or the email) and what makes it suspect.
    static func suspect(_ suspect: Suspect) -> JSONValue {
        .object([
            "kind": .string(suspect.kind.rawValue),
            "person": suspect.person.map { .string($0.uuid.lowercased) } ?? .null,
            "display_name": suspect.person.map { .string($0.displayName) } ?? .null,
            "distinct_id": suspect.distinctID.map(JSONValue.string) ?? .null,
            "email": suspect.email.map(JSONValue.string) ?? .null,
            "count": .int(Int64(suspect.count)),
        ])
    }

    static func distinctID(_ record: DistinctIDRecord) -> JSONValue {
        .object([
            "distinct_id": .string(record.distinctID),
            "joined_at": .string(Timestamp.format(record.joinedAt)),
            "how": .string(record.how.rawValue),
            "event_uuid": record.eventUUID.map { .string($0.lowercased) } ?? .null,
            "action_id": record.actionID.map(JSONValue.int) ?? .null,
        ])
    }

    /// Per key: what last wrote it and, when the churn filter skipped a newer value, that write.
    static func provenance(of person: Person) -> JSONValue {
        var object = person.provenance.mapValues(provenance)
        for (key, skipped) in person.skippedWrites {
            var entry = object[key]?.objectValue ?? [:]
            entry["skipped"] = .object([
                "value": skipped.value,
                "reason": .string(skipped.reason.shown.rawValue),
                "event": .string(skipped.source.event),
                "event_uuid": skipped.source.eventUUID.map { .string($0.lowercased) } ?? .null,
                "at": .string(Timestamp.format(skipped.source.at)),
            ])
            object[key] = .object(entry)
        }
        return .object(object)
    }

    static func provenance(_ source: PropertySource) -> JSONValue {
        .object([
            "operation": .string(source.operation.rawValue),
            "event": .string(source.event),
            "event_uuid": source.eventUUID.map { .string($0.lowercased) } ?? .null,
            "at": .string(Timestamp.format(source.at)),
        ])
    }

    static func link(_ link: Link) -> JSONValue {
        .object([
            "a": .string(link.a),
            "b": .string(link.b),
            "how": .string(link.kind.rawValue),
            "event_uuid": link.eventUUID.map { .string($0.lowercased) } ?? .null,
            "action_id": link.actionID.map(JSONValue.int) ?? .null,
            "at": .string(Timestamp.format(link.at)),
        ])
    }
}

/// Short human forms for tables.
enum Human {
    /// "1 file", "3 files".
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        // Seconds are enough in a table (the JSON keeps milliseconds).
        let text = Timestamp.format(date).replacingOccurrences(of: "T", with: " ")
        guard let dot = text.lastIndex(of: ".") else { return text }
        return String(text[..<dot]) + "Z"
    }

    /// One step of a why-linked chain: `"a" ↔ "b"  by $identify event … at …`.
    static func link(_ link: Link) -> String {
        var how = link.kind.rawValue
        if let event = link.eventUUID { how += " event \(event.lowercased)" }
        if let action = link.actionID { how += " (action \(action))" }
        return "\(Escaping.quoted(link.a)) ↔ \(Escaping.quoted(link.b))  by \(how) at \(time(link.at))"
    }

    /// A JSON value on one line: strings bare, everything else as compact JSON.
    static func value(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return JSONCoding.string(value)
    }
}
