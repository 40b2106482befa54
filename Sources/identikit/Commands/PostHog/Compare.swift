import ArgumentParser
import Foundation
import IdentityCore
import Ingest
import Store

struct Compare: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare PostHog's grouping of distinct IDs (a persons export) with the store's.",
        discussion: """
            Reads PostHog persons exports (JSON Lines, plain or compressed; one row per distinct ID: \
            distinct_id, person_id, person_distinct_id_version, is_deleted...). A distinct ID in several \
            rows keeps the row with the highest person_distinct_id_version; is_deleted rows count as absent. \
            Parquet exports are refused: export JSON Lines instead. Bad rows are warnings naming file and line.

            Only distinct IDs both sides know are compared. "agree" counts persons on which both sides put \
            exactly the same IDs. Every other ID is in one disagreement: a set of IDs joined by either side, \
            with how PostHog and identikit each split it. IDs one side lacks are listed as only_in_posthog / \
            only_in_identikit. The comparison is kept with the store for the explorer's PostHog screen (H); \
            a disagreement marked accepted there stays accepted while it stays the same.

            Examples:
              identikit compare persons-export.jsonl
              identikit compare export/persons-*.jsonl.gz --json
              identikit compare persons.jsonl --limit 5
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("PostHog persons export files (JSON Lines, gzip...).", valueName: "persons-export"))
    var files: [String]

    @Option(help: "How many disagreements to print (all with --json).")
    var limit = 20

    @Flag(help: "Print {agree, differ, only_in_posthog, only_in_identikit} as JSON.")
    var json = false

    /// Persons read from the store per query.
    static let pageSize = 2_000
    /// Why-linked chains printed per disagreement.
    static let chainsShown = 5
    /// Bad rows printed one by one; the rest are counted.
    static let warningsShown = 50

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one persons export file") }
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    /// Reading the files is checked before the store opens, so a bad path leaves no store behind.
    func checkBeforeOpening() throws {
        for file in files where file != "-" && !FileManager.default.fileExists(atPath: file) {
            throw Failure("no such file: \(file)")
        }
    }

    func run(store: CommandStore) async throws {
        let files = self.files
        let export = try await onOwnThread(named: "read persons export") {
            var export = PersonsExport()
            for file in files { try export.read(path: file) }
            return export
        }
        report(warnings: export.warnings)

        var comparer = GroupingComparer(posthog: export.grouping)
        var after: Int64?
        while true {
            let page = try await store.distinctIDGroups(after: after, limit: Self.pageSize)
            for group in page { comparer.addIdentikitPerson(group.distinctIDs) }
            guard let last = page.last else { break }
            after = last.personID
        }
        let result = comparer.result()

        let previous = try await store.storedComparison()
        let accepted = previous?.differences.filter { $0.status == .accepted } ?? []
        let differences = result.differ.map { difference in
            let stored = StoredDifference(difference)
            return accepted.contains { $0.isSame(as: stored) } ? StoredDifference(difference, status: .accepted) : stored
        }
        try await store.saveComparison(StoredComparison(
            comparedAt: Date(), sources: files.map { $0 == "-" ? "stdin" : $0 }, agree: result.agree,
            onlyInPostHog: result.onlyInPostHog.count, onlyInIdentikit: result.onlyInIdentikit.count, differences: differences))

        if json {
            Terminal.standardOutput.write(JSONCoding.string(Self.json(result), pretty: true) + "\n")
        } else {
            let acceptedCount = differences.filter { $0.status == .accepted }.count
            Terminal.standardOutput.write(try await text(result, acceptedCount: acceptedCount, rowsRead: export.rowsRead, store: store))
        }
    }

    private func report(warnings: [String]) {
        guard !warnings.isEmpty else { return }
        var out = ""
        for warning in warnings.prefix(Self.warningsShown) { out += "identikit: warning: \(Escaping.terminalSafe(warning))\n" }
        if warnings.count > Self.warningsShown { out += "identikit: warning: \(warnings.count - Self.warningsShown) more bad rows\n" }
        out += "identikit: \(warnings.count) row\(warnings.count == 1 ? "" : "s") skipped; every other row was compared\n"
        Terminal.standardError.write(out)
    }

    static func json(_ result: GroupingComparison) -> JSONValue {
        func strings(_ ids: [String]) -> JSONValue { .array(ids.map(JSONValue.string)) }
        return .object([
            "agree": .int(Int64(result.agree)),
            "differ": .array(result.differ.map { difference in
                .object(["distinct_ids": strings(difference.distinctIDs),
                         "posthog": .array(difference.posthog.map(strings)),
                         "identikit": .array(difference.identikit.map(strings))])
            }),
            "only_in_posthog": strings(result.onlyInPostHog),
            "only_in_identikit": strings(result.onlyInIdentikit),
        ])
    }

    private func text(_ result: GroupingComparison, acceptedCount: Int, rowsRead: Int, store: CommandStore) async throws -> String {
        var out = "Compared \(rowsRead) persons-export row\(rowsRead == 1 ? "" : "s") with the store:\n"
        out += "  agree              \(result.agree) person\(result.agree == 1 ? "" : "s")\n"
        out += "  differ             \(result.differ.count) set\(result.differ.count == 1 ? "" : "s") of IDs"
            + (acceptedCount > 0 ? " (\(acceptedCount) marked accepted)" : "") + "\n"
        out += "  only in PostHog    \(Self.idCount(result.onlyInPostHog))\n"
        out += "  only in identikit  \(Self.idCount(result.onlyInIdentikit))\n"
        if result.differ.isEmpty {
            out += "\nPostHog and identikit group every shared distinct ID the same way.\n"
            return out
        }
        out += "\nDisagreements, biggest first:\n"
        for (index, difference) in result.differ.prefix(limit).enumerated() {
            out += "\n\(index + 1). \(difference.distinctIDs.count) distinct IDs\n"
            out += "   PostHog:    \(Self.groups(difference.posthog))\n"
            out += "   identikit:  \(Self.groups(difference.identikit))\n"
            for line in try await Self.whyLines(difference, store: store) { out += "     " + line + "\n" }
        }
        if result.differ.count > limit {
            out += "\n… \(result.differ.count - limit) more (--limit, --json, or the explorer's PostHog screen: H)\n"
        }
        return out
    }

    static func idCount(_ ids: [String]) -> String {
        let shown = ids.prefix(5).map(Escaping.quoted).joined(separator: ", ")
        return "\(ids.count) distinct ID\(ids.count == 1 ? "" : "s")" + (ids.isEmpty ? "" : ": " + shown + (ids.count > 5 ? ", …" : ""))
    }

    static func groups(_ groups: [[String]]) -> String {
        groups.map { "[" + $0.map(Escaping.quoted).joined(separator: ", ") + "]" }.joined(separator: "  ")
    }

    /// Why identikit joined what PostHog keeps apart: for each identikit person, the chain from its
    /// first ID to each ID PostHog puts on another person.
    static func whyLines(_ difference: GroupingComparison.Difference, store: CommandStore) async throws -> [String] {
        var posthogPerson: [String: Int] = [:]
        for (index, group) in difference.posthog.enumerated() { for id in group { posthogPerson[id] = index } }
        // A few chains per disagreement: a huge set would otherwise print (and query) thousands.
        let pairs = Array(difference.identikit.flatMap { group in
            group.dropFirst().filter { posthogPerson[$0] != posthogPerson[group[0]] }.map { (group[0], $0) }
        }.prefix(Self.chainsShown))
        guard !pairs.isEmpty else { return [] }
        let chains = try await store.read { engine, storage in
            try pairs.map { pair in (pair, (try? engine.whyLinked(pair.0, pair.1, in: storage)) ?? []) }
        }
        var lines: [String] = []
        for ((a, b), chain) in chains {
            lines.append("why identikit joined \(Escaping.quoted(a)) and \(Escaping.quoted(b)):"
                         + (chain.isEmpty ? " no recorded link (joined before links were recorded)" : ""))
            lines += chain.map { "  " + Human.link($0) }
        }
        return lines
    }
}
