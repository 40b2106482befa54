import Foundation
import IdentityCore
import Ingest
import Testing
import TestSupport

/// Folders and PostHog export manifests become the ordered list of files `identikit ingest` reads.
@Suite("export folders and manifests")
struct ExportFilesTests {
    @Test func aFolderListsItsEventFilesInNameOrderWithNumbersByValueThroughSubfolders() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path("2024/01"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.path(".hidden"), withIntermediateDirectories: true)
        let start = "2024-01-01T00:00:00+00:00-2024-01-02T00:00:00+00:00"
        for name in ["\(start)-10.jsonl.gz", "\(start)-2.jsonl.br", "\(start)-0.jsonl.zst", "2024/01/b.ndjson", "a.json",
                     "notes.txt", ".hidden/x.jsonl", ".DS_Store"] {
            try directory.file(name, "")
        }
        try directory.file("\(start)_manifest.json", #"{"files": ["exports/\#(start)-0.jsonl.zst", "exports/\#(start)-2.jsonl.br", "exports/\#(start)-10.jsonl.gz"]}"#)
        let listing = try ExportFiles.expand(directory.path)
        #expect(listing.files == ["\(start)-0.jsonl.zst", "\(start)-2.jsonl.br", "\(start)-10.jsonl.gz", "2024/01/b.ndjson", "a.json"]
            .map(directory.path))
        #expect(listing.skipped == [directory.path("notes.txt")])
    }

    @Test func aManifestListsItsFilesInItsOrderFindingS3KeysUnderTheManifestsFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path("events"), withIntermediateDirectories: true)
        try directory.file("b.jsonl.gz", "")
        try directory.file("events/a.jsonl", "")
        let manifest = try directory.file("run_manifest.json", #"{"files": ["bucket-prefix/b.jsonl.gz", "events/a.jsonl"]}"#)
        #expect(try ExportFiles.expand(manifest).files == [directory.path("b.jsonl.gz"), directory.path("events/a.jsonl")])
    }

    @Test func aManifestNamingAMissingFileFailsBeforeAnythingIsRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.file("a.jsonl", "")
        let manifest = try directory.file("manifest.json", #"{"files": ["a.jsonl", "p/missing.jsonl.br"]}"#)
        #expect(throws: ExportFiles.Failure.missingFile(manifest: manifest, entry: "p/missing.jsonl.br",
                                                        lookedAt: directory.path("p/missing.jsonl.br") + ", " + directory.path("missing.jsonl.br"))) {
            try ExportFiles.expand(manifest)
        }
        // In a folder too: an incomplete download is caught before a single event is stored.
        #expect(throws: ExportFiles.Failure.self) { try ExportFiles.expand(directory.path) }
    }

    @Test(arguments: [#"{"file": []}"#, "not json", #"{"files": [3]}"#])
    func aManifestThatIsNotOneSaysSo(text: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manifest = try directory.file("manifest.json", text)
        #expect {
            try ExportFiles.expand(manifest)
        } throws: { error in
            "\(error)".hasPrefix("not a PostHog export manifest") && "\(error)".hasSuffix(manifest)
        }
    }

    @Test func parquetInAFolderOrAManifestAndAnEmptyFolderAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: ExportFiles.Failure.emptyFolder(directory.path)) { try ExportFiles.expand(directory.path) }
        try directory.file("a.jsonl", "")
        try directory.file("b.parquet", "PAR1")
        #expect(throws: IngestError.parquet(directory.path("b.parquet"))) { try ExportFiles.expand(directory.path) }
        let manifest = try directory.file("other_manifest.json", #"{"files": ["x/b.parquet"]}"#)
        #expect(throws: IngestError.parquet("x/b.parquet")) { try ExportFiles.expand(manifest) }
    }

    @Test func nameOrderComparesNumbersByValue() {
        let names = ["f-10.jsonl", "f-2.jsonl", "f-1.jsonl", "f-02.jsonl", "e.jsonl", "f-.jsonl", "f-2.jsonl.gz"]
        #expect(names.sorted(by: ExportFiles.nameOrder) == ["e.jsonl", "f-.jsonl", "f-1.jsonl", "f-02.jsonl", "f-2.jsonl", "f-2.jsonl.gz", "f-10.jsonl"])
    }

    @Test func aFileOrStdinIsItself() throws {
        #expect(try ExportFiles.expand("-").files == ["-"])
        #expect(try ExportFiles.expand("/nonexistent/x.jsonl").files == ["/nonexistent/x.jsonl"])
    }
}
