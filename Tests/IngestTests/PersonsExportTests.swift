import Foundation
import IdentityCore
import Ingest
import Testing

/// PostHog persons export rows, as `identikit compare` reads them.
@Suite struct PersonsExportTests {
    func row(_ id: String, _ person: String, version: Any = 0, deleted: Any = false, properties: String = #"{"email":"x@y.z"}"#) -> String {
        let v = version is String ? "\"\(version)\"" : "\(version)"
        let d = deleted is String ? "\"\(deleted)\"" : "\(deleted)"
        return #"{"team_id":1,"distinct_id":"\#(id)","person_id":"\#(person)","properties":\#(properties),"person_distinct_id_version":\#(v),"person_version":3,"created_at":"2026-01-01 10:00:00.123456","_inserted_at":"2026-01-01 10:00:01","is_deleted":\#(d)}"#
    }

    func read(_ lines: [String]) -> PersonsExport {
        var export = PersonsExport()
        for (n, line) in lines.enumerated() { export.addLine(ArraySlice(line.utf8), at: InputLocation(source: "persons.jsonl", line: n + 1)) }
        return export
    }

    @Test func theHighestVersionOfADistinctIDWinsWhicheverComesFirst() {
        let export = read([row("a", "p2", version: 2), row("a", "p1", version: 1), row("b", "p1", version: "7"), row("b", "p3", version: "3")])
        #expect(export.grouping == ["a": "p2", "b": "p1"])
        #expect(export.warnings.isEmpty)
    }

    @Test func deletedRowsAreAbsentUnlessANewerRowBringsTheIDBack() {
        let export = read([row("a", "p1", version: 1), row("a", "p1", version: 2, deleted: true), row("b", "p1", deleted: 1),
                           row("c", "p2", version: 1, deleted: true), row("c", "p3", version: 2, deleted: 0)])
        #expect(export.grouping == ["c": "p3"])
    }

    @Test func propertiesMayBeAJSONEncodedString() {
        let export = read([row("a", "p1", properties: #""{\"email\":\"a@b.c\"}""#)])
        #expect(export.grouping == ["a": "p1"])
    }

    @Test func badRowsBecomeWarningsNamingFileAndLineAndNothingValidIsLost() {
        let export = read([row("a", "p1"), "not json", #"{"distinct_id":"b"}"#, row("c", "p1", version: "x"), "", row("d", "p2")])
        #expect(export.grouping == ["a": "p1", "d": "p2"])
        #expect(export.warnings.count == 3)
        #expect(export.warnings[0].hasPrefix("persons.jsonl:2: not JSON"))
        #expect(export.warnings[1] == "persons.jsonl:3: field person_id: missing or not a string")
        #expect(export.warnings[2] == "persons.jsonl:4: field person_distinct_id_version: not an integer")
    }

    @Test func parquetFilesAreRefusedWithAClearMessage() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("persons-\(UUID()).parquet").path
        FileManager.default.createFile(atPath: path, contents: Data("PAR1\u{0}\u{1}rest".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var export = PersonsExport()
        #expect(throws: PersonsExportError.parquet(path)) { try export.read(path: path) }
        #expect(PersonsExportError.parquet(path).description.contains("JSON Lines"))
    }
}
