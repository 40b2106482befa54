import Foundation

/// Why an input could not be read at all (as opposed to a bad line, which becomes a warning).
public enum IngestError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(String)
    case isDirectory(String)
    case unreadable(String, reason: String)
    case corruptGzip(String, afterBytes: Int)

    public var description: String {
        switch self {
        case .fileNotFound(let path): "no such file: \(path)"
        case .isDirectory(let path): "is a directory, not a file of events: \(path)"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .corruptGzip(let path, let bytes): "corrupt or truncated gzip data after \(bytes) decompressed bytes: \(path)"
        }
    }
}
