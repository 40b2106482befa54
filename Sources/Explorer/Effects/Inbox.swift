import Foundation

/// Where effect tasks and the store's change stream leave messages for the UI loop, which takes
/// them without waiting. It also knows which effects are still running, and since when, for the
/// loading mark and for tests that wait for quiet.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [Message] = []
    private var running: [Int: Date] = [:]
    private var lastTicket = 0

    /// An effect starts: returns its ticket.
    func begin() -> Int {
        lock.withLock {
            lastTicket += 1
            running[lastTicket] = Date()
            return lastTicket
        }
    }

    /// An effect is done: its answers arrive and it stops counting as running, in one step
    /// (so a waiter never sees it finished without its answers).
    func finish(_ ticket: Int, _ answers: [Message]) {
        lock.withLock {
            messages += answers
            running[ticket] = nil
        }
    }

    func post(_ message: Message) {
        lock.withLock { messages.append(message) }
    }

    /// Everything that arrived, oldest first.
    func take() -> [Message] {
        lock.withLock {
            defer { messages = [] }
            return messages
        }
    }

    /// When the longest-running effect started; nil when none runs.
    var oldestRunning: Date? { lock.withLock { running.values.min() } }

    /// Nothing running and nothing waiting to be taken.
    var isQuiet: Bool { lock.withLock { running.isEmpty && messages.isEmpty } }
}
