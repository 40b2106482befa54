import Foundation

/// The explorer between a terminal and a client: messages go through `update`, effects leave as
/// tasks, their answers come back through the inbox, frames go out through the diff. The terminal
/// loop (`ExplorerApp`) and the headless explorer (benchmarks, tests) both drive this one.
final class ExplorerLoop {
    private(set) var state: AppState
    let inbox = Inbox()
    let runner: EffectRunner
    let writer: FrameWriter
    /// Effects running longer than this show the loading mark.
    static let slowAfter: TimeInterval = 0.1
    /// Whether the state changed since the last frame.
    private(set) var dirty = true
    private var watcher: Task<Void, Never>?

    init(client: ExplorerClient, storeName: String, captureURL: String? = nil, storeLocation: String? = nil,
         backend: any TerminalBackend) {
        runner = EffectRunner(client: client, inbox: inbox)
        writer = FrameWriter(backend)
        state = AppState(width: backend.width, height: backend.height, storeName: storeName)
        state.captureURL = captureURL
        state.storeLocation = storeLocation
        // Live refresh: the client's stream of other writers' commits, consumed apart from the UI.
        let changes = client.changes()
        watcher = Task.detached { [inbox] in
            for await _ in changes { inbox.post(.storeChanged(external: true)) }
        }
        start(Reducer.start(state))
    }

    deinit { watcher?.cancel() }

    func stop() { watcher?.cancel() }

    func send(_ message: Message) {
        let (next, effects) = Reducer.update(state, message)
        if next != state { dirty = true }
        state = next
        start(effects)
    }

    private func start(_ effects: [Effect]) {
        for effect in effects { runner.start(effect) }
    }

    /// A key or a resize from the terminal.
    func handle(_ input: TerminalInput) {
        switch input {
        case .key(let key): send(.key(key))
        case .resized(let width, let height):
            writer.forget()
            send(.resize(width: width, height: height))
        }
    }

    /// Applies every answer that has arrived, and shows or hides the loading mark.
    func deliver(now: Date = Date()) {
        for message in inbox.take() { send(message) }
        let busy = inbox.oldestRunning.map { now.timeIntervalSince($0) >= Self.slowAfter } ?? false
        if busy != state.busy { send(.busy(busy)) }
    }

    /// Draws the frame if anything changed (or `always`: after a key, whose frame is timed even
    /// when it changes nothing; the diff then writes nothing); returns whether it drew.
    @discardableResult
    func drawIfNeeded(always: Bool = false) -> Bool {
        guard dirty || always else { return false }
        writer.draw(Renderer.view(state))
        dirty = false
        return true
    }

    /// Whether effects are still running or answers wait to be applied.
    var isWorking: Bool { !inbox.isQuiet }
}
