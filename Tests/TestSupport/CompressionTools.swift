import Foundation

/// The gzip, brotli and zstd command line tools (Debian's gzip, brotli and zstd packages; `.ci/run`
/// installs them), for making compressed fixtures exactly as those tools write them.
public enum CompressionTool: String, Sendable, CaseIterable {
    case gzip, brotli, zstd

    /// The file name ending the tool gives.
    public var suffix: String {
        switch self {
        case .gzip: ".gz"
        case .brotli: ".br"
        case .zstd: ".zst"
        }
    }

    /// Compresses `path` into `path + suffix`, keeping the original, and returns the new path.
    @discardableResult
    public func compress(_ path: String) throws -> String {
        let arguments: [String] = switch self {
        case .gzip: ["gzip", "-k", "-f", path]
        case .brotli: ["brotli", "-k", "-f", path]
        case .zstd: ["zstd", "-q", "-k", "-f", path]
        }
        let result = try ChildProcess.run("/usr/bin/env", arguments)
        guard result.status == 0 else { throw TestFailure("\(rawValue) failed on \(path): \(result.stderr)") }
        return path + suffix
    }

    /// `bytes` compressed by the tool.
    public func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.file("data", bytes: bytes)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: try compress(path))))
    }
}
