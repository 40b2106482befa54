import ArgumentParser
import Foundation
import IdentityCore
import SQLiteStore

struct Suspects: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "List likely identity mistakes: persons with far too many IDs, generic-looking IDs, emails identified twice.",
        discussion: """
            Three kinds, each found over an index (fast on a large store):
              many_distinct_ids: persons with more distinct IDs than max(10, the 99th
                percentile): a generic ID or a shared device joined strangers
              generic_distinct_id: IDs such as user, test, -1, [], NULL, 42 that the
                blocklist lets through, so they can still merge people
              email_on_identified_persons: one email on several identified persons

            Open a person with `identikit person ID`; merge an email's persons in the explorer \
            (D, then M on the group). The explorer shows the same list on S.

            Examples:
              identikit suspects
              identikit suspects --json --limit 50
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "At most this many of each kind.")
    var limit = SuspectRules.limitPerKind

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run(store: CommandStore) async throws {
        let report = try await store.suspects(limit: limit)
        if json {
            let object: JSONValue = .object(["id_threshold": .int(Int64(report.idThreshold)),
                                             "suspects": .array(report.suspects.map(JSONShapes.suspect))])
            Terminal.standardOutput.write(JSONCoding.string(object, pretty: true) + "\n")
        } else {
            Terminal.standardOutput.write(Self.text(report, limit: limit, width: Terminal.standardOutput.width))
        }
    }

    static func text(_ report: SuspectReport, limit: Int, width: Int) -> String {
        var out = ""
        for kind in SuspectKind.allCases {
            let suspects = report.of(kind)
            out += (out.isEmpty ? "" : "\n") + kind.title
            if kind == .manyIDs { out += " (more than \(report.idThreshold))" }
            out += ": \(suspects.count)" + (suspects.count >= limit ? " (the first \(limit); --limit shows more)" : "") + "\n"
            guard !suspects.isEmpty else { continue }
            var table: Table
            switch kind {
            case .manyIDs:
                table = Table("PERSON", "NAME", "IDS", "EVENTS", flexible: [1])
                for s in suspects { table.add(s.person!.uuid.lowercased, s.person!.displayName, String(s.count), String(s.person!.eventCount)) }
            case .genericID:
                table = Table("DISTINCT ID", "PERSON", "NAME", "IDS", flexible: [2])
                for s in suspects { table.add(Escaping.quoted(s.distinctID ?? ""), s.person!.uuid.lowercased, s.person!.displayName, String(s.count)) }
            case .sharedEmail:
                table = Table("EMAIL", "IDENTIFIED PERSONS", flexible: [0])
                for s in suspects { table.add(s.email ?? "", String(s.count)) }
            }
            out += table.render(width: width)
        }
        return out
    }
}
