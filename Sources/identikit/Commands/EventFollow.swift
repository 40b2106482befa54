import Foundation
import IdentityCore
import Store

/// `identikit events --follow`: the last few events, then each event as it is committed, one line
/// each, written at once (a pipe reader sees it without waiting for a buffer to fill).
struct EventFollow {
    let store: CommandStore
    let distinctID: String?
    /// A distinct ID or person uuid, resolved again at every look: an ID that joins the person later counts.
    let person: String?
    let backlog: Int
    let json: Bool

    func run() async throws {
        // The newest event of all, whatever the filter: where following starts.
        let newest = try await store.events(distinctID: nil, before: nil, limit: 1).first?.seq ?? 0
        let lines = FollowLines(json: json)
        if backlog > 0 {
            let recent: [StoredEvent]
            if let person {
                if let rowID = try await store.resolvePerson(person)?.rowID {
                    recent = try await store.events(personID: rowID, before: newest + 1, limit: backlog)
                } else {
                    recent = []
                }
            } else {
                recent = try await store.events(distinctID: distinctID, before: newest + 1, limit: backlog)
            }
            for event in recent.reversed() { lines.print(event) }
        }
        // On stderr, so JSON output stays pure; a script can wait for it to know following has begun.
        lines.note("following new events; Ctrl-C to stop")

        let watcher = ChangeWatcher(store: store)
        let following = Task { [store, distinctID, person] in
            var cursor = EventCursor(after: newest)
            for await _ in watcher.changes() {
                var personID: Int64?
                if let person {
                    guard let rowID = try await store.resolvePerson(person)?.rowID else { continue }
                    personID = rowID
                }
                for event in try await store.newEvents(&cursor, distinctID: distinctID, personID: personID) {
                    lines.print(event)
                }
            }
        }
        // Ctrl-C and SIGTERM end the follow normally: every line printed is already written.
        let stop = StopSignals { following.cancel() }
        defer { stop.cancel() }
        do {
            try await following.value
        } catch is CancellationError {}
    }
}

/// One event per line: JSON, or seq, time, event, distinct ID and effect in fixed columns.
private struct FollowLines {
    let json: Bool

    func print(_ event: StoredEvent) {
        if json {
            write(JSONCoding.string(JSONShapes.event(event)))
            return
        }
        let cells = [String(event.seq).padding(7), Human.time(event.timestamp).padding(21),
                     Escaping.terminalSafe(event.name).cut(20).padding(21), Escaping.terminalSafe(event.distinctID).cut(28).padding(29),
                     Escaping.terminalSafe(EventEffect.summary(event.effect, duplicates: event.duplicates))]
        write(cells.joined().trimmingTrailingSpaces())
    }

    func note(_ text: String) { Terminal.standardError.write("identikit: \(text)\n") }

    private func write(_ line: String) {
        // Straight to the descriptor, unbuffered: each event reaches a pipe reader as it is committed.
        let output = BufferedOutput()
        output.write(line + "\n")
        output.flush()
    }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : padding(toLength: width, withPad: " ", startingAt: 0) }
    func cut(_ width: Int) -> String { count > width ? String(prefix(width - 1)) + "…" : self }
}

/// Runs `handler` once on SIGINT or SIGTERM instead of the default (killing the process).
/// Unchecked: the sources are set once in `init` and only cancelled after (Dispatch is thread-safe).
final class StopSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
