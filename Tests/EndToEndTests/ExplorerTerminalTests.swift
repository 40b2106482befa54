import Foundation
import IdentityCore
import Testing
import TestSupport

/// The explorer in a real terminal: tmux runs the built binary on a fixture store, the test sends
/// keys and polls `capture-pane` for text (never fixed sleeps), and checks the store with `identikit persons --json`.
@Suite(.serialized, .ownThreads) struct ExplorerTerminalTests {
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

    /// After `identikit compare`, the PostHog screen shows the disagreement and merges it as PostHog has it.
    @Test func postHogScreenMergesWhatPostHogJoined() throws {
        let run = try TerminalRun(events: Self.fixture)
        defer { run.close() }
        let export = try run.temporary.file("persons.jsonl", [("anon-1", "p1"), ("alice@example.com", "p1"), ("bob", "p2"), ("bob-2", "p2")]
            .map { #"{"distinct_id":"\#($0.0)","person_id":"\#($0.1)","person_distinct_id_version":0,"is_deleted":false,"properties":{}}"# }
            .joined(separator: "\n"))
        try TerminalRun.identikit(["compare", "--db", run.store, export])
        try run.start()
        try run.waitFor("Alice")
        run.keys("h")
        try run.waitFor("1 agree · 1 differ")
        try run.waitFor("bob, bob-2")
        run.keys("Enter")
        try run.waitFor("PostHog:   P1 [bob, bob-2]")
        try run.waitFor("identikit: I1 [bob]  I2 [bob-2]")
        run.keys("m", "j", "m")
        try run.waitFor("Merge preview")
        run.keys("y")
        try run.waitFor("merged")
        #expect(try run.personIDs().contains(["bob", "bob-2"]))
        run.keys("a")
        try run.waitFor("marked accepted")
        run.keys("q", "q", "q")
        try run.waitFor("explorer exited 0")
    }

    @Test(arguments: TemporaryStore.Kind.allCases)
    func liveRefreshShowsAnotherProcessWrites(kind: TemporaryStore.Kind) throws {
        let run = try TerminalRun(events: Self.fixture, kind: kind)
        defer { run.close() }
        try run.start()
        try run.waitFor("Alice")
        try run.ingest([#"{"event":"$pageview","distinct_id":"newcomer-42","timestamp":"2024-06-01T10:00:00Z"}"#])
        try run.waitFor("newcomer-42", timeout: 15)
        try run.waitFor("another process")
        run.keys("q")
        try run.waitFor("explorer exited 0")
    }

    /// The live screen follows another process's ingest, each event with its effect; Enter on a
    /// refused `$identify` and `w` lead to its warning.
    @Test func liveScreenShowsEffectsAndLeadsToTheWarning() throws {
        let run = try TerminalRun(events: Self.fixture, width: 120, height: 30)
        defer { run.close() }
        try run.start()
        try run.waitFor("Alice")
        run.keys("L")
        try run.waitFor("Live events")
        try run.ingest([
            #"{"event":"$pageview","distinct_id":"web-anon","timestamp":"2024-06-01T10:00:00Z","properties":{"$set":{"plan":"free"}}}"#,
            #"{"event":"$identify","distinct_id":"web-user","timestamp":"2024-06-01T10:01:00Z","properties":{"$anon_distinct_id":"web-anon"}}"#,
            #"{"event":"$identify","distinct_id":"phone-user","timestamp":"2024-06-01T10:02:00Z","properties":{"$anon_distinct_id":"phone-anon"}}"#,
            #"{"event":"$identify","distinct_id":"web-user","timestamp":"2024-06-01T10:03:00Z","properties":{"$anon_distinct_id":"phone-user"}}"#,
        ])
        try run.waitFor("refused: cannot_merge_already_identified", timeout: 15)
        try run.waitFor("linked web-user")
        run.capture(to: "live.txt")
        // The newest event is on top and selected: the refused `$identify`.
        run.keys("Enter")
        try run.waitFor("effect: refused: cannot_merge_already_identified")
        run.capture(to: "live-event.txt")
        run.keys("w")
        try run.waitFor("Warnings · cannot_merge_already_identified")
        try run.waitFor("phone-user")
        run.keys("q", "q", "q", "q")
        try run.waitFor("explorer exited 0")
    }

    /// `serve --explore`: the server in the background, the explorer in front; an SDK's batch shows up live.
    @Test(arguments: TemporaryStore.Kind.allCases)
    func serveExploreShowsEventsAsTheyArrive(kind: TemporaryStore.Kind) async throws {
        let run = try TerminalRun(events: [], kind: kind)
        defer { run.close() }
        let port = try FreePort.find()
        try run.start(["serve", "--explore", "--port", String(port), "--db", run.store,
                       "--log-file", run.temporary.directory.path("serve.log")])
        // The welcome screen says where the server listens, and so does the log (stdout is hidden).
        try run.waitFor("The capture server is listening on http://127.0.0.1:\(port)")
        let log = try String(contentsOfFile: run.temporary.directory.path("serve.log"), encoding: .utf8)
        #expect(log.contains("listening on http://127.0.0.1:\(port)"), "\(log)")
        let batch = #"{"api_key":"k","batch":[{"event":"$pageview","distinct_id":"live-visitor-7","properties":{}}]}"#
        let reply = try await HTTP.post("http://127.0.0.1:\(port)/batch/", body: Data(batch.utf8),
                                        headers: ["Content-Type": "application/json"])
        #expect(reply.status == 200)
        try run.waitFor("live-visitor-7", timeout: 15)
        run.keys("q")
        try run.waitFor("explorer exited 0")
        #expect(try run.personIDs() == [["live-visitor-7"]])
    }

    /// `/` matches inside emails and IDs, any case, as it is typed; n moves to the next match.
    @Test(arguments: TemporaryStore.Kind.allCases)
    func substringSearchFindsTheMiddleOfAnEmail(kind: TemporaryStore.Kind) throws {
        // Wide enough for a PostgreSQL URL and the search in the title bar.
        let run = try TerminalRun(events: Self.fixture, kind: kind, width: 160)
        defer { run.close() }
        try run.start()
        try run.waitFor("Alice 愛麗絲")
        run.keys("/")
        run.literal("CE@EXA")
        try run.waitFor("search \"CE@EXA\": 1 match")
        try run.waitFor("Alice 愛麗絲")
        run.keys("BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
        run.literal("xample.c")
        try run.waitFor("search \"Cxample.c\": 0 matches")
        run.keys("C-u")
        run.literal("ob-")
        try run.waitFor("search \"ob-\": 1 match")
        try run.waitFor("Bob 🎉")
        run.keys("Enter", "n", "Enter")
        try run.waitFor("Person Bob")
        run.keys("q", "q", "q")
        try run.waitFor("explorer exited 0")
    }

    /// `G` on 100,000 persons shows the oldest at once (one page read from the end), paging up
    /// from there reads the pages before it, and `g` goes back to the newest.
    @Test func trueEndsOnALargeStore() throws {
        let count = 100_000
        let events = (1...count).map { n in
            let name = "visitor-" + String(repeating: "0", count: 6 - String(n).count) + String(n)
            return #"{"event":"$pageview","distinct_id":"\#(name)","timestamp":"\#(Timestamp.format(Date(timeIntervalSince1970: 1_700_000_000 + Double(n))))"}"#
        }
        let run = try TerminalRun(events: events)
        defer { run.close() }
        try run.start()
        try run.waitFor("visitor-100000", timeout: 30)
        run.keys("G")
        try run.waitFor("visitor-000001")
        try run.waitFor("visitor-000002")
        #expect(!run.screen().contains("visitor-100000"))
        // Up a page at a time, each drawn before the next (a page asked for at the window's top
        // arrives between presses), until the second page read backwards shows.
        for _ in 0..<12 where !run.screen().contains("visitor-000150") {
            let before = run.screen()
            run.keys("PPage")
            // A press at the top while the page before loads changes nothing: look again after it.
            try? run.waitUntil(timeout: 2) { $0 != before }
        }
        try run.waitFor("visitor-000150")
        run.keys("g")
        try run.waitFor("visitor-100000")
        #expect(!run.screen().contains("visitor-000001"))
        run.keys("q")
        try run.waitFor("explorer exited 0")
    }

    /// SIGTERM (a closing terminal emulator, `kill`) ends the explorer with the terminal restored:
    /// out of the alternate screen, mouse reporting off, exit status 128+15.
    @Test func sigtermRestoresTheTerminal() throws {
        let run = try TerminalRun(events: Self.fixture)
        defer { run.close() }
        try run.start()
        try run.waitFor("Alice 愛麗絲")
        #expect(try run.paneFlag("alternate_on") == "1")
        #expect(try run.paneFlag("mouse_any_flag") != "0" || run.paneFlag("mouse_standard_flag") != "0" || run.paneFlag("mouse_button_flag") != "0")
        let explorer = try #require(try run.explorerPID())
        #expect(kill(explorer, SIGTERM) == 0)
        try run.waitFor("explorer exited 143")
        #expect(try run.paneFlag("alternate_on") == "0")
        for flag in ["mouse_any_flag", "mouse_standard_flag", "mouse_button_flag"] { #expect(try run.paneFlag(flag) == "0", "\(flag)") }
        #expect(try run.paneFlag("cursor_flag") == "1", "the cursor is shown again")
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

/// One tmux session running the explorer on its own temporary store.
final class TerminalRun {
    let temporary: TemporaryStore
    var store: String { temporary.location }
    let session = "ikx-\(UUID().uuidString.prefix(8))"
    let width: Int
    let height: Int
    let environment: String

    init(events: [String], kind: TemporaryStore.Kind = .sqlite, width: Int = 100, height: Int = 30, environment: String = "") throws {
        temporary = try TemporaryStore.make(kind)
        self.width = width
        self.height = height
        self.environment = environment
        try ingest(events)  // with no events: an empty store (reading commands refuse a missing one)
    }

    func ingest(_ events: [String]) throws {
        let file = try temporary.file("events.jsonl", events.isEmpty ? "" : events.joined(separator: "\n") + "\n")
        try Self.identikit(["ingest", "--db", store, file])
    }

    /// Starts `identikit ARGUMENTS` (the explorer on this store unless told otherwise) in the session.
    func start(_ arguments: [String]? = nil) throws {
        let words = (arguments ?? ["--db", store]).map { "'\($0)'" }.joined(separator: " ")
        let command = "env LANG=C.UTF-8 TERM=xterm-256color \(environment) '\(try IdentikitBinary.path())' \(words); echo \"explorer exited $?\"; sleep 60"
        try Self.tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command])
    }

    /// A tmux format variable of the pane (`alternate_on`, `mouse_any_flag`…).
    func paneFlag(_ name: String) throws -> String {
        try Self.tmux(["display-message", "-p", "-t", session, "#{\(name)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The explorer's process: the child of the pane's shell (Linux: read from /proc).
    func explorerPID() throws -> pid_t? {
        let shell = try paneFlag("pane_pid")
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    func close() {
        _ = try? Self.tmux(["kill-session", "-t", session])
        temporary.remove()
    }

    func keys(_ keys: String...) {
        _ = try? Self.tmux(["send-keys", "-t", session] + keys)
    }

    func literal(_ text: String) {
        _ = try? Self.tmux(["send-keys", "-l", "-t", session, text])
    }

    func resize(width: Int, height: Int) {
        _ = try? Self.tmux(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    func screen(escapes: Bool = false) -> String {
        (try? Self.tmux(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))) ?? ""
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
    /// Polls the screen until `condition` holds.
    func waitUntil(timeout: TimeInterval = 10, _ condition: (String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(screen()) { return }
            usleep(30_000)
        }
        throw TerminalTimeout()
    }

    func capture(to name: String) {
        guard let dir = ProcessInfo.processInfo.environment["IDENTIKIT_CAPTURE_DIR"], !dir.isEmpty else { return }
        try? screen().write(toFile: (dir as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Each person's distinct IDs, sorted, from `identikit persons --json`.
    func personIDs() throws -> [[String]] {
        let output = try Self.identikit(["persons", "--json", "--db", store])
        let persons = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
        return persons.map { (($0["distinct_ids"] as? [String]) ?? []).sorted() }
    }

    struct TerminalTimeout: Error {}

    /// Runs `identikit ARGUMENTS` to its end and returns its output; throws unless it succeeds.
    @discardableResult
    static func identikit(_ arguments: [String]) throws -> String {
        try succeeded(Identikit.run(arguments), "identikit", arguments)
    }

    /// Runs `tmux ARGUMENTS` and returns its output; throws unless it succeeds.
    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        try succeeded(ChildProcess.run(tmuxPath, arguments), tmuxPath, arguments)
    }

    private static func succeeded(_ output: ProcessOutput, _ executable: String, _ arguments: [String]) throws -> String {
        guard output.status == 0 else {
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output.stdout
    }

    static let tmuxPath: String = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/tmux"
}

/// Everything at once on one store, as real processes: the explorer open in a terminal, the capture
/// server taking batches, an `identikit ingest`, and CLI merges. Nobody sees "database is locked",
/// the final counts are exact, `identikit check` passes, and the explorer shows what the others wrote.
@Suite(.serialized, .ownThreads) struct EverythingAtOnceTests {
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
        let path = try run.temporary.file("big.jsonl", lines.joined(separator: "\n") + "\n")
        let store = run.store
        async let ingest = Task.detached {
            try Identikit.run(["ingest", "--quiet", "--batch-size", "20", "--db", store, path])
        }.value
        async let merges = Task.detached {
            var failures: [String] = []
            for i in 0..<pairs {
                let result = try Identikit.run(["merge", "m-a\(i)", "m-b\(i)", "--db", store])
                if result.status != 0 { failures.append(result.stdout + result.stderr) }
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
        #expect(ingestResult.status == 0, "\(ingestResult.stdout)\(ingestResult.stderr)")
        #expect(!(ingestResult.stdout + ingestResult.stderr).localizedCaseInsensitiveContains("locked"))
        #expect(mergeFailures.isEmpty, "\(mergeFailures)")
        #expect(!server.log.localizedCaseInsensitiveContains("database is locked"))

        let stats = try JSONSerialization.jsonObject(with: Data(try TerminalRun.identikit(["stats", "--json", "--db", run.store]).utf8)) as? [String: Int]
        #expect(stats?["events"] == 2 * pairs + 2000 + 500)
        #expect(stats?["persons"] == pairs + 400 + 500)
        #expect(stats?["merges"] == pairs, "identify onto a new ID adds it; only the manual merges merge")
        #expect(try Identikit.run(["check", "--db", run.store]).status == 0)

        // The explorer, open all along, has refreshed to show what the others wrote.
        run.keys("r")
        run.keys("/")
        run.literal("http-19-2")
        try run.waitFor("http-19-24", timeout: 10)
        run.keys("Escape", "Escape", "q")
        try run.waitFor("explorer exited 0")
    }
}
