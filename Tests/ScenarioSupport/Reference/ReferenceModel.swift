import Foundation
import enum IdentityCore.JSONValue

/// A deliberately naive model of `shared/spec/identity-rules.md`, written from the spec text
/// alone. It shares nothing with IdentityCore except `JSONValue`; differential tests run the
/// same random inputs through it and through the real engine and compare the outcomes.
///
/// Not modelled: the 640 KiB limit (the random streams stay far below it), manual actions.
public final class ReferenceModel {
    public struct Person: Equatable {
        public var ids: Set<String>
        public var properties: [String: JSONValue]
        public var identified: Bool
    }

    public private(set) var persons: [Int: Person] = [:]
    public private(set) var warnings: [String] = []
    public private(set) var eventCount = 0
    private var nextPerson = 0
    private var seen: Set<String> = []
    private var droppedSeen: Set<String> = []

    public init() {}

    // MARK: spec lists

    static let insensitive: Set<String> = ["anonymous", "guest", "distinctid", "distinct_id", "id", "not_authenticated",
                                           "email", "undefined", "true", "false"]
    static let sensitive: Set<String> = ["[object Object]", "NaN", "None", "none", "null", "0", "undefined"]
    static func words(_ text: String) -> [String] { text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init) }
    static let automatic = words("""
        $app_build $app_name $app_namespace $app_version $browser $browser_version
        $device_type $current_url $pathname $os $os_version
        $referring_domain $referrer $screen_height $screen_width $viewport_height
        $viewport_width $raw_user_agent utm_source utm_medium utm_campaign
        utm_content utm_name utm_term gclid gad_source gclsrc dclid gbraid wbraid fbclid
        msclkid twclid li_fat_id mc_cid igshid ttclid rdt_cid irclid _kx epik qclid
        sccid
        """)
    static let campaign = Set(automatic.filter { !$0.hasPrefix("$") })
    static let filtered = Set(words("""
        $current_url $pathname $referring_domain $referrer $screen_height
        $screen_width $viewport_height $viewport_width $browser $browser_version
        $device_type $raw_user_agent $os $os_name $os_version $geoip_postal_code
        $geoip_time_zone $geoip_latitude $geoip_longitude $geoip_accuracy_radius
        $geoip_subdivision_1_code $geoip_subdivision_1_name
        $geoip_subdivision_2_code $geoip_subdivision_2_name
        $geoip_subdivision_3_code $geoip_subdivision_3_name
        $geoip_city_confidence $geoip_country_confidence
        $geoip_postal_code_confidence $geoip_subdivision_1_confidence
        $geoip_subdivision_2_confidence
        """))

    static func noNUL(_ text: String) -> String { text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }

    static func noNUL(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): .string(noNUL(s))
        case .array(let items): .array(items.map(noNUL))
        case .object(let o): .object(Dictionary(o.map { (noNUL($0.key), noNUL($0.value)) }, uniquingKeysWith: { a, _ in a }))
        default: value
        }
    }

    static func listed(_ id: String) -> Bool { sensitive.contains(id) || insensitive.contains(id.lowercased()) }

    public static func isIllegal(_ id: String) -> Bool {
        if id.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return true }
        if listed(id) { return true }
        for quote in ["'", "\""] where id.count >= 2 && id.hasPrefix(quote) && id.hasSuffix(quote) {
            if listed(String(id.dropFirst().dropLast())) { return true }
        }
        return false
    }

    /// JavaScript's String(value) for the values the spec mentions.
    static func jsString(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): s
        case .array: "array"
        case .object: "[object Object]"
        }
    }

    func owner(_ id: String) -> Int? { persons.first { $0.value.ids.contains(id) }?.key }

    // MARK: one input

    /// - Parameter position: where the input stands; identifies events that carry no uuid.
    public func ingest(_ input: JSONValue, position: Int) {
        guard case .object(let event) = input else { return warnings.append("invalid_event") }
        var key = "position \(position)"
        if let uuid = event["uuid"], uuid != .null {
            guard case .string(let text) = uuid, let parsed = UUID(uuidString: text) else {
                return warnings.append("invalid_event")
            }
            key = parsed.uuidString
        }
        var props: [String: JSONValue]
        switch event["properties"] {
        case nil, .null?: props = [:]
        case .object(let object)?: props = object
        default: return warnings.append("invalid_event")
        }
        var d: String
        switch event["distinct_id"] {
        case .string(let s)?: d = s
        case .int(let i)?: d = String(i)
        case .double(let x)?: d = Self.jsString(.double(x))
        default: return warnings.append("invalid_event")
        }
        d = d.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
        if d.utf16.count > 400 { return warnings.append("skipping_event_invalid_distinct_id") }
        guard case .string(let name)? = event["event"], !name.isEmpty else { return warnings.append("invalid_event") }
        let mergeNames = ["$identify", "$create_alias", "$merge_dangerously"]
        if (mergeNames + ["$groupidentify"]).contains(name), props["$process_person_profile"] == .bool(false) {
            // Dropped and not counted; kept once inside a warning, however often it is re-sent.
            if droppedSeen.insert(key).inserted { warnings.append("invalid_event_when_process_person_profile_is_false") }
            return
        }

        guard seen.insert(key).inserted else { return }  // duplicate: nothing changes
        eventCount += 1

        // Normalize.
        var set: [String: JSONValue] = [:]
        var setOnce: [String: JSONValue] = [:]
        if case .object(let o)? = props["$set"] { set = o }
        if case .object(let o)? = event["$set"] { for (k, v) in o { set[k] = v } }
        if case .object(let o)? = props["$set_once"] { setOnce = o }
        if case .object(let o)? = event["$set_once"] { for (k, v) in o { setOnce[k] = v } }
        for k in Self.automatic {
            var value = props[k]
            if k == "$os", value == nil { value = props["$os_name"] }
            guard let v = value else { continue }
            if props["$is_server"] == .bool(true) && (k == "$os" || k == "$os_version") { continue }
            if Self.campaign.contains(k) && (v == .null || v == .string("")) { continue }
            if set[k] == nil { set[k] = v }
            let initial = "$initial_" + (k.hasPrefix("$") ? String(k.dropFirst()) : k)
            if setOnce[initial] == nil && v != .null { setOnce[initial] = v }
        }
        if name == "survey shown", set["$survey_last_seen_date"] == nil, case .string(let time)? = event["timestamp"] {
            set["$survey_last_seen_date"] = .string(time)
        }
        var unset: [String] = []
        switch props["$unset"] {
        case .array(let items)?: unset = items.map { Self.jsString($0) }
        case .object(let o)?: unset = Array(o.keys)
        default: break
        }
        if ["$exception", "$$heatmap", "$groupidentify"].contains(name) { set = [:]; setOnce = [:]; unset = [] }
        set = Dictionary(set.map { (Self.noNUL($0.key), Self.noNUL($0.value)) }, uniquingKeysWith: { a, _ in a })
        setOnce = Dictionary(setOnce.map { (Self.noNUL($0.key), Self.noNUL($0.value)) }, uniquingKeysWith: { a, _ in a })
        unset = unset.map(Self.noNUL)

        if let flag = props["$process_person_profile"] {
            if flag == .bool(false) { return }
            if flag != .bool(true) { warnings.append("invalid_process_person_profile") }
        }

        // The merge table.
        var source: String?
        if name == "$identify", let anon = props["$anon_distinct_id"] { source = Self.jsString(anon) }
        if name == "$create_alias" || name == "$merge_dangerously", let alias = props["alias"], alias != .null,
           !Self.jsString(alias).isEmpty {
            source = Self.jsString(alias)
        }
        let sourceUnmergeable = source.map { $0.contains("\u{0}") || $0.utf16.count > 400 } ?? false
        source = source.map(Self.noNUL)
        var newPersonIDs: Set<String> = [d]
        var identify = false
        if let o = source, o != d {
            if Self.isIllegal(d) || sourceUnmergeable || Self.isIllegal(o) {
                warnings.append("cannot_merge_with_illegal_distinct_id")
            } else {
                identify = true
                switch (owner(d), owner(o)) {
                case (nil, nil): newPersonIDs = [d, o]
                case (let pd?, nil): persons[pd]!.ids.insert(o)
                case (nil, let po?): persons[po]!.ids.insert(d)
                case (let pd?, let po?) where pd == po: break
                case (let pd?, let po?):
                    if persons[po]!.identified && name != "$merge_dangerously" {
                        warnings.append("cannot_merge_already_identified")
                    } else {
                        let gone = persons.removeValue(forKey: po)!
                        var merged = gone.properties
                        for (k, v) in persons[pd]!.properties { merged[k] = v }
                        persons[pd]!.properties = merged
                        persons[pd]!.ids.formUnion(gone.ids)
                    }
                }
            }
        }

        // Attribute and update.
        let target: Int
        if let existing = owner(d) {
            target = existing
        } else {
            if d.lowercased() != d, owner(d.lowercased()) != nil { warnings.append("distinct_id_case_collision") }
            target = nextPerson
            nextPerson += 1
            persons[target] = Person(ids: newPersonIDs, properties: [:], identified: false)
        }
        if identify { persons[target]!.identified = true }
        let before = persons[target]!.properties
        var after = before
        for (k, v) in setOnce where before[k] == nil { after[k] = v }
        for (k, v) in set { after[k] = v }
        for k in unset where before[k] != nil { after[k] = nil }
        // Churn filter: only new values of filtered keys the person has, on an ordinary event: nothing.
        let changed = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }
        let onlyChurn = !changed.isEmpty && changed.allSatisfy { before[$0] != nil && after[$0] != nil && Self.filtered.contains($0) }
        if onlyChurn && !(mergeNames + ["$set"]).contains(name) { return }
        persons[target]!.properties = after
    }
}

extension ReferenceModel {
    /// The model's state in the scenarios' terms.
    public var outcome: Outcome {
        Outcome(persons: persons.values.map { ComparablePerson(distinctIDs: $0.ids, properties: $0.properties, isIdentified: $0.identified) },
                warningTypes: warnings, eventCount: eventCount)
    }

    /// Describes the first difference between two outcomes, for a failure message.
    public static func difference(_ expected: Outcome, _ actual: Outcome) -> String {
        var lines: [String] = []
        for person in expected.persons.subtracting(actual.persons).sorted(by: { $0.description < $1.description }).prefix(5) {
            lines.append("only in reference: \(person)")
        }
        for person in actual.persons.subtracting(expected.persons).sorted(by: { $0.description < $1.description }).prefix(5) {
            lines.append("only in engine:    \(person)")
        }
        if expected.warnings != actual.warnings { lines.append("warnings reference \(expected.warnings) engine \(actual.warnings)") }
        if expected.eventCount != actual.eventCount { lines.append("events reference \(expected.eventCount) engine \(actual.eventCount)") }
        return lines.joined(separator: "\n")
    }
}
