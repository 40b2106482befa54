import Foundation
import IdentityStore

/// The explorer's main loop: effects → messages → `update` → `view` → terminal, plus live refresh.
public enum ExplorerApp {
    /// How often the store's change counter is polled for writes by other processes.
    public static let pollInterval: TimeInterval = 0.5

    /// Runs until the user quits; returns the signal that ended it, if one did (the caller exits with 128+signal).
    @discardableResult
    public static func run(store: PersonStore) throws -> Int32? {
        let environment = ProcessInfo.processInfo.environment
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let screen = NcursesScreen(noColor: noColor)
        screen.start()
        defer { screen.stop() }
        let runner = EffectRunner(store: store)
        let name = (store.path as NSString).lastPathComponent
        var state = AppState(width: screen.width, height: screen.height, storeName: name)
        var pending = Reducer.start(state)
        var lastPoll = Date()
        let timing = environment["IDENTIKIT_EXPLORER_TIMING"].map { FileHandle(forWritingAtPath: $0) ?? nil } ?? nil
        let started = Date()
        var firstFrame = true
        var keyStarted: Date?

        while !state.quit {
            runner.settle(pending, state: &state)
            pending = []
            screen.draw(Renderer.view(state))
            if let timing {
                if firstFrame { timing.write(Data("first-frame-ms \(Int(Date().timeIntervalSince(started) * 1000))\n".utf8)) }
                if let keyStarted { timing.write(Data("key-ms \(String(format: "%.2f", Date().timeIntervalSince(keyStarted) * 1000))\n".utf8)) }
            }
            firstFrame = false
            keyStarted = nil
            if let signal = screen.pendingSignal { return signal }
            if screen.terminalLost { return SIGHUP }
            if let input = screen.read(timeout: 100) {
                keyStarted = Date()
                let message: Message
                switch input {
                case .key(let key): message = .key(key)
                case .resized(let width, let height): message = .resize(width: width, height: height)
                }
                let (next, effects) = Reducer.update(state, message)
                state = next
                pending += effects
            }
            if Date().timeIntervalSince(lastPoll) >= pollInterval {
                lastPoll = Date()
                if let changed = runner.checkForChanges() {
                    let (next, effects) = Reducer.update(state, changed)
                    state = next
                    pending += effects
                }
            }
        }
        return nil
    }
}
