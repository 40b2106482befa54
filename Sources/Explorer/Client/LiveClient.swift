import Foundation
import IdentityCore
import SQLiteStore
import Store

/// The explorer over a real store, SQLite or PostgreSQL: the one file of the explorer that talks to
/// the store protocol. Every call is async, so a slow store (a server across a network) never
/// freezes the keys; the reducer tests use an in-memory client instead.
extension ExplorerClient {
    public static func live(store: any PersonStore, now: @escaping @Sendable () -> Date = Date.init,
                            wakeups: (@Sendable () -> AsyncStream<Void>)? = nil) -> ExplorerClient {
        let wakeups = wakeups ?? { store.changes() }
        let counter = ChangeCounter(store: store)
        /// The engine names persons by distinct ID; a person uuid becomes its first distinct ID.
        @Sendable func distinctID(_ reference: String) async throws -> String {
            if UUID(text: reference) != nil, let detail = try await store.personDetail(reference),
               detail.person.uuid.lowercased == reference.lowercased, let first = detail.distinctIDs.first {
                return first.distinctID
            }
            return reference
        }
        return ExplorerClient(
            stats: { try await store.stats() },
            persons: { order, after, limit in try await store.persons(order: order, descending: true, after: after, limit: limit) },
            search: { text, limit in try await store.searchPersons(text, limit: limit) },
            personDetail: { reference in try await store.personDetail(reference) },
            events: { personID, before, limit in try await store.events(personID: personID, before: before, limit: limit) },
            warningGroups: { try await store.warningGroups() },
            warnings: { type, text, before, limit in try await store.warnings(type: type, containing: text, before: before, limit: limit) },
            duplicateGroups: { property in try await store.duplicateGroups(property: property, limit: 500) },
            personsSharing: { property, value in try await store.personsSharing(property: property, value: value, limit: 500) },
            resolvePerson: { reference in try await store.resolvePerson(reference)?.uuid.lowercased },
            previewMerge: { target, source in
                let t = try await distinctID(target), s = try await distinctID(source)
                return try await store.read { engine, storage in try engine.previewMerge(target: t, source: s, in: storage) }
            },
            merge: { target, source, force in
                let t = try await distinctID(target), s = try await distinctID(source)
                return try await counter.writing {
                    try await store.write { engine, storage in try engine.manualMerge(target: t, source: s, force: force, in: storage, now: now()) }
                }
            },
            previewUndo: { actionID in
                let (report, action) = try await store.dryRun { engine, storage in
                    (try engine.undo(actionID, in: storage, now: now()), try storage.action(actionID))
                }
                guard let action else { throw ExplorerClientError("no action \(actionID)") }
                return UndoPreview(action: action, movedBack: report.movedBack, leftInPlace: report.leftInPlace, keptKeys: report.keptKeys)
            },
            undo: { actionID in
                try await counter.writing { try await store.write { engine, storage in try engine.undo(actionID, in: storage, now: now()) } }
            },
            previewSplit: { person, displayName, ids in
                guard let detail = try await store.personDetail(person) else { throw ExplorerClientError("no person \(Escaping.quoted(person))") }
                _ = try await store.dryRun { engine, storage in try engine.split(person: person, distinctIDs: ids, in: storage, now: now()) }
                let all = detail.distinctIDs.map(\.distinctID)
                return SplitPreview(person: person, displayName: displayName, distinctIDs: ids, remaining: all.filter { !ids.contains($0) })
            },
            split: { person, ids in
                try await counter.writing {
                    try await store.write { engine, storage in try engine.split(person: person, distinctIDs: ids, in: storage, now: now()) }
                }
            },
            whyLinked: { a, b in try await store.read { engine, storage in try engine.whyLinked(a, b, in: storage) } },
            comparison: { try await store.storedComparison() },
            setDifferenceStatus: { id, status in try await store.setDifferenceStatus(id: id, status: status) },
            pushedActions: { Set(try await store.pushRecords().map(\.actionID)) },
            changes: { counter.changes(wakingOn: wakeups()) }
        )
    }
}

/// A refusal the client words itself (the store found nothing to act on).
public struct ExplorerClientError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Tells other processes' commits from ours: woken by the store's change stream (a notification
/// from PostgreSQL, a moved token in SQLite), it compares the change token with the last one seen;
/// our own writes move the last seen token first, so they are not announced (the screen reloads
/// after them anyway).
actor ChangeCounter {
    private let store: any PersonStore
    private var seen: Int64?

    init(store: any PersonStore) {
        self.store = store
    }

    /// Runs one of our writes, then takes its commit as seen.
    func writing<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let result = try await body()
        seen = try? await store.changeToken()
        return result
    }

    /// Takes the current token as the starting point, unless one of our writes already set it.
    func start() async {
        if seen == nil { seen = try? await store.changeToken() }
    }

    /// Whether someone else committed since the last look.
    func changedElsewhere() async -> Bool {
        guard let now = try? await store.changeToken() else { return false }
        defer { seen = now }
        guard let seen else { return false }
        return now != seen
    }

    nonisolated func changes(wakingOn wakeups: AsyncStream<Void>) -> AsyncStream<Void> {
        AsyncStream { continuation in
            let watcher = Task.detached { [self] in
                await start()
                for await _ in wakeups {
                    if await changedElsewhere() { continuation.yield() }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in watcher.cancel() }
        }
    }
}

/// The title bar's name of a store: a file's name, or a server's URL (never with a password).
func storeTitle(_ location: String) -> String {
    location.contains("://") ? location : (location as NSString).lastPathComponent
}

extension ExplorerApp {
    /// Runs the explorer on a store (what `identikit browse` and `serve --explore` open).
    @discardableResult
    public static func run(store: any PersonStore) throws -> Int32? {
        try run(client: .live(store: store), storeName: storeTitle(store.location))
    }
}

extension HeadlessExplorer {
    /// The headless explorer on a store (the benchmark's); returns with the first full frame
    /// drawn. Blocks the calling thread while the opening queries run, so not for tasks.
    @available(*, noasync)
    public convenience init(store: any PersonStore, width: Int, height: Int) {
        self.init(client: .live(store: store), storeName: storeTitle(store.location), width: width, height: height)
        waitUntilSettled()
    }
}
