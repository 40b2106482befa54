import Foundation
import Testing

/// Why a snapshot did not match.
struct SnapshotFailure: Error, CustomStringConvertible {
    var description: String
}

/// Compares rendered text with `Snapshots/<name>.txt`. A missing file fails: a deleted snapshot must
/// not pass silently. Set IDENTIKIT_RECORD_SNAPSHOTS=1 to write them (new ones, or all after a deliberate change).
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let record = ProcessInfo.processInfo.environment["IDENTIKIT_RECORD_SNAPSHOTS"] == "1"
    do {
        try compareSnapshot(text, named: name, record: record, directory: snapshotDirectory())
    } catch {
        Issue.record("\(error)", sourceLocation: sourceLocation)
    }
}

/// Tests/ExplorerTests/Snapshots, found from this file's own path.
func snapshotDirectory() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Snapshots")
}

/// Throws when the file is missing (unless recording) or differs; records when asked.
func compareSnapshot(_ text: String, named name: String, record: Bool, directory: URL) throws {
    let url = directory.appendingPathComponent(name + ".txt")
    if record {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        throw SnapshotFailure(description: "no snapshot \(name).txt: record it with IDENTIKIT_RECORD_SNAPSHOTS=1")
    }
    guard text + "\n" == expected else {
        throw SnapshotFailure(description: "rendering changed: \(name) (rerun with IDENTIKIT_RECORD_SNAPSHOTS=1 if intended)\n\(text)")
    }
}
