import Foundation
import IdentityCore
import Store

/// Everything the explorer asks of a store, as async operations. Effects call only this, so
/// tests swap in an in-memory client and a future store (PostgreSQL) needs only a new constructor.
public struct ExplorerClient: Sendable {
    public var stats: @Sendable () async throws -> StoreStats
    /// A page of the persons a filter lets through, newest first when `descending`, after a cursor.
    public var persons: @Sendable (_ order: PersonOrder, _ descending: Bool, _ after: PersonCursor?, _ filter: PersonFilter, _ limit: Int)
        async throws -> PersonPage
    public var search: @Sendable (_ text: String, _ limit: Int) async throws -> [PersonSummary]
    public var personDetail: @Sendable (_ reference: String) async throws -> PersonDetail?
    public var events: @Sendable (_ personID: Int64, _ before: Int64?, _ limit: Int) async throws -> [StoredEvent]
    /// The newest events of all, newest first (the live screen's first page).
    public var recentEvents: @Sendable (_ limit: Int) async throws -> [StoredEvent]
    /// Events stored after a number, oldest first (what the live screen adds).
    public var eventsAfter: @Sendable (_ seq: Int64, _ limit: Int) async throws -> [StoredEvent]
    public var warningGroups: @Sendable () async throws -> [WarningGroup]
    public var warnings: @Sendable (_ type: WarningType?, _ containing: String?, _ before: Int64?, _ limit: Int) async throws
        -> [IngestionWarning]
    public var duplicateGroups: @Sendable (_ property: String) async throws -> [DuplicateGroup]
    public var personsSharing: @Sendable (_ property: String, _ value: String) async throws -> [PersonSummary]
    /// The uuid (lowercase) of the person a distinct ID or uuid names, if any.
    public var resolvePerson: @Sendable (_ reference: String) async throws -> String?
    public var previewMerge: @Sendable (_ target: String, _ source: String) async throws -> MergePreview
    public var merge: @Sendable (_ target: String, _ source: String, _ force: Bool) async throws -> ActionRecord
    /// What merging all these persons (distinct IDs or uuids) into one would do.
    public var previewGroupMerge: @Sendable (_ references: [String]) async throws -> GroupMergePreview
    /// Merges them into one, recorded as one action.
    public var groupMerge: @Sendable (_ references: [String], _ force: Bool) async throws -> ActionRecord
    public var previewUndo: @Sendable (_ actionID: Int64) async throws -> UndoPreview
    public var undo: @Sendable (_ actionID: Int64) async throws -> UndoReport
    public var previewSplit: @Sendable (_ person: String, _ displayName: String, _ distinctIDs: [String]) async throws -> SplitPreview
    public var split: @Sendable (_ person: String, _ distinctIDs: [String]) async throws -> ActionRecord
    public var whyLinked: @Sendable (_ a: String, _ b: String) async throws -> [Link]
    /// The last comparison with PostHog (`identikit compare`), if any.
    public var comparison: @Sendable () async throws -> StoredComparison?
    /// Marks one of its disagreements open or accepted.
    public var setDifferenceStatus: @Sendable (_ id: Int64, _ status: DifferenceStatus) async throws -> Void
    /// The manual merges `identikit push` has sent to PostHog (to any host).
    public var pushedActions: @Sendable () async throws -> Set<Int64>
    /// How every distinct ID joined the person a reference names (`IdentityEngine.identityGraph`).
    public var identityGraph: @Sendable (_ reference: String) async throws -> IdentityGraph
    /// Likely identity mistakes (`PersonStore.suspects`).
    public var suspects: @Sendable () async throws -> SuspectReport
    /// Every write a person's property had (`PersonStore.propertyHistory`), oldest first.
    public var propertyHistory: @Sendable (_ personID: Int64, _ key: String) async throws -> [PropertyWrite]
    /// Commits made by anyone else (another process, a server), one element each; never our own writes.
    public var changes: @Sendable () -> AsyncStream<Void>

    public init(
        stats: @escaping @Sendable () async throws -> StoreStats,
        persons: @escaping @Sendable (PersonOrder, Bool, PersonCursor?, PersonFilter, Int) async throws -> PersonPage,
        search: @escaping @Sendable (String, Int) async throws -> [PersonSummary],
        personDetail: @escaping @Sendable (String) async throws -> PersonDetail?,
        events: @escaping @Sendable (Int64, Int64?, Int) async throws -> [StoredEvent],
        recentEvents: @escaping @Sendable (Int) async throws -> [StoredEvent],
        eventsAfter: @escaping @Sendable (Int64, Int) async throws -> [StoredEvent],
        warningGroups: @escaping @Sendable () async throws -> [WarningGroup],
        warnings: @escaping @Sendable (WarningType?, String?, Int64?, Int) async throws -> [IngestionWarning],
        duplicateGroups: @escaping @Sendable (String) async throws -> [DuplicateGroup],
        personsSharing: @escaping @Sendable (String, String) async throws -> [PersonSummary],
        resolvePerson: @escaping @Sendable (String) async throws -> String?,
        previewMerge: @escaping @Sendable (String, String) async throws -> MergePreview,
        merge: @escaping @Sendable (String, String, Bool) async throws -> ActionRecord,
        previewUndo: @escaping @Sendable (Int64) async throws -> UndoPreview,
        undo: @escaping @Sendable (Int64) async throws -> UndoReport,
        previewSplit: @escaping @Sendable (String, String, [String]) async throws -> SplitPreview,
        split: @escaping @Sendable (String, [String]) async throws -> ActionRecord,
        whyLinked: @escaping @Sendable (String, String) async throws -> [Link],
        comparison: @escaping @Sendable () async throws -> StoredComparison? = { nil },
        setDifferenceStatus: @escaping @Sendable (Int64, DifferenceStatus) async throws -> Void = { id, _ in
            throw ExplorerClientError("no disagreement \(id)")
        },
        pushedActions: @escaping @Sendable () async throws -> Set<Int64> = { [] },
        previewGroupMerge: @escaping @Sendable ([String]) async throws -> GroupMergePreview = { _ in
            throw ExplorerClientError("this client cannot merge groups")
        },
        groupMerge: @escaping @Sendable ([String], Bool) async throws -> ActionRecord = { _, _ in
            throw ExplorerClientError("this client cannot merge groups")
        },
        propertyHistory: @escaping @Sendable (Int64, String) async throws -> [PropertyWrite] = { _, _ in [] },
        identityGraph: @escaping @Sendable (String) async throws -> IdentityGraph = { reference in
            throw ExplorerClientError("this client draws no identity graph for \(reference)")
        },
        suspects: @escaping @Sendable () async throws -> SuspectReport = { SuspectReport(idThreshold: SuspectRules.minimumIDThreshold, suspects: []) },
        changes: @escaping @Sendable () -> AsyncStream<Void>
    ) {
        self.stats = stats
        self.persons = persons
        self.search = search
        self.personDetail = personDetail
        self.events = events
        self.recentEvents = recentEvents
        self.eventsAfter = eventsAfter
        self.warningGroups = warningGroups
        self.warnings = warnings
        self.duplicateGroups = duplicateGroups
        self.personsSharing = personsSharing
        self.resolvePerson = resolvePerson
        self.previewMerge = previewMerge
        self.merge = merge
        self.previewUndo = previewUndo
        self.undo = undo
        self.previewSplit = previewSplit
        self.split = split
        self.whyLinked = whyLinked
        self.comparison = comparison
        self.setDifferenceStatus = setDifferenceStatus
        self.pushedActions = pushedActions
        self.previewGroupMerge = previewGroupMerge
        self.groupMerge = groupMerge
        self.propertyHistory = propertyHistory
        self.identityGraph = identityGraph
        self.suspects = suspects
        self.changes = changes
    }
}
