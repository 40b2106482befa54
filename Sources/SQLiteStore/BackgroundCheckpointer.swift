import Foundation
import GRDB

/// Copies the write-ahead log into the database on its own thread while a bulk ingest writes.
///
/// SQLite's automatic checkpoint runs inside the commit that fills the log, on the writer thread,
/// which is what limits an ingest. During a bulk ingest this turns it off for the store's writer
/// connection and, after each commit, runs a passive checkpoint on a second connection: it copies
/// the committed pages while the writer works on its next batch in memory.
///
/// SQLite starts the log over only when a write transaction begins after a complete checkpoint, and
/// the writer begins its next batch at once; so once the log passes `catchUpFrames` pages, the writer
/// waits for the background copy and copies the last batch itself (a short checkpoint), and its next
/// transaction restarts the log. The log stays under about `catchUpFrames` pages plus two commits
/// (the count it goes by is the background copy's, one commit behind).
///
/// Each catch-up costs the writer one commit's copy and a sync of the store, which grows with the
/// store (75 ms a catch-up at the start of a million-event file, 320 ms at its end), so the log
/// holds several commits between catch-ups: a commit of 10,000 events writes about 9,000 pages.
public final class BackgroundCheckpointer: @unchecked Sendable {
    private let store: SQLitePersonStore
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "identikit.checkpoint")
    private let lock = NSLock()
    private var scheduled = false
    private let catchUpFrames: Int
    /// Pages in the log at the last checkpoint.
    private var logFrames = 0

    /// 40,000 pages of 4 KiB: a log of up to about 230 MB, a catch-up every fourth commit or so.
    /// At 10,000 the writer caught up after nearly every commit: 21 s of a 90 s million-event ingest.
    public static let defaultCatchUpFrames = 40_000

    public init(store: SQLitePersonStore, catchUpFrames: Int = defaultCatchUpFrames) throws {
        self.store = store
        self.catchUpFrames = catchUpFrames
        var configuration = Configuration()
        configuration.busyMode = .timeout(SQLitePersonStore.busyTimeout)
        connection = try DatabaseQueue(path: store.path, configuration: configuration)
        try store.setAutomaticCheckpoints(false)
    }

    /// Call on the writer's thread after each commit.
    public func committed() {
        if lock.withLock({ logFrames }) > catchUpFrames {
            queue.sync {}
            let frames = try? store.checkpointPassively()
            lock.withLock { logFrames = frames ?? 0 }
            return
        }
        let alreadyScheduled = lock.withLock {
            defer { scheduled = true }
            return scheduled
        }
        guard !alreadyScheduled else { return }
        queue.async { [self] in
            lock.withLock { scheduled = false }
            // Passive: never waits for the writer or readers; what it cannot copy now is copied next time.
            let frames = try? connection.writeWithoutTransaction { db in try SQLitePersonStore.checkpointPassively(db) }
            lock.withLock { logFrames = frames ?? logFrames }
        }
    }

    /// Waits for the last checkpoint and gives the writer its automatic checkpoints back.
    public func finish() {
        queue.sync {}
        try? store.setAutomaticCheckpoints(true)
    }
}

extension SQLitePersonStore {
    /// Runs a passive checkpoint on the writer connection; returns the pages in the log.
    func checkpointPassively() throws -> Int {
        try pool.writeWithoutTransaction { db in try Self.checkpointPassively(db) }
    }

    static func checkpointPassively(_ db: Database) throws -> Int {
        // Columns: busy, pages in the log, pages copied.
        try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")?[1] ?? 0
    }

    /// On is SQLite's default: a commit that leaves more than 1,000 pages in the log copies them.
    func setAutomaticCheckpoints(_ on: Bool) throws {
        try setAutomaticCheckpoints(afterPages: on ? 1000 : 0)
    }

    /// The log pages after which the commit that passes them copies the log into the store (0: never).
    public func setAutomaticCheckpoints(afterPages pages: Int) throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }
    }
}
