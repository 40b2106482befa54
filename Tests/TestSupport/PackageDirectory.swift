import Foundation

/// The package's own files (sample events, scripts, the Python environment), found from this file's path.
public enum PackageDirectory {
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// A file by its path from the package root.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}
