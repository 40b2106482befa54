import Explorer
import Store

/// What `identikit serve --explore` hands the explorer.
struct LiveExplorerContext: Sendable {
    /// The store the server writes into; the explorer reads it and refreshes as it changes.
    var store: any PersonStore
    /// Where the server listens ("http://127.0.0.1:8010"), to show in the explorer.
    var serverURL: String
    /// Where the server's log lines go while the explorer owns the terminal.
    var logFile: String?
}

/// The explorer's entry point for `serve --explore`: runs the explorer in the foreground on the
/// store the server writes (it sees the server's commits through live refresh, as any other
/// process's) and returns when the user quits; the server then shuts down.
let liveExplorer: @Sendable (LiveExplorerContext) throws -> Void = { context in
    _ = try ExplorerApp.run(store: context.store, captureURL: context.serverURL)
}
