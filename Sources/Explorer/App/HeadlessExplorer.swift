import Foundation

/// The explorer without a terminal: the same loop as `ExplorerApp`, drawing on a `TestBackend`.
/// The benchmarks time it; tests drive it key by key, frame by frame.
public final class HeadlessExplorer {
    public let backend: TestBackend
    let loop: ExplorerLoop

    public init(client: ExplorerClient, storeName: String, captureURL: String? = nil, width: Int, height: Int) {
        backend = TestBackend(width: width, height: height)
        loop = ExplorerLoop(client: client, storeName: storeName, captureURL: captureURL, backend: backend)
        loop.drawIfNeeded()
    }

    deinit { loop.stop() }

    public var state: AppState { loop.state }
    /// What the terminal shows.
    public var frame: CellGrid { backend.buffer }
    /// Whether effects are still running or answers wait to be applied.
    public var isWorking: Bool { loop.isWorking }

    /// One turn of the UI loop: a queued key or resize, the answers that have arrived, a frame.
    /// Never waits for effects.
    public func step(_ input: TerminalInput? = nil) {
        if let input { loop.handle(input) }
        loop.deliver()
        loop.drawIfNeeded()
    }

    /// The window changes size (drawn at once: a resize asks for nothing).
    public func resize(width: Int, height: Int) {
        backend.resize(width: width, height: height)
        step(backend.read(timeout: 0))
    }

    /// Sends a message as if it arrived (a store change, a resize) and draws.
    public func send(_ message: Message) {
        loop.send(message)
        step()
    }

    /// Presses a key and waits until every effect it caused has answered and been drawn.
    public func press(_ key: Key) async {
        step(.key(key))
        await settle()
    }

    /// Waits until no effect is running, applying answers as they come.
    public func settle() async {
        while loop.isWorking {
            step()
            try? await Task.sleep(for: .milliseconds(1))
        }
        step()
    }

    /// `press`, for callers that are not async (the benchmark): blocks this thread, so never call it from a task.
    @available(*, noasync, message: "use press(_:) from async code")
    public func pressAndWait(_ key: Key) {
        step(.key(key))
        waitUntilSettled()
    }

    /// `settle`, blocking this thread (not for tasks).
    @available(*, noasync, message: "use settle() from async code")
    public func waitUntilSettled() {
        while loop.isWorking {
            step()
            usleep(200)
        }
        step()
    }
}
