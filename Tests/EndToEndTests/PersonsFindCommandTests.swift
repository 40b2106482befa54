import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit persons --search` (anywhere in an ID, email or name) and `--where`, `--identified`,
/// `--anonymous`, on both stores.
@Suite("persons --search and --where", .ownThreads)
struct PersonsFindCommandTests {
    static let events = [
        #"{"event":"$identify","distinct_id":"alice-7f3a","timestamp":"2024-05-01T10:05:00Z","properties":{"$anon_distinct_id":"anon-1","$set":{"email":"Alice@Acme.io","name":"Alice","plan":"pro","seats":3}}}"#,
        #"{"event":"$pageview","distinct_id":"bob-91","timestamp":"2024-05-02T09:00:00Z","properties":{"$set":{"email":"bob@example.com","plan":"free"}}}"#,
        #"{"event":"$pageview","distinct_id":"device-abc123xyz","timestamp":"2024-05-02T10:00:00Z","properties":{"$set":{"name":"Carol 100%_sure"}}}"#,
        #"{"event":"$pageview","distinct_id":"zed","timestamp":"2024-05-03T10:00:00Z","properties":{"$set":{"plan":"team","flag":true}}}"#,
    ]

    /// The distinct IDs of each person `persons --json ARGUMENTS` lists, sorted.
    static func ids(_ cli: CommandLineRunner, _ arguments: [String]) throws -> [[String]] {
        let result = try cli.run(["persons", "--json", "--db", cli.store] + arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        let persons = try JSONParser.parse(result.stdout).arrayValue ?? []
        return persons.map { ($0["distinct_ids"]?.arrayValue ?? []).compactMap(\.stringValue).sorted() }.sorted { $0.first ?? "" < $1.first ?? "" }
    }

    @Test(arguments: ["sqlite", "postgres"])
    func searchMatchesAnywhereAndWhereFilters(kind: String) throws {
        let cli = try CommandLineRunner(store: try TemporaryStore.make(TemporaryStore.Kind(rawValue: kind)!))
        defer { cli.cleanUp() }
        let file = try cli.file("e.jsonl", Self.events.joined(separator: "\n") + "\n")
        #expect(try cli.run(["ingest", file, "-q", "--db", cli.store]).status == 0)

        // The middle of an email (any case), of a distinct ID, of a name; two letters match a start only.
        #expect(try Self.ids(cli, ["--search", "ACME"]) == [["alice-7f3a", "anon-1"]])
        #expect(try Self.ids(cli, ["--search", "c123x"]) == [["device-abc123xyz"]])
        #expect(try Self.ids(cli, ["--search", "0%_s"]) == [["device-abc123xyz"]])
        #expect(try Self.ids(cli, ["--search", "ob"]) == [])
        #expect(try Self.ids(cli, ["--search", "bo"]) == [["bob-91"]])
        let table = try cli.run(["persons", "--search", "xample", "--db", cli.store])
        #expect(table.status == 0 && table.stdout.contains("bob@example.com"), "\(table.stdout)")

        #expect(try Self.ids(cli, ["--where", "plan=pro"]) == [["alice-7f3a", "anon-1"]])
        #expect(try Self.ids(cli, ["--where", "plan!=pro"]) == [["bob-91"], ["device-abc123xyz"], ["zed"]],
                "!= keeps persons without the property")
        #expect(try Self.ids(cli, ["--where", "email~EXAMPLE.com"]) == [["bob-91"]])
        #expect(try Self.ids(cli, ["--where", "name~0%_"]) == [["device-abc123xyz"]])
        #expect(try Self.ids(cli, ["--where", "name~0%x"]) == [], "% is no wildcard")
        #expect(try Self.ids(cli, ["--where", "seats=3"]) == [["alice-7f3a", "anon-1"]], "numbers compare as their JSON text")
        #expect(try Self.ids(cli, ["--where", "flag=true"]) == [["zed"]])
        #expect(try Self.ids(cli, ["--where", "plan!=pro", "--where", "plan!=team"]) == [["bob-91"], ["device-abc123xyz"]])
        #expect(try Self.ids(cli, ["--identified"]) == [["alice-7f3a", "anon-1"]])
        #expect(try Self.ids(cli, ["--anonymous", "--where", "plan~e"]) == [["bob-91"], ["zed"]])
        // Keyset pages with a filter: one at a time, nothing skipped or repeated.
        let first = try cli.run(["persons", "--limit", "1", "--anonymous", "--db", cli.store])
        let cursor = try #require(first.stdout.split(separator: "\n").last { $0.hasPrefix("more: ") }?.split(separator: " ").last)
        let second = try cli.run(["persons", "--limit", "5", "--anonymous", "--after", String(cursor), "--db", cli.store])
        #expect(first.stdout.contains("zed") && !second.stdout.contains("zed") && second.stdout.contains("bob@example.com"),
                "\(first.stdout)\n\(second.stdout)")

        let table2 = try cli.run(["persons", "--where", "plan=enterprise", "--db", cli.store])
        #expect(table2.stdout == "No person matches \"plan=enterprise\".\n", "\(table2.stdout)")
    }

    /// The 8 characters of a person's id that `identikit persons` shows name the person too.
    @Test(arguments: ["sqlite", "postgres"])
    func aPersonIsFoundByTheStartOfItsID(kind: String) throws {
        let cli = try CommandLineRunner(store: try TemporaryStore.make(TemporaryStore.Kind(rawValue: kind)!))
        defer { cli.cleanUp() }
        let file = try cli.file("e.jsonl", Self.events.joined(separator: "\n") + "\n")
        #expect(try cli.run(["ingest", file, "-q", "--db", cli.store]).status == 0)
        let persons = try JSONParser.parse(try cli.run(["persons", "--json", "--db", cli.store]).stdout).arrayValue ?? []
        #expect(persons.count == 4)
        for person in persons {
            let id = try #require(person["id"]?.stringValue)
            for prefix in [String(id.prefix(8)), String(id.prefix(8)).uppercased(), String(id.prefix(13))] {
                let shown = try cli.run(["person", prefix, "--json", "--db", cli.store])
                #expect(shown.status == 0, "\(prefix): \(shown.stderr)")
                #expect(try JSONParser.parse(shown.stdout)["id"]?.stringValue == id, "\(prefix)")
            }
        }
        let none = try cli.run(["person", "0000000z", "--db", cli.store])
        #expect(none.status == 1)
        #expect(none.stderr == "identikit: no person has the id or distinct ID \"0000000z\"\n", "\(none.stderr)")
    }

    /// The `more:` line is a command to paste: run by a shell as printed, page after page, it lists
    /// exactly the persons of the first page's filter and order, each once.
    @Test func theNextPageCommandKeepsEveryOption() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let file = try cli.file("e.jsonl", Self.events.joined(separator: "\n") + "\n")
        #expect(try cli.run(["ingest", file, "-q", "--db", cli.store]).status == 0)
        let binary = URL(fileURLWithPath: try IdentikitBinary.path()).deletingLastPathComponent().path
        let shell = ["PATH": binary + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]

        var page = try cli.run(["persons", "--db", cli.store, "--anonymous", "--where", "plan!=it's", "--sort", "last-seen", "--limit", "1"])
        var listed: [String] = []
        var ended = false
        for _ in 0..<5 {
            listed += ["bob@example.com", "Carol 100%_sure", "zed"].filter { page.stdout.contains($0) }
            guard let more = page.stdout.split(separator: "\n").last(where: { $0.hasPrefix("more: ") }) else { ended = true; break }
            let command = String(more.dropFirst("more: ".count))
            #expect(command.contains("--anonymous") && command.contains("--sort last-seen") && command.contains("--limit 1")
                    && command.contains("--db \(cli.store)") && command.contains(#"--where 'plan!=it'\''s'"#), "\(command)")
            let output = try ChildProcess.run("/bin/sh", ["-c", command], environment: shell)
            #expect(output.status == 0, "\(command): \(output.stderr)")
            page = output
        }
        #expect(listed == ["zed", "Carol 100%_sure", "bob@example.com"], "newest last-seen first, each once: \(listed)")
        #expect(ended, "the last page prints no next command")
    }

    @Test func badConditionsAreRefusedWithWhatIsWrong() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let missing = try cli.run(["persons", "--where", "plan", "--db", cli.store])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--where: \"plan\" is not KEY=VALUE, KEY!=VALUE or KEY~TEXT"), "\(missing.stderr)")
        let both = try cli.run(["persons", "--identified", "--anonymous", "--db", cli.store])
        #expect(both.status == 64 && both.stderr.contains("--identified and --anonymous exclude each other"), "\(both.stderr)")
        let quote = try cli.run(["persons", "--where", "a\"b=1", "--db", cli.store])
        #expect(quote.status == 64 && quote.stderr.contains("double quote"), "\(quote.stderr)")
    }
}
