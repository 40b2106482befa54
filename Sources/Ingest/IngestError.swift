import Foundation

/// Why an input could not be read at all (as opposed to a bad line, which becomes a warning).
public enum IngestError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(String)
    case isDirectory(String)
    case unreadable(String, reason: String)
    /// Compressed data that ends too early (`truncated`) or that the decoder refuses (`detail` says why).
    case badCompressedData(String, format: Compression, afterBytes: Int, truncated: Bool, detail: String?)
    /// A Parquet file: PostHog exports those too, identikit reads JSON Lines.
    case parquet(String)

    public var description: String {
        switch self {
        case .fileNotFound(let path): "no such file: \(path)"
        case .isDirectory(let path): "is a directory, not a file of events: \(path)"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .badCompressedData(let path, let format, let bytes, true, _):
            "truncated \(format) data: the file ends inside the compressed stream, after \(bytes) decompressed bytes: \(path)"
        case .badCompressedData(let path, let format, let bytes, false, let detail):
            "corrupt \(format) data\(detail.map { " (\($0))" } ?? "") after \(bytes) decompressed bytes: \(path)"
        case .parquet(let path):
            "is a Parquet file, which identikit does not read: export the events as JSON Lines instead "
                + "(PostHog: batch export file format \"JSONLines\"): \(path)"
        }
    }
}

/// A read error partway through a file, after the events before it were stored.
public struct StoppedReading: Error, CustomStringConvertible {
    public var cause: any Error
    /// The last line read whole, and the inputs stored from the file before the error.
    public var linesRead: Int
    public var inputs: Int
    public var summary: IngestSummary

    public var description: String {
        let kept = linesRead == 0 ? "nothing of it was ingested"
            : "its first \(linesRead) \(linesRead == 1 ? "line" : "lines") (\(inputs) \(inputs == 1 ? "input" : "inputs")) were ingested, the rest was not read"
        return "\(cause); \(kept)"
    }
}

/// A write error partway through a file (a full disk, a lost database): the batches committed before
/// it are kept, and running the same ingest again adds the rest (events dedupe by uuid).
public struct StoppedWriting: Error, CustomStringConvertible {
    public var cause: any Error
    public var source: String
    /// What the batches committed before the error stored.
    public var committed: IngestSummary

    public var description: String {
        "\(cause); \(committed.events) events of \(source) were committed before it and are kept, the rest was not stored "
            + "(run the same ingest again once fixed: nothing is stored twice)"
    }
}
