import Foundation
import IdentityCore
import Testing
import TestSupport

@Suite("identikit ingest on good and bad files", .ownThreads)
struct IngestCommandTests {
    static func event(_ id: String, _ n: Int) -> String {
        #"{"event":"$pageview","distinct_id":"\#(id)","uuid":"00000000-0000-4000-8000-\#(String(format: "%012d", n))","properties":{}}"#
    }

    @Test func brokenLinesBecomeWarningsNamingTheirLineAndValidLinesAllLand() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let lines = [
            Self.event("a", 1),
            "this is not json",
            Self.event("b", 2),
            #"{"event": "$pageview", "distinct_id": {"nested": true}}"#,
            "",
            #"[1, 2"#,
            Self.event("c", 3),
            #"{"event":"$pageview","distinct_id":"d","uuid":"00000000-0000-4000-8000-000000000004"#,
        ]
        let path = try cli.file("mixed.jsonl", lines.joined(separator: "\n"))
        let ingest = try cli.run(["ingest", path])
        #expect(ingest.status == 0)
        #expect(ingest.stderr.contains("invalid lines       4"), "\(ingest.stderr)")

        let stats = try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)
        #expect(stats["events"] == 3)
        let warnings = try JSONParser.parse(try cli.run(["warnings", "--json", "--type", "invalid_event"]).stdout).arrayValue ?? []
        let sources = Set(warnings.compactMap { $0["source"]?.stringValue })
        #expect(sources == ["\(path):2", "\(path):4", "\(path):6", "\(path):8"])
        let truncated = warnings.first { $0["source"]?.stringValue == "\(path):8" }
        #expect(truncated?["details"]?["reason"]?.stringValue?.hasPrefix("truncated last line") == true)
    }

    @Test func strictExitsNonZeroOnInvalidInputButKeepsTheValidEvents() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let path = try cli.file("bad.jsonl", Self.event("a", 1) + "\nnot json\n")
        let result = try cli.run(["ingest", "--strict", path])
        #expect(result.status == 2)
        #expect(try JSONParser.parse(try cli.run(["stats", "--json"]).stdout)["events"] == 1)
    }

    @Test func readsStdinArraysBatchObjectsCRLFAndAByteOrderMark() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let stdin = try cli.run(["ingest", "-", "--json"], stdin: Self.event("s", 1) + "\n")
        #expect(try JSONParser.parse(stdin.stdout)["events"] == 1)

        let array = try cli.file("array.json", "[\n  \(Self.event("a", 2)),\n  \(Self.event("b", 3))\n]\n")
        let batch = try cli.file("batch.json", """
            {
              "api_key": "phc_test",
              "batch": [\(Self.event("c", 4)), \(Self.event("d", 5))]
            }
            """)
        let crlf = try cli.file("crlf.jsonl", "\u{FEFF}" + Self.event("e", 6) + "\r\n" + Self.event("f", 7) + "\r\n")
        let result = try cli.run(["ingest", array, batch, crlf, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONParser.parse(result.stdout)
        #expect(summary["events"] == 6)
        #expect(summary["invalid"] == 0)
    }

    @Test func gzipIsRecognisedByContentAndCorruptGzipIsNamed() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let plain = try cli.file("events.jsonl", Self.event("g", 1) + "\n" + Self.event("h", 2) + "\n")
        _ = try ChildProcess.run("/bin/gzip", ["-k", plain])
        let compressed = plain + ".gz"
        let renamed = cli.directory.appendingPathComponent("no-extension").path
        try FileManager.default.moveItem(atPath: compressed, toPath: renamed)
        let result = try cli.run(["ingest", renamed, "--json"])
        #expect(try JSONParser.parse(result.stdout)["events"] == 2, "\(result.stderr)")

        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: renamed)))
        bytes.removeLast(bytes.count / 2)
        let corrupt = try cli.file("corrupt.gz", bytes: bytes + [0xFF, 0x00, 0x13])
        let bad = try cli.run(["ingest", corrupt])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("corrupt.gz"), "\(bad.stderr)")
        #expect(bad.stderr.hasPrefix("identikit: "))
    }

    @Test func missingFilesDirectoriesAndEmptyFilesGetClearMessages() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let missing = try cli.run(["ingest", "/nonexistent/events.jsonl"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "identikit: no such file: /nonexistent/events.jsonl\n")

        let directory = try cli.run(["ingest", cli.directory.path])
        #expect(directory.status == 1)
        #expect(directory.stderr.hasPrefix("identikit: no event files (.jsonl, .ndjson or .json"), "a folder without any: \(directory.stderr)")

        let empty = try cli.file("empty.jsonl", "")
        let result = try cli.run(["ingest", empty, "--json"])
        #expect(result.status == 0)
        #expect(try JSONParser.parse(result.stdout)["events"] == 0)
    }

    @Test func aStoreInAMissingDirectoryOrAFileThatIsNotSQLiteIsRefusedClearly() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let missingDirectory = try cli.run(["stats", "--db", cli.directory.appendingPathComponent("missing/x/store.sqlite").path])
        #expect(missingDirectory.status == 1)
        #expect(missingDirectory.stderr.contains("no store at"), "\(missingDirectory.stderr)")
        let ingestInto = try cli.run(["ingest", "--db", cli.directory.appendingPathComponent("missing/x/store.sqlite").path,
                                      try cli.file("one.jsonl", "")])
        #expect(ingestInto.status == 1)
        #expect(ingestInto.stderr.contains("does not exist"), "\(ingestInto.stderr)")

        let notSQLite = try cli.file("notes.txt", "hello, this is not a database\n")
        let result = try cli.run(["stats", "--db", notSQLite])
        #expect(result.status == 1)
        #expect(result.stderr.contains("not SQLite"), "\(result.stderr)")
    }
}
