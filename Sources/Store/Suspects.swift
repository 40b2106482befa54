import Foundation
import IdentityCore

/// A kind of likely identity mistake the suspects screen and `identikit suspects` list.
public enum SuspectKind: String, Sendable, Codable, CaseIterable {
    /// A person with far more distinct IDs than usual: a generic ID or a shared device joined strangers.
    case manyIDs = "many_distinct_ids"
    /// A distinct ID that looks like a placeholder (`user`, `test`, `-1`, `[]`…) but is not on the
    /// blocklist of `IllegalDistinctIDs`, so it can still merge people.
    case genericID = "generic_distinct_id"
    /// One email on several identified persons: the same human, identified more than once.
    case sharedEmail = "email_on_identified_persons"

    public var title: String {
        switch self {
        case .manyIDs: "Persons with far more distinct IDs than usual"
        case .genericID: "Generic-looking distinct IDs not on the blocklist"
        case .sharedEmail: "One email on several identified persons"
        }
    }
}

/// One suspect: a person to open, or (for a shared email) a duplicates group to open.
public struct Suspect: Sendable, Equatable {
    public var kind: SuspectKind
    /// The person (many IDs, generic ID); nil for a shared email.
    public var person: PersonSummary?
    /// The generic-looking ID.
    public var distinctID: String?
    /// The shared email.
    public var email: String?
    /// The person's distinct IDs, or the identified persons sharing the email.
    public var count: Int

    public init(kind: SuspectKind, person: PersonSummary? = nil, distinctID: String? = nil, email: String? = nil, count: Int) {
        self.kind = kind
        self.person = person
        self.distinctID = distinctID
        self.email = email
        self.count = count
    }
}

/// Every suspect the store found, most telling first within each kind.
public struct SuspectReport: Sendable, Equatable {
    /// A person is listed with more distinct IDs than this: max(10, the 99th percentile).
    public var idThreshold: Int
    public var suspects: [Suspect]

    public init(idThreshold: Int, suspects: [Suspect]) {
        self.idThreshold = idThreshold
        self.suspects = suspects
    }

    public func of(_ kind: SuspectKind) -> [Suspect] { suspects.filter { $0.kind == kind } }
}

/// The queries' shared numbers and word lists, so both stores look for the same things.
public enum SuspectRules {
    /// What the screen and the command ask for of each kind: a list a person can work through.
    public static let limitPerKind = 500

    /// At least this many distinct IDs before a person is unusual, however small the store.
    public static let minimumIDThreshold = 10

    /// max(10, p99), given the id count of the person at the 99th percentile (nil: no persons).
    public static func idThreshold(p99: Int?) -> Int { max(minimumIDThreshold, p99 ?? 0) }

    /// The offset, in descending id-count order, of the person at the 99th percentile: the top 1%
    /// (at least one person) lies before it, so a store of 40 persons still shows its one outlier.
    public static func percentileOffset(persons: Int) -> Int { (persons + 99) / 100 }

    static let words = [
        "user", "users", "test", "tests", "testing", "tester", "demo", "admin", "administrator", "root", "default",
        "unknown", "nil", "null", "none", "nan", "void", "empty", "blank", "na", "n/a", "tbd", "todo", "temp", "tmp",
        "anon", "anonymous_user", "visitor", "customer", "client", "device", "sample", "example", "placeholder",
        "string", "object", "foo", "bar", "abc", "xxx", "x", "me", "self", "system", "api", "server", "web", "app",
        "[]", "{}", "()", "''", "\"\"", "-", "--", ".", "?", "*", "#", "_", "0.0", "00", "000", "123", "1234", "12345",
    ]

    /// Every distinct ID looked up as a generic-looking one (a few hundred point lookups on the
    /// distinct ID index): each word as written, in capitals and capitalised, and every number from
    /// -9 to 99; less whatever `IllegalDistinctIDs` already refuses.
    public static let genericCandidates: [String] = {
        var candidates = Set<String>()
        for word in words { candidates.formUnion([word, word.uppercased(), word.capitalized]) }
        for number in -9...99 { candidates.insert(String(number)) }
        return candidates.filter { !IllegalDistinctIDs.isIllegal($0) }.sorted()
    }()
}
