import Foundation
import IdentityCore
import Store

/// The explorer over a real store, SQLite or PostgreSQL: the one file of the explorer that talks to
/// the store protocol. Every call is async, so a slow store (a server across a network) never
/// freezes the keys; the reducer tests use an in-memory client instead.
extension ExplorerClient {
    public static func live(store: any PersonStore, now: @escaping @Sendable () -> Date = Date.init,
                            wakeups: (@Sendable () -> AsyncStream<Void>)? = nil) -> ExplorerClient {
        // Our own writes are taken as seen, so only others' commits are announced.
        let watcher = ChangeWatcher(store: store, wakeups: wakeups)
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
            persons: { order, descending, after, filter, limit in
                try await store.persons(order: order, descending: descending, after: after, filter: filter, limit: limit)
            },
            search: { text, limit in try await store.searchPersons(text, limit: limit) },
            personDetail: { reference in try await store.personDetail(reference) },
            events: { personID, before, limit in try await store.events(personID: personID, before: before, limit: limit) },
            recentEvents: { limit in try await store.events(distinctID: nil, before: nil, limit: limit) },
            eventsAfter: { seq, limit in try await store.events(after: seq, distinctID: nil, personID: nil, limit: limit) },
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
                return try await watcher.writing {
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
                try await watcher.writing { try await store.write { engine, storage in try engine.undo(actionID, in: storage, now: now()) } }
            },
            previewSplit: { person, displayName, ids in
                guard let detail = try await store.personDetail(person) else { throw ExplorerClientError("no person \(Escaping.quoted(person))") }
                _ = try await store.dryRun { engine, storage in try engine.split(person: person, distinctIDs: ids, in: storage, now: now()) }
                let all = detail.distinctIDs.map(\.distinctID)
                return SplitPreview(person: person, displayName: displayName, distinctIDs: ids, remaining: all.filter { !ids.contains($0) })
            },
            split: { person, ids in
                try await watcher.writing {
                    try await store.write { engine, storage in try engine.split(person: person, distinctIDs: ids, in: storage, now: now()) }
                }
            },
            whyLinked: { a, b in try await store.read { engine, storage in try engine.whyLinked(a, b, in: storage) } },
            comparison: { try await store.storedComparison() },
            setDifferenceStatus: { id, status in try await store.setDifferenceStatus(id: id, status: status) },
            pushedActions: { Set(try await store.pushRecords().map(\.actionID)) },
            previewGroupMerge: { references in
                try await store.read { engine, storage in try engine.previewGroupMerge(references, in: storage) }
            },
            groupMerge: { references, force in
                try await watcher.writing {
                    try await store.write { engine, storage in try engine.groupMerge(references, force: force, in: storage, now: now()) }
                }
            },
            propertyHistory: { personID, key in try await store.propertyHistory(personID: personID, key: key) },
            identityGraph: { reference in try await store.read { engine, storage in try engine.identityGraph(of: reference, in: storage) } },
            suspects: { try await store.suspects(limit: SuspectRules.limitPerKind) },
            changes: { watcher.changes() }
        )
    }
}

/// A refusal the client words itself (the store found nothing to act on).
public struct ExplorerClientError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The title bar's name of a store: a file's name, or a server's URL (never with a password).
func storeTitle(_ location: String) -> String {
    location.contains("://") ? location : (location as NSString).lastPathComponent
}

extension ExplorerApp {
    /// Runs the explorer on a store (what `identikit browse` and `serve --explore` open; the latter
    /// passes its capture server's URL).
    @discardableResult
    public static func run(store: any PersonStore, captureURL: String? = nil) throws -> Int32? {
        try run(client: .live(store: store), storeName: storeTitle(store.location), captureURL: captureURL,
                storeLocation: store.location)
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
