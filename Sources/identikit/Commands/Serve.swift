import ArgumentParser
import CaptureServer
import Foundation
import IdentityCore
import Logging

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a PostHog-compatible capture server that feeds events into the store.",
        discussion: """
            Point a PostHog SDK's host at the printed URL and its events go through the same rules \
            and store as `identikit ingest`. Endpoints: POST /batch/, /capture/, /e/, /i/v0/e/, /track/ \
            (JSON, gzip, gzip-js, base64 form data); /flags/ and /decide/ answer with no flags; \
            GET /_health shows the store's counts.

            A request is answered 200 {"status": 1} only after its events are committed. Invalid events \
            in a batch become warnings naming the request; a body that cannot be read gets 400 with the reason.

            The first line on stdout is "listening on http://HOST:PORT" (useful with --port 0). \
            Logs go to stderr, one line per request. Stop with Ctrl-C (SIGINT) or SIGTERM.

            Examples:
              identikit serve
              identikit serve --port 0 --db /tmp/try.sqlite
              identikit serve --host 0.0.0.0 --api-key phc_local_secret
              identikit serve --explore
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Address to bind. Loopback by default; anything else should come with --api-key.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8010

    @Option(name: .customLong("api-key"), help: ArgumentHelp(
        "Require this key on every request (body api_key/token or Authorization: Bearer).", valueName: "key"))
    var apiKey: String?

    @Flag(help: "Run the explorer in the foreground while the server runs in the background.")
    var explore = false

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error.", valueName: "level"))
    var logLevel = "info"

    @Option(help: .hidden) var maxBodyBytes = CaptureLimits.defaultMaxBodyBytes
    @Option(help: .hidden) var maxDecodedBytes = CaptureLimits.defaultMaxDecodedBytes

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error") }
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key must not be empty") }
    }

    func run() throws {
        if explore, isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
            Terminal.standardError.write("identikit: serve --explore needs a terminal for the explorer; run `identikit serve` without --explore\n")
            throw ExitCode.failure
        }
        try reportingErrors {
            let opened = try store.open()
            let configuration = CaptureServerConfiguration(
                host: host, port: port, apiKey: apiKey,
                limits: CaptureLimits(maxBodyBytes: maxBodyBytes, maxDecodedBytes: maxDecodedBytes))
            let logFile = explore ? opened.path + ".serve.log" : nil
            let logger = try Self.makeLogger(level: Logger.Level(rawValue: logLevel) ?? .info, file: logFile)
            let server = CaptureServer(configuration: configuration, store: opened, logger: logger)
            let isLoopback = configuration.isLoopback
            let explore = self.explore
            let storePath = opened.path
            let shutdown = ShutdownTrigger()
            let listening = DispatchSemaphore(value: 0)
            let address = LockedBox<String?>(nil)

            let finished = DispatchSemaphore(value: 0)
            let failure = LockedBox<(any Error)?>(nil)
            Task.detached {
                do {
                    try await server.run(onListening: { host, port in
                        let url = CaptureServer.url(host: host, port: port)
                        address.value = url
                        Self.announce(url: url, host: host, store: storePath, apiKey: configuration.apiKey,
                                      isLoopback: isLoopback, quiet: explore)
                        listening.signal()
                    }, shutdown: shutdown)
                } catch {
                    failure.value = error
                }
                listening.signal()
                finished.signal()
            }
            if explore {
                listening.wait()
                if let error = failure.value { throw Failure("cannot start the server: \(error)") }
                let context = LiveExplorerContext(storePath: storePath, serverURL: address.value ?? "", logFile: logFile)
                let result = Result { try liveExplorer(context) }
                let stop = DispatchSemaphore(value: 0)
                Task.detached { await shutdown.trigger(); stop.signal() }
                stop.wait()
                finished.wait()
                try result.get()
            } else {
                finished.wait()
            }
            if let error = failure.value { throw Failure("server stopped: \(error)") }
        }
    }

    /// The first stdout line is machine-readable; the rest tells a person how to use it.
    static func announce(url: String, host: String, store: String, apiKey: String?, isLoopback: Bool, quiet: Bool) {
        Terminal.standardOutput.write("listening on \(url)\n")
        if quiet { return }
        let key = apiKey ?? "any-key"
        Terminal.standardOutput.write("""
            store \(store)
            point an SDK at it:
              posthog-python  Posthog("\(key)", host="\(url)")
              posthog-node    new PostHog("\(key)", { host: "\(url)" })
              posthog-js      posthog.init("\(key)", { api_host: "\(url)" })
              curl            curl -X POST \(url)/batch/ -H 'Content-Type: application/json' -d '{"api_key": "\(key)", "batch": [{"event": "hello", "distinct_id": "me"}]}'
            watch it:         identikit persons --db \(store)   (or identikit stats)
            stop with Ctrl-C

            """)
        if !isLoopback && apiKey == nil {
            Terminal.standardError.write("""
                identikit: WARNING: listening on \(host), which other machines can reach, without --api-key: \
                anyone who can reach this port can write into your store. Add --api-key KEY, or bind 127.0.0.1.

                """)
        }
    }

    static func makeLogger(level: Logger.Level, file: String?) throws -> Logger {
        let handle: FileHandle
        if let file {
            if !FileManager.default.fileExists(atPath: file) {
                _ = FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            guard let opened = FileHandle(forWritingAtPath: file) else { throw Failure("cannot write the log file \(file)") }
            opened.seekToEndOfFile()
            handle = opened
        } else {
            handle = .standardError
        }
        var logger = Logger(label: "identikit.serve") { label in LineLogHandler(label: label, handle: handle) }
        logger.logLevel = level
        return logger
    }
}

/// One line per message: time, level, text, metadata.
struct LineLogHandler: LogHandler {
    let label: String
    let handle: FileHandle
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level, message = event.message
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Timestamp.format(Date())
        handle.write(Data("\(time) \(level.rawValue.uppercased()) \(message)\(details)\n".utf8))
    }
}

/// A value shared between the command's thread and the server's task.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
