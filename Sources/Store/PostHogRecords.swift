import Foundation
import IdentityCore

/// One person's distinct IDs, as `distinctIDGroups` streams them in person order.
public struct DistinctIDGroup: Sendable, Equatable {
    public var personID: Int64
    public var distinctIDs: [String]

    public init(personID: Int64, distinctIDs: [String]) {
        self.personID = personID
        self.distinctIDs = distinctIDs
    }
}

/// Whether the user has looked at a disagreement with PostHog and decided it is fine as it is.
public enum DifferenceStatus: String, Sendable, Equatable, CaseIterable {
    case open
    case accepted
}

/// One disagreement of the last `identikit compare`, as stored.
public struct StoredDifference: Sendable, Equatable {
    /// Its row in the store (0 before it is saved).
    public var id: Int64
    public var distinctIDs: [String]
    public var posthog: [[String]]
    public var identikit: [[String]]
    public var status: DifferenceStatus

    public init(id: Int64 = 0, distinctIDs: [String], posthog: [[String]], identikit: [[String]], status: DifferenceStatus = .open) {
        self.id = id
        self.distinctIDs = distinctIDs
        self.posthog = posthog
        self.identikit = identikit
        self.status = status
    }

    public init(_ difference: GroupingComparison.Difference, status: DifferenceStatus = .open) {
        self.init(distinctIDs: difference.distinctIDs, posthog: difference.posthog, identikit: difference.identikit, status: status)
    }

    /// The same disagreement: same IDs, split the same way on both sides (what keeps an
    /// `accepted` mark from one compare to the next).
    public func isSame(as other: StoredDifference) -> Bool {
        distinctIDs == other.distinctIDs && posthog == other.posthog && identikit == other.identikit
    }
}

/// The last comparison with PostHog kept with the store (only the newest is kept).
public struct StoredComparison: Sendable, Equatable {
    public var comparedAt: Date
    /// The export files it read.
    public var sources: [String]
    public var agree: Int
    public var onlyInPostHog: Int
    public var onlyInIdentikit: Int
    /// Largest first, as compared.
    public var differences: [StoredDifference]

    public init(comparedAt: Date, sources: [String], agree: Int, onlyInPostHog: Int, onlyInIdentikit: Int,
                differences: [StoredDifference]) {
        self.comparedAt = comparedAt
        self.sources = sources
        self.agree = agree
        self.onlyInPostHog = onlyInPostHog
        self.onlyInIdentikit = onlyInIdentikit
        self.differences = differences
    }
}

/// A merge or split made by hand, as `identikit push` considers it.
public struct ManualActionSummary: Sendable, Equatable {
    public var id: Int64
    public var kind: ActionKind
    public var at: Date
    /// For a merge: the distinct ID named as the target (the person that stays) and as the source.
    public var target: String?
    public var source: String?
    /// The IDs that moved (a split's IDs).
    public var distinctIDs: [String]
    public var undoneBy: Int64?

    public init(id: Int64, kind: ActionKind, at: Date, target: String? = nil, source: String? = nil, distinctIDs: [String] = [],
                undoneBy: Int64? = nil) {
        self.id = id
        self.kind = kind
        self.at = at
        self.target = target
        self.source = source
        self.distinctIDs = distinctIDs
        self.undoneBy = undoneBy
    }
}

/// A manual merge sent to a PostHog host, recorded after the host accepted it. The API key is never kept.
public struct PushRecord: Sendable, Equatable {
    public var actionID: Int64
    /// The host as given to `--host` (no credentials).
    public var host: String
    public var eventUUID: UUID
    public var pushedAt: Date

    public init(actionID: Int64, host: String, eventUUID: UUID, pushedAt: Date) {
        self.actionID = actionID
        self.host = host
        self.eventUUID = eventUUID
        self.pushedAt = pushedAt
    }
}

/// How both stores keep lists of IDs in a column: a JSON array (of arrays), written and read here once.
public enum IDListColumn {
    public static func text(_ ids: [String]) -> String { JSONWriter.string(.array(ids.map(JSONValue.string))) }
    public static func text(_ groups: [[String]]) -> String { JSONWriter.string(.array(groups.map { .array($0.map(JSONValue.string)) })) }

    public static func ids(_ text: String) -> [String] {
        ((try? JSONParser.parse(text))?.arrayValue ?? []).compactMap(\.stringValue)
    }

    public static func groups(_ text: String) -> [[String]] {
        ((try? JSONParser.parse(text))?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.stringValue) }
    }
}

/// A disagreement id the stored comparison does not have (a newer compare replaced it).
public struct NoSuchDifference: Error, CustomStringConvertible, Equatable {
    public var id: Int64
    public init(id: Int64) { self.id = id }
    public var description: String { "no disagreement \(id) in the stored comparison (run identikit compare again)" }
}
