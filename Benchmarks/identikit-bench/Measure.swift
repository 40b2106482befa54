import Foundation

/// Wall-clock timing with the monotonic clock.
enum Measure {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Times `body` once per sample and returns the samples in milliseconds.
    static func samplesMS(_ count: Int, _ body: (Int) throws -> Void) rethrows -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for index in 0..<count {
            samples.append(try seconds { try body(index) } * 1000)
        }
        return samples
    }

    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[rank]
    }

    static func median(_ samples: [Double]) -> Double { percentile(samples, 50) }
}

/// A fresh directory for one run's stores and files, removed at the end.
final class Workspace {
    let url: URL
    /// Leave the files behind (`--keep`), e.g. to profile `identikit ingest` on the same events file.
    var keep = false

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("identikit-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Removes an SQLite file with its WAL and shared-memory files, so a round starts empty.
    static func removeStore(_ path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    deinit { if !keep { try? FileManager.default.removeItem(at: url) } }
}
