/// How two groupings of distinct IDs into persons compare: PostHog's (from a persons export) and
/// identikit's (from the store). Pure: the caller feeds both groupings in; nothing here reads a file.
///
/// Only IDs both sides know are compared; the others are listed in `onlyInPostHog` and
/// `onlyInIdentikit`. Over the shared IDs, a person *agrees* when both sides put exactly the same
/// shared IDs on one person: `agree` counts those persons. Every other shared ID belongs to one
/// `Difference`: a set of IDs connected through either side's persons (a union-find over both),
/// with how each side splits it.
public struct GroupingComparison: Sendable, Equatable {
    /// One set of IDs the two sides group differently.
    public struct Difference: Sendable, Equatable {
        /// Every ID of the set, sorted.
        public var distinctIDs: [String]
        /// PostHog's persons over these IDs, each sorted, largest first.
        public var posthog: [[String]]
        /// identikit's persons over these IDs, each sorted, largest first.
        public var identikit: [[String]]

        public init(distinctIDs: [String], posthog: [[String]], identikit: [[String]]) {
            self.distinctIDs = distinctIDs
            self.posthog = posthog
            self.identikit = identikit
        }
    }

    /// Persons on which both sides put exactly the same shared IDs.
    public var agree: Int
    /// Largest first (then by first ID).
    public var differ: [Difference]
    /// IDs PostHog has and the store does not, sorted.
    public var onlyInPostHog: [String]
    /// IDs the store has and PostHog does not, sorted.
    public var onlyInIdentikit: [String]

    public init(agree: Int, differ: [Difference], onlyInPostHog: [String], onlyInIdentikit: [String]) {
        self.agree = agree
        self.differ = differ
        self.onlyInPostHog = onlyInPostHog
        self.onlyInIdentikit = onlyInIdentikit
    }

    /// Compares PostHog's grouping (distinct ID → PostHog person id) with identikit's persons.
    public static func compare(posthog: [String: String], identikit: some Sequence<[String]>) -> GroupingComparison {
        var comparer = GroupingComparer(posthog: posthog)
        for person in identikit { comparer.addIdentikitPerson(person) }
        return comparer.result()
    }
}

/// Builds a `GroupingComparison` with identikit's persons fed one at a time, so a store can stream
/// them: memory holds one small integer per ID, never the store's persons.
public struct GroupingComparer: Sendable {
    private var ids: [String] = []
    private var index: [String: Int32] = [:]
    /// Per ID: its PostHog person (an index into the PostHog persons) and its identikit person (-1: none).
    private var posthogPerson: [Int32] = []
    private var identikitPerson: [Int32] = []
    private var identikitCount: Int32 = 0
    private var onlyInIdentikit: [String] = []

    public init(posthog: [String: String]) {
        var persons: [String: Int32] = [:]
        ids.reserveCapacity(posthog.count)
        // Sorted so the result never depends on dictionary order.
        for (id, person) in posthog.sorted(by: { $0.key < $1.key }) {
            let personIndex = persons[person] ?? Int32(persons.count)
            persons[person] = personIndex
            index[id] = Int32(ids.count)
            ids.append(id)
            posthogPerson.append(personIndex)
            identikitPerson.append(-1)
        }
    }

    /// One identikit person's distinct IDs.
    public mutating func addIdentikitPerson(_ distinctIDs: [String]) {
        let person = identikitCount
        identikitCount += 1
        for id in distinctIDs {
            if let i = index[id] { identikitPerson[Int(i)] = person } else { onlyInIdentikit.append(id) }
        }
    }

    public func result() -> GroupingComparison {
        // A person on either side is "clean" when every shared ID on it maps to one person on the
        // other side; a pair of persons that are clean towards each other agree.
        let mixed: Int32 = -2, none: Int32 = -1
        var posthogPartner: [Int32: Int32] = [:]
        var identikitPartner: [Int32: Int32] = [:]
        var onlyInPostHog: [String] = []
        for i in ids.indices {
            let p = posthogPerson[i], k = identikitPerson[i]
            guard k != none else { onlyInPostHog.append(ids[i]); continue }
            posthogPartner[p] = posthogPartner[p].map { $0 == k ? k : mixed } ?? k
            identikitPartner[k] = identikitPartner[k].map { $0 == p ? p : mixed } ?? p
        }
        var agree = 0
        for (p, k) in posthogPartner where k != mixed && identikitPartner[k] == p { agree += 1 }

        // The rest, joined by either side: union-find over the IDs, one root per PostHog and identikit person.
        var finder = UnionFind(count: ids.count)
        var firstOfPostHog: [Int32: Int] = [:], firstOfIdentikit: [Int32: Int] = [:]
        var differing: [Int] = []
        for i in ids.indices {
            let p = posthogPerson[i], k = identikitPerson[i]
            guard k != none, !(posthogPartner[p] == k && identikitPartner[k] == p) else { continue }
            differing.append(i)
            if let first = firstOfPostHog[p] { finder.union(first, i) } else { firstOfPostHog[p] = i }
            if let first = firstOfIdentikit[k] { finder.union(first, i) } else { firstOfIdentikit[k] = i }
        }
        var components: [Int: [Int]] = [:]
        for i in differing { components[finder.find(i), default: []].append(i) }
        let differ = components.values.map { members -> GroupingComparison.Difference in
            func split(_ side: [Int32]) -> [[String]] {
                Dictionary(grouping: members, by: { side[$0] }).values.map { $0.map { ids[$0] }.sorted() }.sorted(by: Self.largestFirst)
            }
            return .init(distinctIDs: members.map { ids[$0] }.sorted(), posthog: split(posthogPerson), identikit: split(identikitPerson))
        }.sorted { Self.largestFirst($0.distinctIDs, $1.distinctIDs) }
        return GroupingComparison(agree: agree, differ: differ, onlyInPostHog: onlyInPostHog.sorted(),
                                  onlyInIdentikit: onlyInIdentikit.sorted())
    }

    static func largestFirst(_ a: [String], _ b: [String]) -> Bool {
        a.count != b.count ? a.count > b.count : a.lexicographicallyPrecedes(b)
    }
}

/// Disjoint sets over 0..<count with path halving and union by size.
struct UnionFind: Sendable {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = Array(repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    mutating func union(_ a: Int, _ b: Int) {
        var (ra, rb) = (find(a), find(b))
        guard ra != rb else { return }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = ra
        size[ra] += size[rb]
    }
}
