import Foundation

/// What one stored event did to identity, as the engine decided it: recorded with the event at
/// ingest, so "did this `$identify` link my anonymous ID?" is answered by reading, not by guessing.
public struct EventEffect: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The event's distinct ID got a brand-new person.
        case newPerson = "new_person"
        case existingPerson = "existing_person"
        /// An ID joined a person without merging two persons (`linkedID` says which).
        case linkedID = "linked_id"
        /// Two persons became one (`merge` says how).
        case merged
        /// A merge was refused because the other person is already identified.
        case refused
        /// A merge was refused because one of the two IDs is a generic one (`null`, `email`, `0`…).
        case illegalID = "illegal_id"
        /// Sent with `$process_person_profile: false`: stored, no person touched.
        case personless
    }

    /// The merge an event caused: the action number is what `identikit undo` takes.
    public struct Merge: Sendable, Equatable {
        public var how: ActionKind
        public var actionID: Int64
        public var target: UUID
        public var source: UUID

        public init(how: ActionKind, actionID: Int64, target: UUID, source: UUID) {
            self.how = how
            self.actionID = actionID
            self.target = target
            self.source = source
        }
    }

    /// A person-property write the event asked for that was not made.
    public struct Skip: Sendable, Equatable {
        public enum Reason: String, Sendable, Codable {
            /// `$set_once` of a key the person already has.
            case alreadySet = "already_set"
            /// The churn filter: a new value of an often-changing automatic key.
            case churnFilter = "churn_filter"
            /// The person's properties would pass 640 KiB: nothing was written.
            case sizeLimit = "size_limit"
        }

        public var key: String
        public var reason: Reason

        public init(key: String, reason: Reason) {
            self.key = key
            self.reason = reason
        }
    }

    public var kind: Kind
    /// The person the event landed on (none when personless).
    public var person: UUID?
    /// For `linkedID`, the ID that joined; for a new person made for two IDs, the other one.
    public var linkedID: String?
    public var merge: Merge?
    /// Every warning the event raised, in order (the refusal's for `refused` and `illegalID`).
    public var warnings: [WarningType]
    /// Keys written by `$set`, `$set_once` and removed by `$unset`, sorted.
    public var set: [String]
    public var setOnce: [String]
    public var unset: [String]
    public var skipped: [Skip]

    public init(kind: Kind, person: UUID? = nil, linkedID: String? = nil, merge: Merge? = nil, warnings: [WarningType] = [],
                set: [String] = [], setOnce: [String] = [], unset: [String] = [], skipped: [Skip] = []) {
        self.kind = kind
        self.person = person
        self.linkedID = linkedID
        self.merge = merge
        self.warnings = warnings
        self.set = set
        self.setOnce = setOnce
        self.unset = unset
        self.skipped = skipped
    }

    /// Whether the event wrote or skipped any person property.
    public var touchedProperties: Bool { !set.isEmpty || !setOnce.isEmpty || !unset.isEmpty || !skipped.isEmpty }
}

// MARK: Words

extension EventEffect {
    /// A few words for a table column: "linked anon-1", "merged #4 ($identify)", "refused: cannot_merge_already_identified".
    /// Not escaped: callers pass it through `Escaping.terminalSafe` (the linked ID comes from the data).
    public var summary: String {
        var words: String
        switch kind {
        case .newPerson: words = linkedID.map { "new person with \($0)" } ?? "new person"
        case .existingPerson: words = "existing person"
        case .linkedID: words = "linked \(linkedID ?? "ID")"
        case .merged: words = merge.map { "merged #\($0.actionID) (\($0.how.rawValue))" } ?? "merged"
        case .refused: words = "refused: \(warnings.first?.rawValue ?? "merge")"
        case .illegalID: words = "illegal ID: not merged"
        case .personless: words = "personless"
        }
        var parts: [String] = []
        if !set.isEmpty { parts.append("set \(set.count)") }
        if !setOnce.isEmpty { parts.append("set_once \(setOnce.count)") }
        if !unset.isEmpty { parts.append("unset \(unset.count)") }
        if !skipped.isEmpty {
            let reasons = Set(skipped.map(\.reason.words)).sorted().joined(separator: ", ")
            parts.append("skipped \(skipped.count) (\(reasons))")
        }
        if !parts.isEmpty { words += " · " + parts.joined(separator: ", ") }
        return words
    }

    /// The effect of an event as a list screen or table shows it, with the duplicates of its uuid.
    public static func summary(_ effect: EventEffect?, duplicates: Int) -> String {
        var words = effect?.summary ?? unknown
        if duplicates > 0 { words += " · \(duplicates) duplicate\(duplicates == 1 ? "" : "s") ignored" }
        return words
    }

    /// What events stored before effects were recorded show.
    public static let unknown = "unknown (ingested before effects were recorded)"
}

extension EventEffect.Skip.Reason {
    /// The stored form's groups, in its sorted key order.
    static let storedOrder: [Self] = [.alreadySet, .churnFilter, .sizeLimit]

    public var words: String {
        switch self {
        case .alreadySet: "already set"
        case .churnFilter: "churn filter"
        case .sizeLimit: "size limit"
        }
    }
}

// MARK: Stored and printed form

extension EventEffect: Codable {
    /// The stored and printed form: compact, empty parts left out.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["kind": .string(kind.rawValue)]
        if let person { object["person"] = .string(person.lowercased) }
        if let linkedID { object["linked_id"] = .string(linkedID) }
        if let merge {
            object["merge"] = .object(["how": .string(merge.how.rawValue), "action_id": .int(merge.actionID),
                                       "target": .string(merge.target.lowercased), "source": .string(merge.source.lowercased)])
        }
        if !warnings.isEmpty { object["warnings"] = .array(warnings.map { .string($0.rawValue) }) }
        if !set.isEmpty { object["set"] = .array(set.map(JSONValue.string)) }
        if !setOnce.isEmpty { object["set_once"] = .array(setOnce.map(JSONValue.string)) }
        if !unset.isEmpty { object["unset"] = .array(unset.map(JSONValue.string)) }
        if !skipped.isEmpty {
            object["skipped"] = .array(skipped.map { .object(["key": .string($0.key), "reason": .string($0.reason.rawValue)]) })
        }
        return .object(object)
    }

    /// Reads the stored form; nil for anything else (a newer identikit's kind, a damaged value).
    public init?(json: JSONValue) {
        guard let object = json.objectValue, let kind = object["kind"]?.stringValue.flatMap(Kind.init(rawValue:)) else { return nil }
        func strings(_ key: String) -> [String] { object[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        var merge: Merge?
        if let m = object["merge"]?.objectValue, let how = m["how"]?.stringValue.flatMap(ActionKind.init(rawValue:)),
           case .int(let actionID)? = m["action_id"], let target = m["target"]?.stringValue.flatMap(UUID.init(text:)),
           let source = m["source"]?.stringValue.flatMap(UUID.init(text:)) {
            merge = Merge(how: how, actionID: actionID, target: target, source: source)
        }
        let skipped = Self.skips(object["skipped"])
        self.init(kind: kind, person: object["person"]?.stringValue.flatMap(UUID.init(text:)),
                  linkedID: object["linked_id"]?.stringValue, merge: merge,
                  warnings: strings("warnings").compactMap(WarningType.init(rawValue:)),
                  set: strings("set"), setOnce: strings("set_once"), unset: strings("unset"), skipped: skipped)
    }

    /// The stored form as text; nil text (old events) or an unreadable one gives nil.
    public init?(stored text: String?) {
        guard let text, let json = try? JSONParser.parse(text.utf8) else { return nil }
        self.init(json: json)
    }

    public var storedText: String { String(decoding: storedBytes, as: UTF8.self) }

    /// `jsonValue` as JSON text, written straight into bytes in its sorted key order: every ingested
    /// event writes one, and building the dictionary first cost a measurable share of the ingest.
    /// Only `skipped` differs from the printed form: it is grouped by reason.
    public var storedBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96)
        func key(_ name: StaticString) {
            out.append(out.count == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
        }
        func text(_ value: String) { JSONWriter.write(.string(value), into: &out) }
        func uuid(_ value: UUID) {
            out.append(UInt8(ascii: "\""))
            value.appendLowercased(to: &out)
            out.append(UInt8(ascii: "\""))
        }
        func list(_ values: [String]) {
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                text(value)
            }
            out.append(UInt8(ascii: "]"))
        }
        key("kind")
        text(kind.rawValue)
        if let linkedID { key("linked_id"); text(linkedID) }
        if let merge {
            key("merge")
            out.append(contentsOf: #"{"action_id":"#.utf8)
            JSONWriter.write(.int(merge.actionID), into: &out)
            out.append(contentsOf: #","how":"#.utf8)
            text(merge.how.rawValue)
            out.append(contentsOf: #","source":"#.utf8)
            uuid(merge.source)
            out.append(contentsOf: #","target":"#.utf8)
            uuid(merge.target)
            out.append(UInt8(ascii: "}"))
        }
        if let person { key("person"); uuid(person) }
        if !set.isEmpty { key("set"); list(set) }
        if !setOnce.isEmpty { key("set_once"); list(setOnce) }
        if !skipped.isEmpty {
            // Stored grouped by reason, {"already_set":[keys],"churn_filter":[keys]}: most events
            // skip several automatic keys, and the printed form's object per key was a third of
            // every event row (see `skips(_:)` for why the order survives).
            key("skipped")
            var first = true
            for reason in Skip.Reason.storedOrder {
                let keys = skipped.filter { $0.reason == reason }.map(\.key)
                guard !keys.isEmpty else { continue }
                out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
                first = false
                text(reason.rawValue)
                out.append(UInt8(ascii: ":"))
                list(keys)
            }
            out.append(UInt8(ascii: "}"))
        }
        if !unset.isEmpty { key("unset"); list(unset) }
        if !warnings.isEmpty { key("warnings"); list(warnings.map(\.rawValue)) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The skipped writes of either stored form: the printed one, a list of {"key", "reason"}
    /// (events stored before 2026-12-07), or the grouped one. Grouped keys come back sorted by key,
    /// and a key skipped twice (a `$set_once` already set, then the size limit) by reason: the order
    /// the rules write them in, since they sort by key and add `already_set` entries first.
    static func skips(_ value: JSONValue?) -> [Skip] {
        if let list = value?.arrayValue {
            return list.compactMap { entry in
                guard let key = entry.objectValue?["key"]?.stringValue,
                      let reason = entry.objectValue?["reason"]?.stringValue.flatMap(Skip.Reason.init(rawValue:)) else { return nil }
                return Skip(key: key, reason: reason)
            }
        }
        guard let groups = value?.objectValue else { return [] }
        var skips: [Skip] = []
        for (name, keys) in groups {
            guard let reason = Skip.Reason(rawValue: name) else { continue }
            skips += (keys.arrayValue ?? []).compactMap(\.stringValue).map { Skip(key: $0, reason: reason) }
        }
        return skips.sorted { ($0.key, $0.reason.rawValue) < ($1.key, $1.reason.rawValue) }
    }

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        guard let effect = EventEffect(json: json) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an event effect"))
        }
        self = effect
    }

    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}
