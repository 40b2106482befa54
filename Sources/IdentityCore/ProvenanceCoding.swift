import Foundation

/// The stored form of a person's provenance: one entry per event that wrote properties, naming
/// the keys it wrote, rather than the event repeated on every key. A person written by a few
/// events stores about a third of the bytes, and every batch that touches a person rewrites it.
///
///     [{"at": 1790005572.0, "event": "$pageview", "event_uuid": "a369…", "set": ["$browser"], "set_once": ["$initial_os"]}]
///
/// Stores written before this form keep an object of per-key entries; `decode` reads both.
public enum ProvenanceCoding {
    public static func encode(_ provenance: [String: PropertySource]) -> JSONValue {
        var entries: [Origin: (set: [String], setOnce: [String])] = [:]
        for (key, source) in provenance {
            let origin = Origin(source)
            switch source.operation {
            case .set: entries[origin, default: ([], [])].set.append(key)
            case .setOnce: entries[origin, default: ([], [])].setOnce.append(key)
            }
        }
        // Sorted, so one person always stores the same text.
        let rows = entries.map { (origin: $0.key, keys: $0.value, uuid: $0.key.eventUUID?.lowercased) }
            .sorted { ($0.origin.at, $0.uuid ?? "", $0.origin.event) < ($1.origin.at, $1.uuid ?? "", $1.origin.event) }
        return .array(rows.map { row in
            var entry: [String: JSONValue] = [
                "at": .double(row.origin.at), "event": .string(row.origin.event),
                "event_uuid": row.uuid.map(JSONValue.string) ?? .null,
            ]
            if !row.keys.set.isEmpty { entry["set"] = .array(row.keys.set.sorted().map(JSONValue.string)) }
            if !row.keys.setOnce.isEmpty { entry["set_once"] = .array(row.keys.setOnce.sorted().map(JSONValue.string)) }
            return .object(entry)
        })
    }

    public static func decode(_ json: JSONValue) -> [String: PropertySource] {
        switch json {
        case .array(let entries): decodeEntries(entries)
        case .object(let perKey): perKey.compactMapValues(PropertySource.init(json:))
        default: [:]
        }
    }

    private static func decodeEntries(_ entries: [JSONValue]) -> [String: PropertySource] {
        var provenance: [String: PropertySource] = [:]
        for case .object(let entry) in entries {
            guard let event = entry["event"]?.stringValue, let at = entry["at"]?.seconds else { continue }
            let eventUUID = entry["event_uuid"]?.stringValue.flatMap(UUID.init(text:))
            for operation in [PropertySource.Operation.setOnce, .set] {
                let source = PropertySource(eventUUID: eventUUID, event: event, operation: operation,
                                            at: Date(timeIntervalSince1970: at))
                for case .string(let key) in entry[operation == .set ? "set" : "set_once"]?.arrayValue ?? [] {
                    provenance[key] = source
                }
            }
        }
        return provenance
    }

    /// One writing event: what provenance entries share.
    private struct Origin: Hashable {
        var eventUUID: UUID?
        var event: String
        var at: Double

        init(_ source: PropertySource) {
            eventUUID = source.eventUUID
            event = source.event
            at = source.at.timeIntervalSince1970
        }
    }
}
