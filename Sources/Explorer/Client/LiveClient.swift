import Foundation
import IdentityCore
import SQLiteStore

/// The explorer over the SQLite `SQLitePersonStore`: the one file of the explorer that names the store
/// type. Another store (PostgreSQL) gets its own constructor beside this one; nothing else changes.
extension ExplorerClient {
    public static func live(store: SQLitePersonStore, now: @escaping @Sendable () -> Date = Date.init,
                            pollInterval: Duration = .milliseconds(250)) -> ExplorerClient {
        let counter = ChangeCounter(store: store)
        /// The engine names persons by distinct ID; a person uuid becomes its first distinct ID.
        @Sendable func distinctID(_ reference: String) throws -> String {
            if UUID(text: reference) != nil, let detail = try store.personDetail(reference),
               detail.person.uuid.lowercased == reference.lowercased, let first = detail.distinctIDs.first {
                return first.distinctID
            }
            return reference
        }
        return ExplorerClient(
            stats: { try store.stats() },
            persons: { order, after, limit in try store.persons(order: order, descending: true, after: after, limit: limit) },
            search: { text, limit in try store.searchPersons(text, limit: limit) },
            personDetail: { reference in try store.personDetail(reference) },
            events: { personID, before, limit in try store.events(personID: personID, before: before, limit: limit) },
            warningGroups: { try store.warningGroups() },
            warnings: { type, text, before, limit in try store.warnings(type: type, containing: text, before: before, limit: limit) },
            duplicateGroups: { property in try store.duplicateGroups(property: property) },
            personsSharing: { property, value in try store.personsSharing(property: property, value: value) },
            resolvePerson: { reference in try store.resolvePerson(reference)?.uuid.lowercased },
            previewMerge: { target, source in
                let t = try distinctID(target), s = try distinctID(source)
                return try store.readStorage { try store.engine.previewMerge(target: t, source: s, in: $0) }
            },
            merge: { target, source, force in
                let t = try distinctID(target), s = try distinctID(source)
                return try counter.writing { try store.write { try store.engine.manualMerge(target: t, source: s, force: force, in: $0, now: now()) } }
            },
            previewUndo: { actionID in
                let report = try store.dryRun { try store.engine.undo(actionID, in: $0, now: now()) }
                guard let action = try store.readStorage({ try $0.action(actionID) }) else {
                    throw ExplorerClientError("no action \(actionID)")
                }
                return UndoPreview(action: action, movedBack: report.movedBack, leftInPlace: report.leftInPlace, keptKeys: report.keptKeys)
            },
            undo: { actionID in try counter.writing { try store.write { try store.engine.undo(actionID, in: $0, now: now()) } } },
            previewSplit: { person, displayName, ids in
                guard let detail = try store.personDetail(person) else { throw ExplorerClientError("no person \(Escaping.quoted(person))") }
                _ = try store.dryRun { try store.engine.split(person: person, distinctIDs: ids, in: $0, now: now()) }
                let all = detail.distinctIDs.map(\.distinctID)
                return SplitPreview(person: person, displayName: displayName, distinctIDs: ids, remaining: all.filter { !ids.contains($0) })
            },
            split: { person, ids in
                try counter.writing { try store.write { try store.engine.split(person: person, distinctIDs: ids, in: $0, now: now()) } }
            },
            whyLinked: { a, b in try store.readStorage { try store.engine.whyLinked(a, b, in: $0) } },
            changes: { counter.changes(every: pollInterval) }
        )
    }
}

/// A refusal the client words itself (the store found nothing to act on).
public struct ExplorerClientError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Tells other processes' commits from ours. SQLite cannot push changes, so a background task
/// watches the store's change counter and turns each rise into a stream element; our own writes
/// move the last seen value under the same lock, so they are never announced.
final class ChangeCounter: @unchecked Sendable {
    private let store: SQLitePersonStore
    private let lock = NSLock()
    private var seen: Int

    init(store: SQLitePersonStore) {
        self.store = store
        seen = (try? store.changeCounter()) ?? 0
    }

    /// Runs one of our writes, then takes its commit as seen.
    func writing<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let result = try body()
        seen = (try? store.changeCounter()) ?? seen
        return result
    }

    /// Whether someone else committed since the last look.
    func changedElsewhere() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let now = try? store.changeCounter(), now != seen else { return false }
        seen = now
        return true
    }

    func changes(every interval: Duration) -> AsyncStream<Void> {
        AsyncStream { continuation in
            let watcher = Task.detached { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if changedElsewhere() { continuation.yield() }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in watcher.cancel() }
        }
    }
}

extension ExplorerApp {
    /// Runs the explorer on a SQLite store (what `identikit browse` and `serve --explore` open).
    @discardableResult
    public static func run(store: SQLitePersonStore) throws -> Int32? {
        try run(client: .live(store: store), storeName: (store.path as NSString).lastPathComponent)
    }
}

extension HeadlessExplorer {
    /// The headless explorer on a SQLite store (the benchmark's); returns with the first full frame
    /// drawn. Blocks the calling thread while the opening queries run, so not for tasks.
    @available(*, noasync)
    public convenience init(store: SQLitePersonStore, width: Int, height: Int) {
        self.init(client: .live(store: store), storeName: (store.path as NSString).lastPathComponent, width: width, height: height)
        waitUntilSettled()
    }
}
