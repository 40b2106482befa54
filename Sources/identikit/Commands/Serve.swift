import ArgumentParser
import CaptureServer
import Foundation
import IdentityCore
import Logging
import SQLiteStore

struct Serve: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a PostHog-compatible capture server that feeds events into the store.",
        discussion: """
            Point a PostHog SDK's host at the printed URL and its events go through the same rules \
            and store as `identikit ingest`. Endpoints: POST /batch/, /capture/, /e/, /i/v0/e/, /track/ \
            (JSON, gzip, gzip-js, base64 form data); /flags/ and /decide/ answer with no flags; \
            GET /_health shows the store's counts.

            A request is answered 200 {"status": 1} only after its events are committed: they survive the \
            server being killed; with --durable they survive a power loss too. Invalid events \
            in a batch become warnings naming the request; a body that cannot be read gets 400 with the reason.

            The first line on stdout is "listening on http://HOST:PORT" (useful with --port 0). \
            Logs go to stderr, one line per request. Stop with Ctrl-C (SIGINT) or SIGTERM.

            Examples:
              identikit serve
              identikit serve --port 0 --db /tmp/try.sqlite
              identikit serve --host 0.0.0.0 --api-key phc_local_secret
              identikit serve --explore
              identikit serve --durable      # every commit synced to disk before its 200
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Address to bind. Loopback by default; anything else should come with --api-key.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8010

    @Option(name: .customLong("api-key"), help: ArgumentHelp(
        "Require this key on every request (body api_key/token or Authorization: Bearer).", valueName: "key"))
    var apiKey: String?

    @Flag(help: "Run the explorer in the foreground while the server runs in the background.")
    var explore = false

    @Flag(help: ArgumentHelp(
        "Sync every commit to disk (SQLite synchronous=FULL), so it survives a power loss, not only a crash; slower.",
        discussion: "Without it a commit survives the process being killed; a power loss may lose the last commits (never half of one)."))
    var durable = false

    @Option(help: ArgumentHelp(
        "With --explore, where the server's log goes (default: STORE.serve.log beside a SQLite store, identikit-serve.log in the current folder for PostgreSQL).",
        valueName: "path"))
    var logFile: String?

    @Option(help: ArgumentHelp("Log level.", valueName: "level"))
    var logLevel: Logger.Level = .info

    @Option(help: .hidden) var maxBodyBytes = CaptureLimits.defaultMaxBodyBytes
    @Option(help: .hidden) var maxDecodedBytes = CaptureLimits.defaultMaxDecodedBytes

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key must not be empty") }
    }

    func openStore() async throws -> CommandStore { try await storeOptions.open(durable: durable) }

    func checkBeforeOpening() throws {
        if explore, isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
            throw Failure("serve --explore needs a terminal for the explorer; run `identikit serve` without --explore")
        }
    }

    func run(store: CommandStore) async throws {
        let configuration = CaptureServerConfiguration(
            host: host, port: port, apiKey: apiKey,
            limits: CaptureLimits(maxBodyBytes: maxBodyBytes, maxDecodedBytes: maxDecodedBytes))
        // The explorer owns the terminal: the log goes to a file.
        let logFile = explore ? (self.logFile ?? (storeOptions.isPostgres ? "identikit-serve.log" : store.location + ".serve.log")) : nil
        let logger = try LineLogHandler.logger(label: "identikit.serve", level: logLevel, file: logFile)
        let server = CaptureServer(configuration: configuration, store: store, logger: logger)
        let shutdown = ShutdownTrigger()
        let (listening, listeningSink) = AsyncStream.makeStream(of: String.self)
        let storePath = store.location, explore = self.explore

        // The server runs as a child task until Ctrl-C, SIGTERM or `shutdown`.
        async let stopped = Self.failure {
            defer { listeningSink.finish() }
            try await server.run(onListening: { host, port in
                let url = CaptureServer.url(host: host, port: port)
                Self.announce(url: url, host: host, store: storePath, apiKey: configuration.apiKey,
                              isLoopback: configuration.isLoopback, quiet: explore)
                // The explorer hides stdout: its log file says where the server listens.
                if explore { logger.info("listening on \(url)") }
                listeningSink.yield(url)
            }, shutdown: shutdown)
        }

        if explore {
            var urls = listening.makeAsyncIterator()
            guard let url = await urls.next() else {
                let failure = await stopped
                if let failure = failure as? CannotListen { throw Failure(failure.description) }
                throw Failure("cannot start the server: \(failure.map { "\($0)" } ?? "it stopped")")
            }
            let context = LiveExplorerContext(store: store, serverURL: url, logFile: logFile)
            // The explorer blocks in its ncurses loop: on its own thread; when the user quits, the server stops.
            let explored: Result<Void, any Error>
            do {
                explored = .success(try await onOwnThread(named: "identikit.explorer") { try liveExplorer(context) })
            } catch {
                explored = .failure(error)
            }
            await shutdown.trigger()
            let failure = await stopped
            try explored.get()
            if let failure { throw Failure("server stopped: \(failure)") }
        } else if let failure = await stopped {
            if let failure = failure as? CannotListen { throw Failure(failure.description) }
            throw Failure("server stopped: \(failure)")
        }
    }

    /// What `work` threw, or nil when it returned.
    static func failure(of work: @Sendable () async throws -> Void) async -> (any Error)? {
        do {
            try await work()
            return nil
        } catch {
            return error
        }
    }

    /// The first stdout line is machine-readable; the rest tells a person how to use it.
    static func announce(url: String, host: String, store: String, apiKey: String?, isLoopback: Bool, quiet: Bool) {
        Terminal.standardOutput.write("listening on \(url)\n")
        if quiet { return }
        // The hints never repeat the key itself: this output may end up in a log or a screenshot.
        let key = apiKey == nil ? "any-key" : "YOUR_API_KEY"
        Terminal.standardOutput.write("""
            store \(store)
            point an SDK at it:
              posthog-python  Posthog("\(key)", host="\(url)")
              posthog-node    new PostHog("\(key)", { host: "\(url)" })
              posthog-js      posthog.init("\(key)", { api_host: "\(url)" })
              curl            curl -X POST \(url)/batch/ -H 'Content-Type: application/json' -d '{"api_key": "\(key)", "batch": [{"event": "hello", "distinct_id": "me"}]}'
            watch it:         identikit events --follow --db \(store)   (each event with what it did to identity)
                              identikit --db \(store), then L   (the explorer's Live screen)
            stop with Ctrl-C

            """)
        if !isLoopback && apiKey == nil {
            Terminal.standardError.write("""
                identikit: WARNING: listening on \(host), which other machines can reach, without --api-key: \
                anyone who can reach this port can write into your store. Add --api-key KEY, or bind 127.0.0.1.

                """)
        }
    }
}
