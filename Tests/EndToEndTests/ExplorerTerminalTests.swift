import Foundation
import ServerTestSupport
import Testing

/// The explorer in a real terminal: tmux runs the built binary on a fixture store, the test sends
/// keys and polls `capture-pane` for text (never fixed sleeps), and checks the store with `identikit persons --json`.
@Suite(.serialized) struct ExplorerTerminalTests {
    static let fixture = [
        #"{"event":"$pageview","distinct_id":"anon-1","timestamp":"2024-05-01T10:00:00Z","properties":{"$set":{"plan":"free"}}}"#,
        #"{"event":"$identify","distinct_id":"alice@example.com","timestamp":"2024-05-01T10:05:00Z","properties":{"$anon_distinct_id":"anon-1","$set":{"email":"alice@example.com","name":"Alice 愛麗絲"}}}"#,
        #"{"event":"$pageview","distinct_id":"bob","timestamp":"2024-05-02T09:00:00Z","properties":{"$set":{"email":"bob@example.com"}}}"#,
        #"{"event":"signup","distinct_id":"bob-2","timestamp":"2024-05-02T09:30:00Z","properties":{"$set":{"email":"bob@example.com","name":"Bob 🎉"}}}"#,
        #"{"event":"$identify","distinct_id":"null","timestamp":"2024-05-03T09:50:00Z","properties":{"$anon_distinct_id":"bob"}}"#,
    ]

    @Test func browseSearchWarningsMergeAndUndo() throws {
        let run = try TerminalRun(events: Self.fixture)
        defer { run.close() }
        try run.start()
        try run.waitFor("Persons")
        try run.waitFor("Alice 愛麗絲")
        run.capture(to: "persons.txt")

        // Search as you type, then open the match.
        run.keys("/")
        run.literal("alice")
        try run.waitFor("1 match")
        run.keys("Enter", "Enter")
        try run.waitFor("Person Alice")
        run.keys("2")
        try run.waitFor("anon-1")
        run.keys("1")
        try run.waitFor("plan")
        run.capture(to: "person.txt")
        run.keys("Escape", "Escape")
        try run.waitFor("by first seen ↓                    ")

        // Warnings: grouped, then one group.
        run.keys("w")
        try run.waitFor("Warnings by type")
        try run.waitFor("cannot_merge_with_illegal")
        run.keys("Enter")
        try run.waitFor("events.jsonl:5")
        run.keys("Escape", "Escape")
        try run.waitFor("Persons")

        // A merge through the preview dialog.
        run.keys(":")
        run.literal("merge bob-2 bob")
        run.keys("Enter")
        try run.waitFor("Merge preview")
        try run.waitFor("[ No ]")
        run.keys("y")
        try run.waitFor("merged")
        #expect(try run.personIDs().contains(["bob", "bob-2"]))

        // And its undo from the person's History tab.
        run.keys(":")
        run.literal("person bob")
        run.keys("Enter")
        try run.waitFor("Person")
        run.keys("4")
        try run.waitFor("undoable")
        run.keys("u")
        try run.waitFor("Undo merge")
        run.keys("y")
        try run.waitFor("undid merge")
        let ids = try run.personIDs()
        #expect(ids.contains(["bob"]) && ids.contains(["bob-2"]))

        run.keys("Escape", "q")
        try run.waitFor("explorer exited 0")
    }

    @Test func escapeSequencesInIDsAreShownEscaped() throws {
        let run = try TerminalRun(events: [
            #"{"event":"x","distinct_id":"red\u001b[31mALERT","timestamp":"2024-05-03T09:45:00Z"}"#,
            #"{"event":"y","distinct_id":"flip\u202eevil","timestamp":"2024-05-03T09:46:00Z","properties":{"$set":{"note":"bell\u0007\u009b2J"}}}"#,
        ], environment: "NO_COLOR=1")
        defer { run.close() }
        try run.start()
        try run.waitFor(#"red\e[31mALERT"#)
        try run.waitFor(#"flip\u202eevil"#)
        // With NO_COLOR nothing on screen is coloured: a red foreground could only have come from the data.
        let styled = run.screen(escapes: true)
        #expect(!styled.contains("\u{1B}[31m"))
        #expect(styled.contains(#"\e[31m"#))
        #expect(!styled.contains("\u{202E}"))
        run.keys("Enter")
        try run.waitFor(#"bell\x07\x9b2J"#)
        run.keys("C-c")
        try run.waitFor("explorer exited 0")
    }

    @Test func liveRefreshShowsAnotherProcessWrites() throws {
        let run = try TerminalRun(events: Self.fixture)
        defer { run.close() }
        try run.start()
        try run.waitFor("Alice")
        try run.ingest([#"{"event":"$pageview","distinct_id":"newcomer-42","timestamp":"2024-06-01T10:00:00Z"}"#])
        try run.waitFor("newcomer-42", timeout: 5)
        try run.waitFor("another process")
        run.keys("q")
        try run.waitFor("explorer exited 0")
    }

    /// `serve --explore`: the server in the background, the explorer in front; an SDK's batch shows up live.
    @Test func serveExploreShowsEventsAsTheyArrive() async throws {
        let run = try TerminalRun(events: [])
        defer { run.close() }
        let port = try FreePort.find()
        try run.start(["serve", "--explore", "--port", String(port), "--db", run.store])
        try run.waitFor("identikit demo")
        let batch = #"{"api_key":"k","batch":[{"event":"$pageview","distinct_id":"live-visitor-7","properties":{}}]}"#
        let reply = try await HTTP.post("http://127.0.0.1:\(port)/batch/", body: Data(batch.utf8),
                                        headers: ["Content-Type": "application/json"])
        #expect(reply.status == 200)
        try run.waitFor("live-visitor-7", timeout: 5)
        run.keys("q")
        try run.waitFor("explorer exited 0")
        #expect(try run.personIDs() == [["live-visitor-7"]])
    }

    @Test func emptyStoreAndTooSmallWindow() throws {
        let run = try TerminalRun(events: [], width: 50, height: 12)
        defer { run.close() }
        try run.start()
        try run.waitFor("too small")
        run.resize(width: 100, height: 30)
        try run.waitFor("identikit demo")
        try run.waitFor("identikit serve")
        run.keys("q")
        try run.waitFor("explorer exited 0")
    }
}

/// A loopback port nobody listens on right now (the kernel picks it; the test binds it next).
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TerminalRun.CommandFailed(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// One tmux session running the explorer on its own temporary store.
final class TerminalRun {
    let directory: URL
    let store: String
    let session = "ikx-\(UUID().uuidString.prefix(8))"
    let width: Int
    let height: Int
    let environment: String

    init(events: [String], width: Int = 100, height: Int = 30, environment: String = "") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("identikit-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = directory.appendingPathComponent("store.sqlite").path
        self.width = width
        self.height = height
        self.environment = environment
        if events.isEmpty {
            _ = try Self.run(Self.binary, ["stats", "--db", store])
        } else {
            try ingest(events)
        }
    }

    func ingest(_ events: [String]) throws {
        let file = directory.appendingPathComponent("events.jsonl")
        try (events.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        _ = try Self.run(Self.binary, ["ingest", "--db", store, file.path])
    }

    /// Starts `identikit ARGUMENTS` (the explorer on this store unless told otherwise) in the session.
    func start(_ arguments: [String]? = nil) throws {
        let words = (arguments ?? ["--db", store]).map { "'\($0)'" }.joined(separator: " ")
        let command = "env LANG=C.UTF-8 TERM=xterm-256color \(environment) '\(Self.binary)' \(words); echo \"explorer exited $?\"; sleep 60"
        _ = try Self.run(Self.tmux, ["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command], output: false)
    }

    func close() {
        _ = try? Self.run(Self.tmux, ["kill-session", "-t", session], output: false)
        try? FileManager.default.removeItem(at: directory)
    }

    func keys(_ keys: String...) {
        _ = try? Self.run(Self.tmux, ["send-keys", "-t", session] + keys, output: false)
    }

    func literal(_ text: String) {
        _ = try? Self.run(Self.tmux, ["send-keys", "-l", "-t", session, text], output: false)
    }

    func resize(width: Int, height: Int) {
        _ = try? Self.run(Self.tmux, ["resize-window", "-t", session, "-x", String(width), "-y", String(height)], output: false)
    }

    func screen(escapes: Bool = false) -> String {
        (try? Self.run(Self.tmux, ["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))) ?? ""
    }

    /// Polls the screen until `text` shows up.
    func waitFor(_ text: String, timeout: TimeInterval = 10, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen().contains(text) { return }
            usleep(30_000)
        }
        let last = screen()
        Issue.record("timed out waiting for \(text.debugDescription); screen:\n\(last)", sourceLocation: sourceLocation)
        throw TerminalTimeout()
    }

    /// Saves the screen into $IDENTIKIT_CAPTURE_DIR (for the README), when set.
    func capture(to name: String) {
        guard let dir = ProcessInfo.processInfo.environment["IDENTIKIT_CAPTURE_DIR"], !dir.isEmpty else { return }
        try? screen().write(toFile: (dir as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Each person's distinct IDs, sorted, from `identikit persons --json`.
    func personIDs() throws -> [[String]] {
        let output = try Self.run(Self.binary, ["persons", "--json", "--db", store])
        let persons = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
        return persons.map { (($0["distinct_ids"] as? [String]) ?? []).sorted() }
    }

    struct TerminalTimeout: Error {}
    struct CommandFailed: Error, CustomStringConvertible { var description: String }

    /// Runs a command and returns its output, with posix_spawn and waitpid. (Foundation's `Process` can
    /// wait forever on `tmux new-session`, whose daemonized server inherits its bookkeeping descriptors.)
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], output wanted: Bool = true) throws -> String {
        let result = try spawn(executable, arguments, output: wanted, errors: false)
        guard result.status == 0 else {
            throw CommandFailed(description: "\(executable) \(arguments.joined(separator: " ")) exited \(result.status)")
        }
        return result.output
    }

    /// Runs a command to the end and returns its exit status with stdout and stderr together.
    static func runStatus(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try spawn(executable, arguments, output: true, errors: true)
    }

    private static func spawn(_ executable: String, _ arguments: [String], output wanted: Bool, errors: Bool) throws -> (status: Int32, output: String) {
        let outputPath = wanted ? NSTemporaryDirectory() + "identikit-e2e-out-\(UUID().uuidString)" : "/dev/null"
        defer { if wanted { try? FileManager.default.removeItem(atPath: outputPath) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if errors {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // Start with no signals blocked: the test thread's mask would otherwise reach tmux and the explorer.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw CommandFailed(description: "cannot start \(executable): \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exited, wanted ? ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") : "")
    }

    static let tmux: String = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/tmux"

    /// The built `identikit`, next to the test bundle in the build products directory.
    static let binary: String = {
        var candidates: [URL] = [Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("identikit"),
                                 Bundle.main.bundleURL.appendingPathComponent("identikit")]
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("identikit"))
        }
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("identikit"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/identikit"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path ?? candidates.last!.path
    }()
}

/// Everything at once on one store, as real processes: the explorer open in a terminal, the capture
/// server taking batches, an `identikit ingest`, and CLI merges. Nobody sees "database is locked",
/// the final counts are exact, `identikit check` passes, and the explorer shows what the others wrote.
@Suite(.serialized) struct EverythingAtOnceTests {
    @Test func explorerServerIngestAndMergesShareOneStore() async throws {
        let pairs = 6
        let base = (0..<pairs).flatMap { i in
            [#"{"event":"$pageview","distinct_id":"m-a\#(i)","uuid":"00000000-0000-4000-8000-\#(String(format: "%012d", 2 * i + 1))"}"#,
             #"{"event":"$pageview","distinct_id":"m-b\#(i)","uuid":"00000000-0000-4000-8000-\#(String(format: "%012d", 2 * i + 2))"}"#]
        }
        let run = try TerminalRun(events: base)
        defer { run.close() }
        try run.start()
        try run.waitFor("m-a0")
        let server = try ServeProcess(store: run.store)
        defer { _ = server.stop() }

        // An ingest of 400 users (5 events each) in small batches, while the server takes 20 batches
        // of 25 events and the CLI merges pairs by hand.
        var lines: [String] = []
        for j in 0..<400 {
            lines.append(#"{"event":"$pageview","distinct_id":"file-anon-\#(j)"}"#)
            lines.append(#"{"event":"$identify","distinct_id":"file-user-\#(j)","properties":{"$anon_distinct_id":"file-anon-\#(j)"}}"#)
            for n in 0..<3 { lines.append(#"{"event":"page-\#(n)","distinct_id":"file-user-\#(j)"}"#) }
        }
        let file = run.directory.appendingPathComponent("big.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)

        let store = run.store, path = file.path
        async let ingest = Task.detached {
            try TerminalRun.runStatus(TerminalRun.binary, ["ingest", "--quiet", "--batch-size", "20", "--db", store, path])
        }.value
        async let merges = Task.detached {
            var failures: [String] = []
            for i in 0..<pairs {
                let result = try TerminalRun.runStatus(TerminalRun.binary, ["merge", "m-a\(i)", "m-b\(i)", "--db", store])
                if result.status != 0 { failures.append(result.output) }
            }
            return failures
        }.value
        var replies: [Int] = []
        for batch in 0..<20 {
            let events = (0..<25).map { n in #"{"event":"live","distinct_id":"http-\#(batch)-\#(n)","properties":{}}"# }
            let body = #"{"api_key":"k","batch":[\#(events.joined(separator: ","))]}"#
            replies.append(try await HTTP.post(server.url + "/batch/", body: Data(body.utf8),
                                               headers: ["Content-Type": "application/json"]).status)
        }
        let ingestResult = try await ingest
        let mergeFailures = try await merges

        #expect(replies.allSatisfy { $0 == 200 }, "\(replies)")
        #expect(ingestResult.status == 0, "\(ingestResult.output)")
        #expect(!ingestResult.output.localizedCaseInsensitiveContains("locked"))
        #expect(mergeFailures.isEmpty, "\(mergeFailures)")
        #expect(!server.log.localizedCaseInsensitiveContains("database is locked"))

        let stats = try JSONSerialization.jsonObject(with: Data(try TerminalRun.run(TerminalRun.binary, ["stats", "--json", "--db", run.store]).utf8)) as? [String: Int]
        #expect(stats?["events"] == 2 * pairs + 2000 + 500)
        #expect(stats?["persons"] == pairs + 400 + 500)
        #expect(stats?["merges"] == pairs, "identify onto a new ID adds it; only the manual merges merge")
        #expect(try TerminalRun.runStatus(TerminalRun.binary, ["check", "--db", run.store]).status == 0)

        // The explorer, open all along, has refreshed to show what the others wrote.
        run.keys("r")
        run.keys("/")
        run.literal("http-19-2")
        try run.waitFor("http-19-24", timeout: 10)
        run.keys("Escape", "Escape", "q")
        try run.waitFor("explorer exited 0")
    }
}
