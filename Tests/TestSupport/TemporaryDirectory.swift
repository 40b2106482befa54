import Foundation

/// A fresh folder for one test's files, removed by `remove()` or when the last reference goes.
/// Tests that keep only paths from it hold it with `defer { directory.remove() }`.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(_ prefix: String = "identikit-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside (not created).
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes a file inside and returns its path.
    @discardableResult
    public func file(_ name: String, _ contents: String) throws -> String {
        try contents.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    @discardableResult
    public func file(_ name: String, bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: url.appendingPathComponent(name))
        return path(name)
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }

    deinit { remove() }
}
