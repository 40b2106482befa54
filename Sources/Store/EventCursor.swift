import Foundation

/// Where a reader of new events is: which events it has been given, so each one is given once.
///
/// A PostgreSQL writer takes its events' numbers (seq) when it inserts them, not when it commits:
/// a batch that commits late can hold numbers below ones already read. So the reader reads again
/// from `readAfter`, the last `window` numbers below the newest it was given, and skips what it
/// gave. With one writer (SQLite) that only costs re-reading a few rows. Pure, so the explorer's
/// reducer keeps one in its state.
public struct EventCursor: Sendable, Equatable {
    /// Events at or below this were there before (or are settled): never given.
    public private(set) var base: Int64
    /// Numbers above `base` already given.
    private var given: Set<Int64> = []
    public let window: Int64

    public init(after seq: Int64, window: Int64 = 200) {
        base = seq
        self.window = window
    }

    /// Read events after this.
    public var readAfter: Int64 { max(base, newest - window) }

    /// The newest number given, or the start.
    public var newest: Int64 { given.max() ?? base }

    /// The events of `events` not given before, oldest first.
    public mutating func take(_ events: [StoredEvent]) -> [StoredEvent] {
        let fresh = events.filter { $0.seq > base && !given.contains($0.seq) }.sorted { $0.seq < $1.seq }
        var seen = Set<Int64>()
        let unique = fresh.filter { seen.insert($0.seq).inserted }
        given.formUnion(seen)
        let settled = newest - window
        if settled > base {
            base = settled
            given = given.filter { $0 > settled }
        }
        return unique
    }
}

extension PersonStore {
    /// Everything new for `cursor`, a page at a time (a reader that fell behind catches up).
    public func newEvents(_ cursor: inout EventCursor, distinctID: String? = nil, personID: Int64? = nil,
                          page: Int = 500) async throws -> [StoredEvent] {
        var read: [StoredEvent] = []
        var after = cursor.readAfter
        while true {
            let events = try await events(after: after, distinctID: distinctID, personID: personID, limit: page)
            read += events
            guard events.count == page, let last = events.last else { break }
            after = last.seq
        }
        return cursor.take(read)
    }
}
