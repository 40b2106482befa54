import Foundation
import Testing
import TestSupport

/// The command line's shape: grouped help, fixed-choice options checked by ArgumentParser, and
/// store commands that leave no store behind when they refuse to run.
@Suite("command line shape", .ownThreads)
struct CommandShapeTests {
    @Test func helpGroupsTheCommands() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let help = try cli.run(["--help"])
        #expect(help.status == 0)
        let groups = ["BROWSE SUBCOMMANDS:", "REPAIR SUBCOMMANDS:", "DATA IN AND OUT SUBCOMMANDS:", "SERVER SUBCOMMANDS:"]
        let positions = groups.compactMap { help.stdout.range(of: $0)?.lowerBound }
        #expect(positions.count == groups.count, "\(help.stdout)")
        #expect(positions == positions.sorted())
        // Each command sits under its group.
        for (command, group) in [("merge", 1), ("ingest", 2), ("serve", 3), ("persons", 0)] {
            let at = help.stdout.range(of: "\n  \(command) ")?.lowerBound
            #expect(at.map { $0 > positions[group] && (group + 1 == positions.count || $0 < positions[group + 1]) } == true, "\(command)")
        }
    }

    /// Every help fits 80 columns without a stray one-word line from wrapping a hard-broken line twice,
    /// and every example line fits whole (so it can be copied).
    @Test func helpTextWrapsCleanlyAt80Columns() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        for command in ["persons", "person", "events", "warnings", "ingest", "merge", "suspects", "serve", "demo", "copy", "compare", "push"] {
            let help = try cli.run([command, "--help"], environment: ["COLUMNS": "80"]).stdout
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (index, line) in lines.enumerated() where line.hasPrefix("  identikit ") || line.hasPrefix("  cat ") {
                let next = index + 1 < lines.count ? lines[index + 1] : ""
                #expect(next.isEmpty || next.hasPrefix("  "), "\(command): an example was wrapped: \(line) / \(next)")
            }
            // A hard-broken line wrapped again leaves a short tail followed by a line that goes on.
            for index in lines.indices.dropLast() where !lines[index].isEmpty && lines[index].count < 12
                && !lines[index].hasPrefix(" ") && !lines[index + 1].isEmpty && !lines[index].hasSuffix(":") {
                Issue.record("\(command): stray line \"\(lines[index])\" before \"\(lines[index + 1])\"")
            }
        }
    }

    /// Tables fit the terminal, their flexible columns cut evenly, and a source keeps its line number.
    @Test func tablesFit80ColumnsAndKeepWhatMatters() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["ingest", PackageDirectory.path("Resources/sample-events.jsonl"), "-q"]).status == 0)
        for arguments in [["person", "ada"], ["warnings"], ["events", "--effects"], ["persons"]] {
            let output = try cli.run(arguments, environment: ["COLUMNS": "80"])
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
            for line in output.stdout.split(separator: "\n") {
                #expect(line.count <= 80, "\(arguments): \(line.count) columns: \(line)")
            }
        }
        let person = try cli.run(["person", "ada"], environment: ["COLUMNS": "80"]).stdout
        let email = try #require(person.split(separator: "\n").first { $0.hasPrefix("email ") })
        #expect(email.contains("ada@exampl"), "the value column was cut to nothing: \(email)")
        let warnings = try cli.run(["warnings", "--type", "invalid_event"], environment: ["COLUMNS": "80"]).stdout
        let rows = warnings.split(separator: "\n").dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0.range(of: #":[0-9]+$"#, options: .regularExpression) != nil }, "\(warnings)")
    }

    /// A mistyped command is named as a command, with the nearest one (not browse's "unexpected argument").
    @Test func aMistypedCommandSuggestsTheNearestOne() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let typo = try cli.run(["persns", "--limit", "3"])
        #expect(typo.status == 64)
        #expect(typo.stderr == "identikit: no command \"persns\" (did you mean persons?); `identikit --help` lists the commands\n", "\(typo.stderr)")
        let unknown = try cli.run(["frobnicate"])
        #expect(unknown.stderr == "identikit: no command \"frobnicate\"; `identikit --help` lists the commands\n", "\(unknown.stderr)")
        #expect(try cli.run(["help", "persons"]).stdout.contains("List persons"))
        #expect(try cli.run(["persons", "--limit", "0"]).stderr.contains("--limit must be at least 1"))
    }

    @Test func noEventsNamesTheDistinctIDAsked() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["ingest", PackageDirectory.path("Resources/sample-events.jsonl"), "-q"]).status == 0)
        let result = try cli.run(["events", "--distinct-id", "anon-7f3b"])
        #expect(result.status == 0)
        #expect(result.stdout == "No events with distinct ID \"anon-7f3b\".\n", "\(result.stdout)")
    }

    @Test(arguments: [
        (["persons", "--sort", "bogus"], "--sort", ["first-seen", "last-seen", "size"]),
        (["warnings", "--type", "bogus"], "--type", ["invalid_event", "cannot_merge_already_identified"]),
        (["serve", "--log-level", "bogus"], "--log-level", ["trace", "warning", "error"]),
    ])
    func fixedChoicesAreCheckedByArgumentParser(arguments: [String], option: String, values: [String]) throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let refused = try cli.run(arguments + ["--db", cli.store])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("'bogus' is invalid for '\(option)"), "\(refused.stderr)")
        for value in values { #expect(refused.stderr.contains(value), "\(value): \(refused.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: cli.store), "a refused command created the store")

        let help = try cli.run([arguments[0], "--help"])
        for value in values { #expect(help.stdout.contains(value), "\(arguments[0]) --help lacks \(value)") }
    }

    @Test func theValuesWork() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let events = try cli.file("e.jsonl", #"{"event":"a","distinct_id":"x"}"# + "\n" + #"{"event":"b"}"# + "\n")
        #expect(try cli.run(["ingest", events, "-q", "--db", cli.store]).status == 0)
        let sorted = try cli.run(["persons", "--sort", "size", "--json", "--db", cli.store])
        #expect(sorted.status == 0 && sorted.stdout.contains("\"x\""), "\(sorted.stderr)")
        let typed = try cli.run(["warnings", "--type", "invalid_event", "--json", "--db", cli.store])
        #expect(typed.status == 0 && typed.stdout.contains("invalid_event"), "\(typed.stderr)")
    }

    @Test func browseWithoutATerminalSaysWhyAndCreatesNoStore() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let browse = try cli.run(["browse", "--db", cli.store])
        #expect(browse.status == 1)
        #expect(browse.stderr == "identikit: the explorer needs a terminal; for scripts use `identikit persons --json` and friends\n")
        #expect(!FileManager.default.fileExists(atPath: cli.store))
    }
}
