import Foundation
import IdentityCore
import Testing
import TestSupport

/// PostHog's events exports through the real `identikit ingest` into real stores: rows of the export
/// model with object and string properties, every timestamp form, gzip/brotli/zstd, folders,
/// manifests, a truncated file, Parquet, and the same export into PostgreSQL.
@Suite("identikit ingest on PostHog events exports", .ownThreads)
struct PostHogExportTests {
    /// One row of PostHog's events export model; `properties` is written as JSON text when `encoded`.
    static func row(_ n: Int, _ event: String, _ distinctID: String, _ properties: [String: JSONValue],
                    timestamp: String, encoded: Bool = false) -> String {
        let props = JSONValue.object(properties)
        let object: [String: JSONValue] = [
            "uuid": .string("01890000-0000-7000-8000-\(String(format: "%012d", n))"),
            "event": .string(event),
            "distinct_id": .string(distinctID),
            "person_id": "0189ffff-0000-7000-8000-000000000001",
            "properties": encoded ? .string(JSONCoding.string(props)) : props,
            // PostHog's snapshot of the person at the time: never a write, so it must not show up.
            "person_properties": encoded ? .string(#"{"plan":"snapshot"}"#) : ["plan": "snapshot"],
            "elements_chain": "",
            "timestamp": .string(timestamp),
            "created_at": "2024-01-02 03:05:00.000000",
            "_inserted_at": "2024-01-02 03:05:01.123456",
        ]
        return JSONCoding.string(JSONValue.object(object))
    }

    /// anon-1 browses, identifies as ada (properties as text), ada aliases phone-1; bob stays alone.
    /// Line 5 has no distinct_id. Each timestamp form of the exports appears.
    static let story: [String] = [
        row(1, "$pageview", "anon-1", ["$current_url": "/pricing", "$set_once": ["first_seen": "anon"]],
            timestamp: "2024-01-02 03:04:05.123456"),
        row(2, "$identify", "ada", ["$anon_distinct_id": "anon-1", "$set": ["email": "ada@example.com", "plan": "free"]],
            timestamp: "2024-01-02T03:04:06.000001Z", encoded: true),
        row(3, "$create_alias", "ada", ["alias": "phone-1"], timestamp: "2024-01-02T03:04:07.5"),
        row(4, "plan_changed", "phone-1", ["$set": ["plan": "pro"]], timestamp: "2024-01-02T03:04:08.250000+00:00", encoded: true),
        #"{"uuid":"01890000-0000-7000-8000-000000000005","event":"$pageview","person_id":null,"properties":{},"timestamp":"2024-01-02 03:04:09.000000"}"#,
        row(6, "$pageview", "bob", ["$set": ["plan": "team"]], timestamp: "2024-01-02 03:04:10"),
    ]

    static func persons(_ cli: CommandLineRunner) throws -> [String: JSONValue] {
        let persons = try JSONParser.parse(try cli.run(["persons", "--json"]).stdout).arrayValue ?? []
        var byIDs: [String: JSONValue] = [:]
        for person in persons {
            var properties = person["properties"]?.objectValue ?? [:]
            properties["$creator_event_uuid"] = nil
            let ids = (person["distinct_ids"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
            byIDs[ids.joined(separator: ",")] = .object(properties)
        }
        return byIDs
    }

    static let expectedPersons: [String: JSONValue] = [
        "ada,anon-1,phone-1": ["email": "ada@example.com", "plan": "pro", "first_seen": "anon",
                               "$current_url": "/pricing", "$initial_current_url": "/pricing"],
        "bob": ["plan": "team"],
    ]

    @Test func rowsWithObjectOrStringPropertiesAndEveryTimestampFormBuildThePersons() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let path = try cli.file("export.jsonl", Self.story.joined(separator: "\n") + "\n")
        let ingest = try cli.run(["ingest", path, "--json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let summary = try JSONParser.parse(ingest.stdout)
        #expect(summary["events"] == 5)
        #expect(summary["invalid"] == 1)
        #expect(try Self.persons(cli) == Self.expectedPersons, "person_properties is a snapshot, never applied")

        let events = try cli.run(["events", "--person", "ada", "--json"]).stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        let times = Dictionary(uniqueKeysWithValues: events.compactMap { event in
            event["uuid"]?.stringValue.map { ($0.suffix(2), event["timestamp"]?.stringValue ?? "none") }
        })
        #expect(times == ["01": "2024-01-02T03:04:05.123Z", "02": "2024-01-02T03:04:06.000Z",
                          "03": "2024-01-02T03:04:07.500Z", "04": "2024-01-02T03:04:08.250Z"])
        let warnings = try JSONParser.parse(try cli.run(["warnings", "--json", "--type", "invalid_event"]).stdout).arrayValue ?? []
        #expect(warnings.map { $0["source"]?.stringValue } == ["\(path):5"])
        #expect(warnings.first?["details"]?["reason"] == "missing distinct_id")
    }

    @Test(arguments: CompressionTool.allCases)
    func eachCompressionGivesWhatThePlainFileGives(tool: CompressionTool) throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let plain = try cli.file("2024-01-02T00:00:00+00:00-2024-01-03T00:00:00+00:00.jsonl", Self.story.joined(separator: "\n") + "\n")
        let compressed = try tool.compress(plain)
        try FileManager.default.removeItem(atPath: plain)
        let ingest = try cli.run(["ingest", compressed, "--json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(try JSONParser.parse(ingest.stdout)["events"] == 5)
        #expect(try Self.persons(cli) == Self.expectedPersons)
        let warnings = try JSONParser.parse(try cli.run(["warnings", "--json", "--type", "invalid_event"]).stdout).arrayValue ?? []
        #expect(warnings.first?["source"]?.stringValue == "\(compressed):5", "a bad row names the compressed file and its line")
    }

    /// Files that set `plan` in turn: the last one ingested wins, so the order shows in the person.
    static func splitExport(into folder: URL, prefix: String) throws -> [String] {
        let tools: [CompressionTool?] = [nil, .gzip, .brotli, .zstd]
        var keys: [String] = []
        // File numbers 0, 2, 10, 11: name order with numbers by value, not as text (10 < 2).
        for (index, number) in [0, 2, 10, 11].enumerated() {
            let rows = (0..<3).map { k in
                Self.row(100 + index * 10 + k, "$pageview", "user-\(k)", ["$set": ["plan": .string("plan-\(number)")]],
                         timestamp: "2024-01-02 03:0\(index):00.000000", encoded: k == 1)
            }
            let name = "2024-01-02T00:00:00+00:00-2024-01-03T00:00:00+00:00-\(number).jsonl"
            let path = folder.appendingPathComponent(name).path
            try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            var final = path
            if let tool = tools[index] {
                final = try tool.compress(path)
                try FileManager.default.removeItem(atPath: path)
            }
            keys.append(prefix + (final as NSString).lastPathComponent)
        }
        return keys
    }

    @Test func aManifestIngestsTheFilesItNamesInItsOrderAndAFolderInNameOrder() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let export = cli.directory.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: true)
        let keys = try Self.splitExport(into: export, prefix: "posthog/events/")
        let manifest = export.appendingPathComponent("2024-01-02T00:00:00+00:00-2024-01-03T00:00:00+00:00_manifest.json").path
        try JSONCoding.string(JSONValue.object(["files": .array(keys.map(JSONValue.string))]))
            .write(toFile: manifest, atomically: true, encoding: .utf8)

        let viaManifest = try cli.run(["ingest", manifest, "--json"])
        #expect(viaManifest.status == 0, "\(viaManifest.stderr)")
        #expect(try JSONParser.parse(viaManifest.stdout)["events"] == 12)
        let persons = try Self.persons(cli)
        #expect(persons.count == 3)
        #expect(persons.values.allSatisfy { $0["plan"] == "plan-11" }, "\(persons)")

        let other = try CommandLineRunner()
        defer { other.cleanUp() }
        let viaFolder = try other.run(["ingest", export.path, "--json"])
        #expect(viaFolder.status == 0, "\(viaFolder.stderr)")
        #expect(try JSONParser.parse(viaFolder.stdout)["events"] == 12)
        #expect(try Self.persons(other) == persons, "the folder is read in the manifest's order")
    }

    @Test func aTruncatedFileStopsWithAnErrorNamingItAndKeepsEveryEventBeforeIt() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        var lines: [String] = []
        for n in 0..<20_000 {
            lines.append(Self.row(1000 + n, "$pageview", "user-\(n % 300)", ["$set": ["n": .int(Int64(n))], "pad": .string(String(n * 7919, radix: 36))],
                                  timestamp: "2024-01-02 03:04:05.000000"))
        }
        for tool in CompressionTool.allCases {
            let store = try CommandLineRunner()
            defer { store.cleanUp() }
            let whole = try tool.compress(try store.file("events.jsonl", lines.joined(separator: "\n") + "\n"))
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: whole)))
            let cut = try store.file("cut.jsonl\(tool.suffix)", bytes: Array(bytes.prefix(bytes.count / 2)))
            let later = try store.file("later.jsonl", Self.row(99_999, "$pageview", "later", [:], timestamp: "2024-01-03 00:00:00") + "\n")
            let result = try store.run(["ingest", cut, later])
            #expect(result.status == 1)
            #expect(result.stderr.contains("identikit: truncated \(tool.rawValue) data"), "\(result.stderr)")
            #expect(result.stderr.contains(cut))
            #expect(result.stderr.contains("the file after it was not read"), "\(result.stderr)")
            guard case .int(let stored)? = try JSONParser.parse(try store.run(["stats", "--json"]).stdout)["events"] else {
                Issue.record("no event count")
                continue
            }
            #expect(stored > 1000, "\(tool): the events before the cut are kept")
            #expect(result.stderr.contains("its first \(stored) lines (\(stored) inputs) were ingested, the rest was not read"), "\(result.stderr)")
        }
    }

    @Test func parquetIsRefusedBeforeAnythingIsStored() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let good = try cli.file("a.jsonl", Self.story[0] + "\n")
        let parquet = try cli.file("events.parquet", "PAR1 not really parquet PAR1")
        let result = try cli.run(["ingest", good, parquet])
        #expect(result.status == 1)
        #expect(try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)["events"] == 0, "refused before a.jsonl is read")
        #expect(result.stderr.contains("Parquet"), "\(result.stderr)")
        #expect(result.stderr.contains("JSON Lines"))
        #expect(result.stderr.contains(parquet))

        let renamed = try cli.file("export.jsonl.gz", "PAR1 not really parquet PAR1")
        let byContent = try cli.run(["ingest", renamed])
        #expect(byContent.stderr.contains("is a Parquet file"), "\(byContent.stderr)")

        let folder = try cli.run(["ingest", cli.directory.path])
        #expect(folder.status == 1)
        #expect(try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)["events"] == 0, "a Parquet file in a folder stops it before any file")
    }

    @Test func theSameExportIntoPostgreSQLGivesTheSamePersonsAsSQLite() throws {
        let postgres = try CommandLineRunner(store: try TemporaryStore.postgres())
        let sqlite = try CommandLineRunner()
        defer { postgres.cleanUp(); sqlite.cleanUp() }
        let export = postgres.directory.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: true)
        _ = try Self.splitExport(into: export, prefix: "")
        let story = try CompressionTool.brotli.compress(try postgres.file("story.jsonl", Self.story.joined(separator: "\n") + "\n"))

        for cli in [postgres, sqlite] {
            let result = try cli.run(["ingest", export.path, story, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try JSONParser.parse(result.stdout)["events"] == 17)
        }
        let persons = try Self.persons(postgres)
        #expect(persons == (try Self.persons(sqlite)))
        #expect(persons["ada,anon-1,phone-1"] == Self.expectedPersons["ada,anon-1,phone-1"])
        #expect(persons["user-0"]?["plan"] == "plan-11")
        #expect(try JSONParser.parse(try postgres.run(["stats", "--json"]).stdout)
            == (try JSONParser.parse(try sqlite.run(["stats", "--json"]).stdout)))
    }
}
