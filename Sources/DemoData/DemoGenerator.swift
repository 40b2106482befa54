import Foundation
import IdentityCore

/// Synthetic but realistic event streams: anonymous browsing, sign-ups, logins on several
/// devices, backend events before the frontend identifies, shared devices without reset,
/// generic IDs that get refused, aliases, forced merges, duplicate sign-ups and a few broken
/// events. Deterministic for a seed, and produced lazily so a million events need no memory.
public struct DemoGenerator: Sequence, Sendable {
    public var persons: Int
    public var seed: UInt64
    /// When the first story starts; each story starts a little later than the one before.
    public var start: Date

    public init(persons: Int, seed: UInt64 = 1, start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        self.persons = persons
        self.seed = seed
        self.start = start
    }

    public func makeIterator() -> Iterator { Iterator(generator: self) }

    public struct Iterator: IteratorProtocol {
        let generator: DemoGenerator
        var random: SplitMix64
        var person = 0
        var queue: [JSONValue] = []
        var queueIndex = 0
        /// How many persons' stories have been started so far.
        public var storiesTold: Int { person }

        init(generator: DemoGenerator) {
            self.generator = generator
            random = SplitMix64(seed: generator.seed)
        }

        public mutating func next() -> JSONValue? {
            while queueIndex >= queue.count {
                guard person < generator.persons else { return nil }
                queue.removeAll(keepingCapacity: true)
                queueIndex = 0
                var story = Story(index: person, random: random,
                                  time: generator.start.addingTimeInterval(Double(person) * 37))
                story.tell()
                random = story.random
                queue = story.events
                person += 1
            }
            defer { queueIndex += 1 }
            return queue[queueIndex]
        }
    }
}
