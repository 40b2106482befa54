import Foundation

/// The stored form of a person's provenance: one entry per event that wrote properties, naming
/// the keys it wrote, rather than the event repeated on every key. A person written by a few
/// events stores about a third of the bytes, and every batch that touches a person rewrites it.
///
///     [{"at": 1790005572.0, "event": "$pageview", "event_uuid": "a369…", "set": ["$browser"], "set_once": ["$initial_os"]}]
///
/// Writes the churn filter skipped follow, one entry per event (and reason) with the values:
///
///     {"at": 1790005580.0, "event": "$pageview", "event_uuid": "b1c2…", "reason": "filtered", "skipped": {"$current_url": "/new", "$os": "Linux"}}
///
/// Stores written before this form keep an object of per-key entries, or one skipped entry per key;
/// `decode` reads all three.
public enum ProvenanceCoding {
    public static func string(_ provenance: [String: PropertySource], skipped: [String: SkippedWrite] = [:]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 + provenance.count * 24)
        write(provenance, skipped: skipped, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The stored provenance of a person.
    public static func string(_ person: Person) -> String {
        string(person.provenance, skipped: person.skippedWrites)
    }

    /// Writes the compact form straight to bytes: sorting the keys by the event that wrote them puts
    /// each event's keys side by side, so one pass writes the entries (no intermediate values).
    /// Entries are ordered by time, then event uuid, then event name; keys by name: one person
    /// always stores the same text.
    public static func write(_ provenance: [String: PropertySource], skipped: [String: SkippedWrite] = [:],
                             into out: inout [UInt8]) {
        let items = provenance.sorted { a, b in
            let (x, y) = (a.value, b.value)
            if let order = originPrecedes(x, y) { return order }
            if x.operation != y.operation { return x.operation == .set }
            return a.key < b.key
        }
        out.append(UInt8(ascii: "["))
        var index = 0
        while index < items.count {
            let origin = items[index].value
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeOrigin(origin, into: &out)
            for (operation, name) in [(PropertySource.Operation.set, #","set":["#), (.setOnce, #","set_once":["#)] {
                guard index < items.count, items[index].value.operation == operation,
                      sameOrigin(items[index].value, origin) else { continue }
                out.append(contentsOf: name.utf8)
                JSONWriter.writeString(items[index].key, into: &out)
                index += 1
                while index < items.count, items[index].value.operation == operation, sameOrigin(items[index].value, origin) {
                    out.append(UInt8(ascii: ","))
                    JSONWriter.writeString(items[index].key, into: &out)
                    index += 1
                }
                out.append(UInt8(ascii: "]"))
            }
            out.append(UInt8(ascii: "}"))
        }
        // Skipped writes grouped like the sources: one entry per event and reason, its keys side by side.
        let skips = skipped.sorted { a, b in
            let (x, y) = (a.value, b.value)
            if let order = originPrecedes(x.source, y.source) { return order }
            if x.reason != y.reason { return x.reason.rawValue < y.reason.rawValue }
            return a.key < b.key
        }
        var next = 0
        while next < skips.count {
            let first = skips[next].value
            if next > 0 || !items.isEmpty { out.append(UInt8(ascii: ",")) }
            writeOrigin(first.source, into: &out)
            out.append(contentsOf: #","reason":"#.utf8)
            JSONWriter.writeString(first.reason.rawValue, into: &out)
            out.append(contentsOf: #","skipped":{"#.utf8)
            var separator = false
            while next < skips.count, skips[next].value.reason == first.reason, sameOrigin(skips[next].value.source, first.source) {
                if separator { out.append(UInt8(ascii: ",")) }
                separator = true
                JSONWriter.writeString(skips[next].key, into: &out)
                out.append(UInt8(ascii: ":"))
                JSONWriter.write(skips[next].value.value, into: &out)
                next += 1
            }
            out.append(contentsOf: "}}".utf8)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `{"at":…,"event":…,"event_uuid":…` of an entry, left open.
    private static func writeOrigin(_ origin: PropertySource, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"at":"#.utf8)
        JSONWriter.writeDouble(origin.at.timeIntervalSince1970, into: &out)
        out.append(contentsOf: #","event":"#.utf8)
        JSONWriter.writeString(origin.event, into: &out)
        out.append(contentsOf: #","event_uuid":"#.utf8)
        if let uuid = origin.eventUUID {
            out.append(UInt8(ascii: "\""))
            uuid.appendLowercased(to: &out)
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: "null".utf8)
        }
    }

    public static func decode(_ json: JSONValue) -> [String: PropertySource] {
        decodeAll(json).sources
    }

    /// The sources and the skipped writes of a stored provenance.
    public static func decodeAll(_ json: JSONValue) -> (sources: [String: PropertySource], skipped: [String: SkippedWrite]) {
        switch json {
        case .array(let entries): decodeEntries(entries)
        case .object(let perKey): (perKey.compactMapValues(PropertySource.init(json:)), [:])
        default: ([:], [:])
        }
    }

    private static func decodeEntries(_ entries: [JSONValue]) -> (sources: [String: PropertySource], skipped: [String: SkippedWrite]) {
        var provenance: [String: PropertySource] = [:]
        var skipped: [String: SkippedWrite] = [:]
        for case .object(let entry) in entries {
            guard let event = entry["event"]?.stringValue, let at = entry["at"]?.seconds else { continue }
            let eventUUID = entry["event_uuid"]?.stringValue.flatMap(UUID.init(text:))
            if case .object(let values)? = entry["skipped"] {
                let reason = entry["reason"]?.stringValue.flatMap(SkippedWrite.Reason.init(rawValue:)) ?? .filtered
                let source = PropertySource(eventUUID: eventUUID, event: event, operation: .set, at: Date(timeIntervalSince1970: at))
                for (key, value) in values { skipped[key] = SkippedWrite(value: value, source: source, reason: reason) }
                continue
            }
            for operation in [PropertySource.Operation.setOnce, .set] {
                let source = PropertySource(eventUUID: eventUUID, event: event, operation: operation,
                                            at: Date(timeIntervalSince1970: at))
                for case .string(let key) in entry[operation == .set ? "set" : "set_once"]?.arrayValue ?? [] {
                    provenance[key] = source
                }
            }
        }
        return (provenance, skipped)
    }

    /// Entries are ordered by time, then event uuid, then event name; nil: the same origin.
    private static func originPrecedes(_ x: PropertySource, _ y: PropertySource) -> Bool? {
        if x.at != y.at { return x.at < y.at }
        let (u, v) = (UUIDOrder(x.eventUUID), UUIDOrder(y.eventUUID))
        if u != v { return u < v }
        if x.event != y.event { return x.event < y.event }
        return nil
    }

    private static func sameOrigin(_ a: PropertySource, _ b: PropertySource) -> Bool {
        a.at == b.at && a.eventUUID == b.eventUUID && a.event == b.event
    }

    /// A uuid as two big-endian words: ordering them orders the lowercase text (nil first).
    private struct UUIDOrder: Comparable {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var present = false

        init(_ uuid: UUID?) {
            guard let uuid else { return }
            present = true
            withUnsafeBytes(of: uuid.uuid) { bytes in
                high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
                low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
        }

        static func < (a: UUIDOrder, b: UUIDOrder) -> Bool {
            (a.present ? 1 : 0, a.high, a.low) < (b.present ? 1 : 0, b.high, b.low)
        }
    }
}
