import Foundation

/// `identikit serve` (on a free port, or the one given) as a child process: started, asked for its address, stopped with SIGTERM.
public final class ServeProcess: @unchecked Sendable {
    public let process: ChildProcess
    public let url: String
    public let storePath: String

    /// Starts the server on `port` (0: a free one) and waits for its "listening on" line.
    public init(store: String, port: Int = 0, extraArguments: [String] = [], timeout: TimeInterval = 60) throws {
        storePath = store
        process = try Identikit.start(["serve", "--port", String(port), "--db", store] + extraArguments)
        let deadline = Date().addingTimeInterval(timeout)
        var found: String?
        while found == nil {
            let output = process.stdout
            if let newline = output.firstIndex(of: "\n") {
                let line = String(output[..<newline])
                guard line.hasPrefix("listening on ") else {
                    process.stop()
                    throw TestFailure("unexpected first line from identikit serve: \(line)")
                }
                found = String(line.dropFirst("listening on ".count))
            } else if let ended = process.termination {
                throw TestFailure("identikit serve exited with \(ended.status): \(process.stderr)")
            } else if Date() >= deadline {
                process.stop()
                throw TestFailure("identikit serve did not print its address within \(timeout) s")
            } else {
                usleep(10_000)
            }
        }
        url = found!
    }

    /// What the server logged so far.
    public var log: String { process.stderr }

    public var isRunning: Bool { process.isRunning }

    /// SIGTERM, then up to 20 s for a graceful exit (SIGKILL after); returns the exit status.
    @discardableResult
    public func stop() -> Int32 { process.stop(grace: 20).status }

    deinit { if process.isRunning { stop() } }
}
