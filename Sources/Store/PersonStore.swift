import Foundation
import IdentityCore

/// The one store the fronts (command line, explorer, capture server) talk to. Two stores implement
/// it: `SQLitePersonStore`, a file for one person's laptop, and `PostgresPersonStore`, a server for
/// a team with many writers. No front knows which one it has.
///
/// Like GRDB's `DatabaseReader`/`DatabaseWriter`: a few primitives that run the identity engine on
/// the store's storage (`write`, `read`, `dryRun`, `ingest`), the queries the screens and commands
/// page through, and conveniences in an extension. Every requirement is `async`: on a database
/// server each one is a network round trip, and no caller may block a UI loop or an event loop on it.
public protocol PersonStore: AnyObject, Sendable {
    /// What is open, for title bars and `identikit stats`: a file path or a URL without its password.
    var location: String { get }
    /// The rules, with the project id persons' uuids are made from.
    var engine: IdentityEngine { get }

    // MARK: Running the engine

    /// Ingests a batch of inputs in one transaction: all of it or none.
    func ingest(_ inputs: [ValidatedInput], now: Date) async throws -> [EventOutcome]
    /// Runs `body` in one write transaction (a manual merge, undo, split): all of it or none.
    func write<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) async throws -> T
    /// Runs `body` on the current state and keeps nothing it changed (previews).
    func dryRun<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) async throws -> T
    /// Runs the engine on the store without changing it (why-linked, a merge preview).
    func read<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) async throws -> T

    // MARK: Queries

    func stats() async throws -> StoreStats
    /// One page of the persons `filter` lets through, in `order`, newest first when `descending`,
    /// after `cursor`. The last page of the list is the first one in the other direction.
    func persons(order: PersonOrder, descending: Bool, after cursor: PersonCursor?, filter: PersonFilter, limit: Int) async throws -> PersonPage
    /// Persons a distinct ID, `email` or `name` of which contains `text` anywhere (any case), newest
    /// first. Text of one or two characters is too short for a trigram index: it matches prefixes.
    /// When more than `limit` persons match, which of them come back is the store's choice.
    func searchPersons(_ text: String, limit: Int) async throws -> [PersonSummary]
    /// The person a reference names: a distinct ID first, then a person uuid.
    func resolvePerson(_ reference: String) async throws -> Person?
    func personDetail(_ reference: String) async throws -> PersonDetail?
    /// Full persons with their distinct IDs, in the order given.
    func personsWithDistinctIDs(_ rowIDs: [Int64]) async throws -> [(Person, [String])]
    /// Events newest first, all or one distinct ID's, before `seq`.
    func events(distinctID: String?, before seq: Int64?, limit: Int) async throws -> [StoredEvent]
    /// A person's events (all its distinct IDs'), newest first, before `seq`.
    func events(personID: Int64, before seq: Int64?, limit: Int) async throws -> [StoredEvent]
    func event(uuid: UUID) async throws -> StoredEvent?
    /// Events stored after `seq`, oldest first: all, one distinct ID's, or one person's (all its
    /// IDs' as they are now). What `events --follow` and the live screen read as commits arrive.
    func events(after seq: Int64, distinctID: String?, personID: Int64?, limit: Int) async throws -> [StoredEvent]
    /// Every write a person's property `key` had or was asked for, oldest first: the events of its
    /// distinct IDs that set, set once or unset it (applied or skipped, and why), and the merges
    /// that brought a value (`PropertyHistory` derives it from the events' recorded effects).
    func propertyHistory(personID: Int64, key: String) async throws -> [PropertyWrite]
    /// Likely identity mistakes, at most `limit` of each kind (`SuspectKind`), found over indexes:
    /// persons by distinct-ID count, point lookups of generic-looking IDs, identified persons' emails.
    func suspects(limit: Int) async throws -> SuspectReport
    func warningGroups() async throws -> [WarningGroup]
    func warnings(type: WarningType?, containing text: String?, before id: Int64?, limit: Int) async throws -> [IngestionWarning]
    func duplicateGroups(property: String, limit: Int) async throws -> [DuplicateGroup]
    func personsSharing(property: String, value: String, limit: Int) async throws -> [PersonSummary]
    /// Verifies the store's invariants (after a crash, an import or a copy).
    func check() async throws -> CheckReport
    /// Sets the counts the store keeps for `stats()` from the rows themselves: for a store an
    /// identikit from before schema 7 (which kept none) wrote to after it was upgraded.
    func recountRows() async throws
    /// Events and manual actions in ingestion order, as `identikit export` writes them.
    func exportRecords(_ body: (JSONValue) throws -> Void) async throws

    // MARK: PostHog (compare and push)

    /// Persons' distinct IDs in person (row id) order, after `person`, `limit` persons at a time:
    /// how `identikit compare` reads the whole grouping without loading the store at once.
    func distinctIDGroups(after person: Int64?, limit: Int) async throws -> [DistinctIDGroup]
    /// Replaces the stored comparison with PostHog by this one.
    func saveComparison(_ comparison: StoredComparison) async throws
    /// The last comparison with PostHog, if any.
    func storedComparison() async throws -> StoredComparison?
    func setDifferenceStatus(id: Int64, status: DifferenceStatus) async throws
    /// Every manual merge and split, oldest first.
    func manualActions() async throws -> [ManualActionSummary]
    /// Every merge pushed to a PostHog host so far.
    func pushRecords() async throws -> [PushRecord]
    /// Records merges a host accepted, all in one transaction.
    func recordPushes(_ records: [PushRecord]) async throws

    /// A number that changes whenever anyone (another process, another machine) commits: live
    /// views compare it to know when to reload.
    func changeToken() async throws -> Int64

    /// Yields whenever anyone may have committed (coalesced: one element can stand for many
    /// commits), until the consumer stops listening. A live view reloads on each element.
    func changes() -> AsyncStream<Void>
}

extension PersonStore {
    public func persons(order: PersonOrder = .firstSeen, after cursor: PersonCursor? = nil, limit: Int = 50) async throws -> PersonPage {
        try await persons(order: order, descending: true, after: cursor, filter: .none, limit: limit)
    }

    public func persons(order: PersonOrder, descending: Bool, after cursor: PersonCursor?, limit: Int) async throws -> PersonPage {
        try await persons(order: order, descending: descending, after: cursor, filter: .none, limit: limit)
    }

    /// Without a push from the database, a change shows as a moved change token: one cheap query
    /// every `StoreChangePolling.interval`, a negligible share of a core.
    public func changes() -> AsyncStream<Void> {
        StoreChangePolling.changes(of: self)
    }

    /// A store with no read-only way to run the engine rehearses and rolls back.
    public func read<T: Sendable>(_ body: @escaping @Sendable (IdentityEngine, any IdentityStorage) throws -> T) async throws -> T {
        try await dryRun(body)
    }
}
