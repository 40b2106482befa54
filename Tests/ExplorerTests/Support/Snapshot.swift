import Foundation
import Testing

/// Compares rendered text with `Snapshots/<name>.txt`. A missing file is written (and the test
/// passes, saying so); set IDENTIKIT_RECORD_SNAPSHOTS=1 to rewrite them all after a deliberate change.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation,
                    filePath: String = #filePath) {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")
    let url = directory.appendingPathComponent(name + ".txt")
    let record = ProcessInfo.processInfo.environment["IDENTIKIT_RECORD_SNAPSHOTS"] == "1"
    if record || !FileManager.default.fileExists(atPath: url.path) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    #expect(text + "\n" == expected, "rendering changed: \(name) (rerun with IDENTIKIT_RECORD_SNAPSHOTS=1 if intended)",
            sourceLocation: sourceLocation)
}
