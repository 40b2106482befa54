/// What `identikit serve --explore` hands the explorer.
struct LiveExplorerContext: Sendable {
    /// The store the server writes into; the explorer reads it and refreshes as it changes.
    var storePath: String
    /// Where the server listens ("http://127.0.0.1:8010"), to show in the explorer.
    var serverURL: String
    /// Where the server's log lines go while the explorer owns the terminal.
    var logFile: String?
}

/// The explorer's entry point for `serve --explore`: runs the explorer in the foreground on the
/// store and returns when the user quits; the server then shuts down.
///
/// `nil` in builds without the explorer, and `serve --explore` says so. When the explorer lands,
/// set this to a closure that starts it, e.g. `{ context in try Explore.runLive(context) }`.
let liveExplorer: (@Sendable (LiveExplorerContext) throws -> Void)? = nil
