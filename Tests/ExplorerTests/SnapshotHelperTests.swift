import Foundation
import Testing
import TestSupport

/// The snapshot helper itself: a missing file fails instead of being written.
@Suite struct SnapshotHelperTests {
    @Test func aMissingSnapshotFailsAndIsNotRecorded() throws {
        let name = "no-such-snapshot-\(UUID().uuidString)"
        #expect(throws: SnapshotFailure.self) {
            try compareSnapshot("anything", named: name, record: false, directory: snapshotDirectory())
        }
        let path = snapshotDirectory().appendingPathComponent(name + ".txt").path
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aDifferentRenderingFails() throws {
        #expect(throws: SnapshotFailure.self) {
            try compareSnapshot("not the persons screen", named: "persons-80x24", record: false, directory: snapshotDirectory())
        }
    }

    @Test func recordingWritesTheFile() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.url.appendingPathComponent("snapshots")  // not there yet: recording makes it
        try compareSnapshot("a frame", named: "new", record: true, directory: directory)
        try compareSnapshot("a frame", named: "new", record: false, directory: directory)
    }
}
