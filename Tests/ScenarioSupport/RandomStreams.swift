import Foundation
import DemoData
import IdentityCore

/// The demo generator's SplitMix64, with the helpers random streams need: the same seed gives
/// the same stream on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var base: SplitMix64
    public init(seed: UInt64) { base = SplitMix64(seed: seed) }
    public mutating func next() -> UInt64 { base.next() }
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    public mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    public mutating func uuid() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &self) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}

/// Random event streams in PostHog's capture format that exercise the identity rules:
/// anonymous IDs, identifies, aliases both ways, forced merges, illegal and quoted IDs,
/// whitespace, `$unset`, duplicates, `$process_person_profile`, special events and invalid input.
public struct RandomEventStream {
    public static let illegalIDs = ["null", "undefined", "Undefined", "0", "NaN", "None", "none", "anonymous", "GUEST",
                                    "email", "ID", "true", "False", "[object Object]", "'null'", "\"anonymous\"",
                                    "'Email'", "", " ", "\t ", "distinct_id", "not_authenticated"]
    /// Legal IDs that look like illegal ones.
    public static let lookAlikes = [" null ", "NULL", "'null", "nulls", "00", "\"none", "NONE", "Nan"]

    public var random: SeededRandom
    public var valid: [JSONValue] = []
    let users: Int
    let devices: Int

    public init(seed: UInt64, users: Int = 8, devices: Int = 14) {
        random = SeededRandom(seed: seed)
        self.users = users
        self.devices = devices
    }

    /// `count` events for one seed.
    public static func make(seed: UInt64, count: Int) -> [JSONValue] {
        var stream = RandomEventStream(seed: seed)
        return (0..<count).map { _ in stream.next() }
    }

    mutating func userID() -> String { "user-\(Int.random(in: 0..<users, using: &random))" }
    mutating func deviceID() -> String { "dev-\(Int.random(in: 0..<devices, using: &random))" }

    mutating func anyID() -> String {
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<38: deviceID()
        case 38..<76: userID()
        case 76..<82: caseTwin()
        case 82..<90: random.pick(Self.illegalIDs)
        default: random.pick(Self.lookAlikes)
        }
    }

    /// An upper-case twin of a user or device ID: never merged by case, warned about when new.
    mutating func caseTwin() -> String {
        random.chance(0.5) ? userID().uppercased() : "Dev-\(Int.random(in: 0..<devices, using: &random))"
    }

    /// A merge source that can never merge: a NUL as sent, or longer than a distinct ID may be.
    mutating func unmergeableID() -> String {
        random.chance(0.5) ? "user-\(Int.random(in: 0..<users, using: &random))\u{0}" : String(repeating: "u", count: 401)
    }

    mutating func value() -> JSONValue {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: .null
        case 1: .bool(random.chance(0.5))
        case 2, 3: .int(Int64.random(in: 0...3, using: &random))
        case 4: .string(random.pick(["a", "b", "c", "", "a\u{0}b"]))
        default: .string(random.pick(["a", "b", "c"]))
        }
    }

    mutating func keys(_ n: ClosedRange<Int>) -> [String] {
        (0..<Int.random(in: n, using: &random)).map { _ in
            random.pick(["plan", "name", "k1", "k2", "k3", "email", "$initial_browser", "$current_url", "$os", "k\u{0}"])
        }
    }

    mutating func object(_ n: ClosedRange<Int> = 0...3) -> JSONValue {
        .object(Dictionary(keys(n).map { ($0, value()) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Random person updates, automatic properties and flags.
    mutating func properties() -> [String: JSONValue] {
        var props: [String: JSONValue] = [:]
        if random.chance(0.4) { props["$set"] = object() }
        if random.chance(0.3) { props["$set_once"] = object() }
        if random.chance(0.15) {
            props["$unset"] = random.chance(0.7) ? .array(keys(1...2).map { .string($0) }) : object(1...2)
        }
        if random.chance(0.05) { props["$set"] = .string("not an object") }
        // Automatic and churn-filtered keys, several at once so that filtered-only updates happen often.
        for _ in 0..<(random.chance(0.5) ? Int.random(in: 1...3, using: &random) : 0) {
            let key = random.pick(["$browser", "utm_source", "$os", "$os_name", "$pathname", "$current_url", "$screen_width",
                                   "utm_name", "gclid", "$geoip_city_name", "$geoip_time_zone"])
            props[key] = value()
        }
        if random.chance(0.05) { props["$is_server"] = .bool(true); props["$os"] = "Linux" }
        if random.chance(0.04) { props["$process_person_profile"] = .bool(false) }
        if random.chance(0.03) { props["$process_person_profile"] = random.pick([.string("false"), .int(0), .null]) }
        if random.chance(0.02) { props["$process_person_profile"] = .bool(true) }
        return props
    }

    mutating func event(_ name: String, _ distinctID: JSONValue, _ properties: [String: JSONValue]) -> JSONValue {
        var object: [String: JSONValue] = ["event": .string(name), "distinct_id": distinctID, "properties": .object(properties)]
        if random.chance(0.9) { object["uuid"] = .string(random.uuid()) }
        // survey shown takes its time from the timestamp; without one it would be the ingestion time.
        if name == "survey shown" || random.chance(0.5) {
            object["timestamp"] = .string("2026-11-01T10:\(String(format: "%02d", Int.random(in: 0..<60, using: &random))):00Z")
        }
        if random.chance(0.1) { object["$set"] = self.object(1...2) }
        return .object(object)
    }

    public mutating func next() -> JSONValue {
        let roll = Int.random(in: 0..<100, using: &random)
        var props = properties()
        let result: JSONValue
        switch roll {
        case 0..<30:
            result = event(random.pick(["pageview", "click", "$pageleave"]), .string(anyID()), props)
        case 30..<45:
            let anon: JSONValue = random.chance(0.1) ? random.pick([.null, .int(0), .int(7)]) : .string(anyID())
            props["$anon_distinct_id"] = random.chance(0.05) ? .string(unmergeableID()) : anon
            result = event("$identify", .string(random.chance(0.85) ? userID() : anyID()), props)
        case 45..<55:
            // Aliases both ways: user <- device and device <- user.
            let (d, o) = random.chance(0.5) ? (userID(), anyID()) : (anyID(), userID())
            props["alias"] = random.chance(0.05) ? random.pick([.null, .string("")]) : .string(o)
            result = event("$create_alias", .string(d), props)
        case 55..<60:
            props["alias"] = .string(random.chance(0.1) ? unmergeableID() : anyID())
            result = event("$merge_dangerously", .string(anyID()), props)
        case 60..<66 where !valid.isEmpty:
            return random.pick(valid)  // duplicate (same uuid, or same line text with a fresh position)
        case 66..<70:
            result = event(random.pick(["$groupidentify", "$exception", "$$heatmap", "survey shown"]), .string(anyID()), props)
        case 70..<73:
            result = event("purchase", .int(Int64.random(in: 0...5, using: &random)), props)
        case 73..<75:
            result = event("pageview", .string(random.pick(["a\u{0}b", "dev-1\u{0}"])), props)
        case 75..<80:
            return invalid()
        default:
            result = event("pageview", .string(random.chance(0.5) ? deviceID() : userID()), props)
        }
        valid.append(result)
        return result
    }

    /// One input with exactly one defect.
    mutating func invalid() -> JSONValue {
        let base: [String: JSONValue] = ["event": "e", "distinct_id": .string(deviceID()), "uuid": .string(random.uuid())]
        var object = base
        switch Int.random(in: 0..<8, using: &random) {
        case 0: object["event"] = nil
        case 1: object["event"] = ""
        case 2: object["distinct_id"] = .bool(true)
        case 3: object["distinct_id"] = ["a": 1]
        case 4: object["distinct_id"] = .string(String(repeating: "z", count: 401))
        case 5: object["uuid"] = "nope"
        case 6: object["properties"] = [1]
        default: return .int(42)  // not an object (an array line would be read as a list of events)
        }
        return .object(object)
    }
}
