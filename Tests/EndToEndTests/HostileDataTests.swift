import Foundation
import IdentityCore
import Testing
import TestSupport

/// Data that tries to drive the terminal: escape sequences, a C1 CSI, bidi overrides, NUL. Human
/// output shows it escaped; JSON output gives it back exactly.
@Suite("hostile data in IDs, names and properties", .ownThreads)
struct HostileDataTests {
    static let hostile = ["\u{1B}[31mred", "\u{1B}]0;title\u{07}", "c1\u{9B}2J", "bidi\u{202E}evil", "nul\u{0}x", "line\nbreak\r"]

    /// Scalars that must never reach a terminal raw: C0 (but the newlines the output itself prints), DEL, C1, bidi controls.
    static func rawControls(_ text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x0A: false
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029: true
            default: false
            }
        }.map { String(format: "U+%04X", $0.value) }
    }

    static func json(_ text: String) -> String { JSONWriter.string(.string(text)) }

    @Test func humanOutputEscapesEveryControlAndJSONKeepsTheExactStrings() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        var lines: [String] = []
        for (i, text) in Self.hostile.enumerated() {
            lines.append(#"{"event":\#(Self.json("ev-" + text)),"distinct_id":\#(Self.json("id\(i)-" + text)),"uuid":"00000000-0000-4000-8000-00000000000\#(i)","properties":{"$set":{\#(Self.json("key-" + text)):\#(Self.json("val-" + text))}}}"#)
        }
        // Two identified persons with hostile IDs, then an identify between them: a refused merge whose
        // warning names both; and an identify that links a hostile anonymous ID, for `why`.
        let u1 = "u1-\u{1B}[2J", u2 = "u2-\u{202E}", anon = "id0-" + Self.hostile[0]
        lines.append(#"{"event":"$identify","distinct_id":\#(Self.json(u1)),"properties":{"$anon_distinct_id":\#(Self.json(anon))}}"#)
        lines.append(#"{"event":"$identify","distinct_id":\#(Self.json(u2)),"properties":{"$anon_distinct_id":"a2"}}"#)
        lines.append(#"{"event":"$identify","distinct_id":\#(Self.json(u1)),"properties":{"$anon_distinct_id":\#(Self.json(u2))}}"#)
        lines.append("not json \u{1B}[5m blinking \u{0} after-nul")
        // The file name itself is hostile too: it appears as the source of warnings.
        let path = try cli.file("events-\u{1B}[32m.jsonl", lines.joined(separator: "\n") + "\n")
        let ingest = try cli.run(["ingest", path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(Self.rawControls(ingest.stderr).isEmpty, "ingest summary: \(ingest.stderr.debugDescription)")

        var commands: [[String]] = [["persons"], ["events"], ["events", "--limit", "100"], ["warnings"],
                                    ["warnings", "--type", "cannot_merge_already_identified"], ["stats"],
                                    ["why", anon, u1], ["merge", u1, "id1-" + Self.hostile[1], "--dry-run"],
                                    ["person", "no-such-\u{1B}[31m"], ["persons", "--search", "id2"],
                                    ["ingest", "/nonexistent/\u{1B}[31m.jsonl"],
                                    ["stats", "--db", cli.directory.appendingPathComponent("s\u{1B}[1m\u{9B}.sqlite").path]]
        for (i, text) in Self.hostile.enumerated() where !text.contains("\u{0}") {
            commands.append(["person", "id\(i)-" + text])
            commands.append(["events", "--distinct-id", "id\(i)-" + text])
        }
        for arguments in commands {
            let result = try cli.run(arguments)
            #expect(Self.rawControls(result.stdout).isEmpty, "\(arguments): \(result.stdout.debugDescription)")
            #expect(Self.rawControls(result.stderr).isEmpty, "\(arguments): \(result.stderr.debugDescription)")
        }
        // Shown escaped, not dropped.
        let person = try cli.run(["person", "id0-" + Self.hostile[0]]).stdout
        #expect(person.contains(#"key-\e[31mred"#) && person.contains(#"val-\e[31mred"#), "\(person)")
        let events = try cli.run(["events", "--limit", "100"]).stdout
        #expect(events.contains(#"ev-\e]0;title\x07"#) && events.contains(#"ev-c1\x9b2J"#) && events.contains(#"ev-bidi\u202eevil"#), "\(events)")
        #expect(try cli.run(["warnings"]).stdout.contains(#"u2-\u202e"#))

        // JSON output round-trips every string exactly (a NUL in a distinct ID or a property is U+FFFD by the rules).
        let persons = try JSONParser.parse(try cli.run(["persons", "--json"]).stdout).arrayValue ?? []
        let storedEvents = try cli.run(["events", "--json", "--limit", "100"]).stdout.split(separator: "\n")
            .compactMap { try? JSONParser.parse(String($0)) }
        for (i, text) in Self.hostile.enumerated() {
            // A NUL in a distinct ID or an event name is U+FFFD by the rules: SQLite text columns end at NUL.
            let id = ("id\(i)-" + text).replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
            let name = ("ev-" + text).replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
            let owner = persons.first { $0["distinct_ids"]?.arrayValue?.contains(.string(id)) == true }
            // And in person property keys and values (the rules, step 5).
            let clean = text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
            #expect(owner?["properties"]?["key-" + clean] == .string("val-" + clean), "person of \(id.debugDescription)")
            #expect(storedEvents.contains { $0["event"] == .string(name) && $0["distinct_id"] == .string(id) },
                    "event \(text.debugDescription)")
        }
        let warnings = try JSONParser.parse(try cli.run(["warnings", "--json"]).stdout).arrayValue ?? []
        #expect(warnings.contains { $0["distinct_ids"] == .array([.string(u2), .string(u1)]) }, "\(warnings)")
        #expect(warnings.contains { $0["source"] == .string(path + ":10") })
        // The raw text of the rejected line is kept past its NUL (the export carries it).
        #expect(try cli.run(["export"]).stdout.contains("after-nul"))
    }
}
