import Foundation

/// The explorer's main loop on a real terminal: keys and effect answers → `update` → `view` →
/// diff → ncurses. Effects run in their own tasks, so the loop only ever waits for keys.
public enum ExplorerApp {
    /// Runs until the user quits; returns the signal that ended it, if one did (the caller exits with 128+signal).
    @discardableResult
    public static func run(client: ExplorerClient, storeName: String, captureURL: String? = nil,
                           storeLocation: String? = nil) throws -> Int32? {
        let environment = ProcessInfo.processInfo.environment
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let screen = NcursesScreen(noColor: noColor)
        screen.start()
        defer { screen.stop() }
        let loop = ExplorerLoop(client: client, storeName: storeName, captureURL: captureURL, storeLocation: storeLocation,
                                backend: screen)
        defer { loop.stop() }
        let timing = environment["IDENTIKIT_EXPLORER_TIMING"].map { FileHandle(forWritingAtPath: $0) ?? nil } ?? nil
        let started = Date()
        var firstFrame = true
        var keyStarted: Date?

        while !loop.state.quit {
            loop.deliver()
            let drew = loop.drawIfNeeded(always: keyStarted != nil)
            if drew, let timing {
                // first-frame-ms: the first frame with the opening queries answered (not the blank one before).
                if firstFrame, !loop.isWorking {
                    timing.write(Data("first-frame-ms \(Int(Date().timeIntervalSince(started) * 1000))\n".utf8))
                    firstFrame = false
                }
                // key-ms: from a key to the frame that shows it (its queries may still be running).
                if let keyStarted { timing.write(Data("key-ms \(String(format: "%.2f", Date().timeIntervalSince(keyStarted) * 1000))\n".utf8)) }
            }
            if drew { keyStarted = nil }
            if let signal = screen.pendingSignal { return signal }
            if screen.terminalLost { return SIGHUP }
            // While effects run, look back soon for their answers; otherwise wait for keys.
            if let input = screen.read(timeout: loop.isWorking ? 10 : 100) {
                keyStarted = Date()
                loop.handle(input)
            }
        }
        return nil
    }
}
