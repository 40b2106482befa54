import Foundation

/// The person-property writes one event asks for (step 5 of the rules).
public struct PropertyUpdates: Sendable, Equatable {
    public var set: [String: JSONValue]
    public var setOnce: [String: JSONValue]
    public var unset: [String]

    public static let maxPropertiesBytes = 640 * 1024

    public var isEmpty: Bool { self.set.isEmpty && setOnce.isEmpty && unset.isEmpty }

    public init(set: [String: JSONValue] = [:], setOnce: [String: JSONValue] = [:], unset: [String] = []) {
        self.set = set
        self.setOnce = setOnce
        self.unset = unset
    }

    /// The updates an event carries. `$exception` and `$$heatmap` never touch
    /// persons; `$groupidentify` sets group, not person, properties.
    public init(event: Event) {
        switch event.name {
        case "$exception", "$$heatmap", "$groupidentify":
            self.init()
        default:
            let unset: [String]
            switch event.properties["$unset"] {
            case .array(let keys)?: unset = keys.map { $0.stringValue ?? $0.javaScriptString }
            case .object(let object)?: unset = Array(object.keys)
            default: unset = []
            }
            self.init(set: event.properties["$set"]?.objectValue ?? [:],
                      setOnce: event.properties["$set_once"]?.objectValue ?? [:],
                      unset: unset)
        }
    }

    public enum Result: Equatable {
        case unchanged
        case changed
        /// The result would pass the size limit; nothing was written.
        case tooLarge(bytes: Int)
    }

    /// Applies the updates, each judged against the properties as they were
    /// before: `$set_once` fills missing keys, `$set` overwrites differing
    /// values and beats `$set_once`, `$unset` removes keys that existed.
    public func apply(to person: inout Person, source: (PropertySource.Operation) -> PropertySource) -> Result {
        guard !isEmpty else { return .unchanged }
        let before = person.properties
        var properties = before
        var provenance = person.provenance
        var changed = false
        for (key, value) in setOnce where before[key] == nil && set[key] == nil {
            properties[key] = value
            provenance[key] = source(.setOnce)
            changed = true
        }
        for (key, value) in set where before[key] != value {
            properties[key] = value
            provenance[key] = source(.set)
            changed = true
        }
        for key in unset where before[key] != nil {
            properties.removeValue(forKey: key)
            provenance.removeValue(forKey: key)
            changed = true
        }
        guard changed else { return .unchanged }
        if PropertySize.estimate(properties) > Self.maxPropertiesBytes {
            let bytes = JSONCoding.data(properties).count
            if bytes > Self.maxPropertiesBytes { return .tooLarge(bytes: bytes) }
        }
        person.properties = properties
        person.provenance = provenance
        return .changed
    }
}

/// A cheap upper bound of a JSON document's size (escaping makes a byte at most
/// six), so that the exact, costly encoding runs only for persons near the limit.
enum PropertySize {
    static func estimate(_ object: [String: JSONValue]) -> Int {
        object.reduce(2) { $0 + $1.key.utf8.count * 6 + 4 + estimate($1.value) }
    }

    static func estimate(_ value: JSONValue) -> Int {
        switch value {
        case .null, .bool: 5
        case .int, .double: 24
        case .string(let text): text.utf8.count * 6 + 2
        case .array(let values): values.reduce(2) { $0 + estimate($1) + 1 }
        case .object(let object): estimate(object)
        }
    }
}
