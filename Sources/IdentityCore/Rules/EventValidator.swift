import Foundation

/// An input that could not be ingested as an event, kept whole with the reason.
public struct InvalidEvent: Sendable, Equatable {
    public var type: WarningType
    public var reason: String
    /// The field at fault ("distinct_id", "event", "uuid"...), if one is.
    public var field: String?
    public var uuid: UUID
    public var distinctIDs: [String]
    public var raw: String
    public var location: InputLocation

    /// The warning this input becomes.
    public func warning(at time: Date) -> IngestionWarning {
        var details: [String: JSONValue] = ["reason": .string(reason)]
        if let field { details["field"] = .string(field) }
        return IngestionWarning(type: type, createdAt: time, eventUUID: uuid, distinctIDs: distinctIDs,
                                details: details, raw: EventValidator.withoutNUL(raw), source: location.description)
    }
}

public enum ValidatedInput: Sendable {
    case valid(Event)
    case invalid(InvalidEvent)
    /// A manual merge, undo or split from an `identikit export`, replayed in its place.
    case action(ReplayedAction)
}

/// Step 1 and 2 of the rules: validate one input event and normalize it.
public enum EventValidator {
    public static let maxDistinctIDLength = 400

    /// NUL becomes U+FFFD in text stored in its own column (event names, raw input), as in distinct
    /// IDs: SQLite's C string API would cut the text at the NUL and silently lose the rest.
    public static func withoutNUL(_ text: String) -> String { NULReplacement.text(text) }

    /// An input that is not even JSON (or not text): kept as an `invalid_event` warning.
    public static func unreadable(_ reason: String, raw: String, location: InputLocation) -> ValidatedInput {
        .invalid(InvalidEvent(type: .invalidEvent, reason: reason, field: nil, uuid: location.stableUUID(for: raw),
                              distinctIDs: [], raw: raw, location: location))
    }

    /// - Parameters:
    ///   - value: the parsed input.
    ///   - rawText: the input as received (the line), kept in warnings and used for stable uuids.
    public static func validate(_ value: JSONValue, rawText: String, location: InputLocation) -> ValidatedInput {
        func invalid(_ reason: String, field: String?, uuid: UUID? = nil, ids: [String] = [],
                     type: WarningType = .invalidEvent) -> ValidatedInput {
            .invalid(InvalidEvent(type: type, reason: reason, field: field,
                                  uuid: uuid ?? location.stableUUID(for: rawText),
                                  distinctIDs: ids, raw: rawText, location: location))
        }
        guard case .object(let object) = value else {
            return invalid("expected a JSON object for an event, got \(value.typeName)", field: nil)
        }
        if object[ReplayedAction.key] != nil {
            do {
                return .action(try ReplayedAction(object))
            } catch {
                return invalid("\(error)", field: ReplayedAction.key)
            }
        }

        let uuid: UUID
        switch object["uuid"] {
        case nil, .null?:
            uuid = location.stableUUID(for: rawText)
        case .string(let text)?:
            guard let parsed = UUID(text: text) else {
                return invalid("uuid is not a UUID: \(text.prefix(80))", field: "uuid")
            }
            uuid = parsed
        case let other?:
            return invalid("uuid must be a string, got \(other.typeName)", field: "uuid")
        }

        var properties: [String: JSONValue]
        switch object["properties"] {
        case nil, .null?: properties = [:]
        case .object(let props)?: properties = props
        case .string(let text)?:
            // PostHog's Parquet exports (and some JSON tools) carry properties as JSON-encoded text.
            guard let decoded = (try? JSONParser.parse(text))?.objectValue else {
                return invalid("properties must be an object, got string that is not a JSON-encoded object",
                               field: "properties", uuid: uuid)
            }
            properties = decoded
        case let other?:
            return invalid("properties must be an object, got \(other.typeName)", field: "properties", uuid: uuid)
        }

        // Browser SDKs put distinct_id inside properties; server SDKs at the top.
        let rawID = object["distinct_id"] ?? object["$distinct_id"] ?? properties["distinct_id"]
        var distinctID: String
        switch rawID {
        case .string(let text)?: distinctID = text
        case .int(let number)?: distinctID = String(number)
        case .double(let number)?: distinctID = JSONValue.decimalString(number)
        case nil, .null?:
            return invalid("missing distinct_id", field: "distinct_id", uuid: uuid)
        case let other?:
            return invalid("distinct_id must be a string or a number, got \(other.typeName)", field: "distinct_id", uuid: uuid)
        }
        distinctID = withoutNUL(distinctID)
        if distinctID.utf16.count > maxDistinctIDLength {
            return invalid("distinct_id is \(distinctID.utf16.count) characters long; the limit is \(maxDistinctIDLength)",
                           field: "distinct_id", uuid: uuid, ids: [String(distinctID.prefix(64)) + "…"],
                           type: .skippingEventInvalidDistinctID)
        }

        let name: String
        switch object["event"] {
        case .string(let text)? where !text.isEmpty: name = withoutNUL(text)
        case .string?: return invalid("event name is empty", field: "event", uuid: uuid, ids: [distinctID])
        case nil, .null?: return invalid("missing event name", field: "event", uuid: uuid, ids: [distinctID])
        case let other?:
            return invalid("event must be a string, got \(other.typeName)", field: "event", uuid: uuid, ids: [distinctID])
        }

        var timestamp: Date?
        var timestampText: String?
        if case .string(let text)? = object["timestamp"] {
            timestamp = Timestamp.parse(text)
            if timestamp != nil { timestampText = text }
        }

        // A `$set` or `$set_once` that is not an object counts as `{}` (the rules, step 2), and an
        // `$unset` that is neither a list nor an object removes nothing: the event is kept, and the
        // ignored part is named in a notice to whoever sent it (not a stored warning: the spec defines
        // the warnings, and this input has none). null counts as absent.
        var ignoredFields: [String] = []
        for key in ["$set", "$set_once"] {
            let topLevelValue = object[key], nestedValue = properties[key]
            let topLevel = topLevelValue?.objectValue
            let nested = nestedValue?.objectValue
            if let value = topLevelValue, topLevel == nil, !value.isNull { ignoredFields.append(key) }
            if let value = nestedValue, nested == nil, !value.isNull { ignoredFields.append("properties.\(key)") }
            if topLevel == nil, nested == nil {
                // Keep a bad value as received (moved under properties when it came top-level), so the
                // stored event shows it and replaying an export of it gives the same notice.
                if let value = topLevelValue, !value.isNull, nestedValue?.isNull ?? true {
                    properties[key] = value
                }
                continue
            }
            // On the same key the top-level value wins.
            properties[key] = .object((nested ?? [:]).merging(topLevel ?? [:]) { _, top in top })
        }
        switch properties["$unset"] {
        case nil, .null?, .array?, .object?: break
        default: ignoredFields.append("properties.$unset")
        }
        AutomaticProperties.lift(into: &properties)
        // Without a readable timestamp the engine stamps it with the ingestion time.
        if name == AutomaticProperties.surveyShown, let timestampText {
            AutomaticProperties.addSurveyLastSeen(timestampText, into: &properties)
        }
        if PersonlessDrop.applies(name: name, properties: properties) {
            var ids = [distinctID]
            if let source = MergeRequest(name: name, properties: properties)?.source { ids.append(source) }
            return invalid("\(name) sent with $process_person_profile false: a merge event cannot be personless; dropped",
                           field: "properties.$process_person_profile", uuid: uuid, ids: ids,
                           type: .invalidEventWhenProcessPersonProfileIsFalse)
        }

        var event = Event(uuid: uuid, name: name, distinctID: distinctID, timestamp: timestamp,
                          properties: properties, source: location.description, ignoredFields: ignoredFields)
        event.prepareForStorage()
        return .valid(event)
    }
}
