import Foundation

/// The person-property writes one event asks for (step 5 of the rules).
public struct PropertyUpdates: Sendable, Equatable {
    public var set: [String: JSONValue]
    public var setOnce: [String: JSONValue]
    public var unset: [String]
    /// Whether the churn filter may skip these updates (not for the events that exist to change persons).
    public var churnFiltered: Bool

    public static let maxPropertiesBytes = 640 * 1024

    public var isEmpty: Bool { self.set.isEmpty && setOnce.isEmpty && unset.isEmpty }

    public init(set: [String: JSONValue] = [:], setOnce: [String: JSONValue] = [:], unset: [String] = [],
                churnFiltered: Bool = false) {
        self.set = set
        self.setOnce = setOnce
        self.unset = unset
        self.churnFiltered = churnFiltered
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
            self.init(set: NULReplacement.object(event.properties["$set"]?.objectValue ?? [:]),
                      setOnce: NULReplacement.object(event.properties["$set_once"]?.objectValue ?? [:]),
                      unset: unset.map(NULReplacement.text),
                      churnFiltered: ChurnFilter.applies(toEvent: event.name))
        }
    }

    public enum Result: Equatable {
        case unchanged
        case changed
        /// The churn filter skipped every write: the person's values stay, and only its record of
        /// skipped writes changed (no version bump).
        case skipped
        /// The result would pass the size limit; nothing was written.
        case tooLarge(bytes: Int)
    }

    /// Applies the updates, each judged against the properties as they were
    /// before: `$set_once` fills missing keys, `$set` overwrites differing
    /// values and beats `$set_once`, `$unset` removes keys that existed.
    ///
    /// Decides every write first and then edits the person's dictionaries in place: copying
    /// them per event was most of the cost of an event that sets a property.
    ///
    /// `effect` receives the keys written and the writes skipped, with why.
    public func apply(to person: inout Person, source: (PropertySource.Operation) -> PropertySource,
                      effect: inout EventEffect) -> Result {
        guard !isEmpty else { return .unchanged }
        var writes: [(key: String, value: JSONValue, operation: PropertySource.Operation)] = []
        for (key, value) in setOnce where set[key] == nil {
            if person.properties[key] == nil {
                writes.append((key, value, .setOnce))
            } else {
                effect.skipped.append(EventEffect.Skip(key: key, reason: .alreadySet))
            }
        }
        for (key, value) in set where person.properties[key] != value {
            writes.append((key, value, .set))
        }
        let removals = unset.filter { person.properties[$0] != nil }
        defer { effect.skipped.sort { $0.key < $1.key } }
        guard !writes.isEmpty || !removals.isEmpty else { return .unchanged }
        if churnFiltered, removals.isEmpty, writes.allSatisfy({ write in
            write.operation == .set && person.properties[write.key] != nil && ChurnFilter.keys.contains(write.key)
        }) {
            let skippedBy = source(.set)
            for write in writes {
                person.skippedWrites[write.key] = SkippedWrite(value: write.value, source: skippedBy)
                effect.skipped.append(EventEffect.Skip(key: write.key, reason: .churnFilter))
            }
            return .skipped
        }

        let grows = writes.reduce(0) { $0 + $1.key.utf8.count * 6 + 4 + PropertySize.estimate($1.value) }
        if PropertySize.estimate(person.properties) + grows > Self.maxPropertiesBytes {
            // Near the limit: measure the exact result before writing anything.
            var result = person.properties
            for write in writes { result[write.key] = write.value }
            for key in removals { result.removeValue(forKey: key) }
            let bytes = JSONCoding.data(result).count
            if bytes > Self.maxPropertiesBytes {
                effect.skipped += writes.map { EventEffect.Skip(key: $0.key, reason: .sizeLimit) }
                    + removals.map { EventEffect.Skip(key: $0, reason: .sizeLimit) }
                return .tooLarge(bytes: bytes)
            }
        }
        let sources = (set: source(.set), setOnce: source(.setOnce))
        let hasSkipped = !person.skippedWrites.isEmpty
        for write in writes {
            person.properties[write.key] = write.value
            person.provenance[write.key] = write.operation == .set ? sources.set : sources.setOnce
            if hasSkipped { person.skippedWrites.removeValue(forKey: write.key) }
        }
        for key in removals {
            person.properties.removeValue(forKey: key)
            person.provenance.removeValue(forKey: key)
            if hasSkipped { person.skippedWrites.removeValue(forKey: key) }
        }
        for write in writes {
            if write.operation == .set { effect.set.append(write.key) } else { effect.setOnce.append(write.key) }
        }
        effect.set.sort()
        effect.setOnce.sort()
        effect.unset = removals.sorted()
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
