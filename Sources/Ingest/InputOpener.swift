import Foundation

/// Opens a path (or `-` for stdin) as a byte source, decompressing gzip and zstd when the content
/// starts with their magic numbers whatever the file is called, and brotli when the name ends in
/// `.br` (brotli has no magic number). A file named for a compression whose content is JSON text
/// that does not decode that way (a browser unpacked the download and kept the name) is read as it is.
public enum InputOpener {
    public struct Opened {
        public var source: AnyByteSource
        /// The name warnings and messages use: the path as given, or "stdin".
        public var name: String
        /// The file's size on disk, when known, for progress.
        public var totalBytes: Int?
        /// How the content is compressed, if it is.
        public var compression: Compression?
    }

    public static func open(_ path: String) throws -> Opened {
        let name = path == "-" ? "stdin" : path
        let descriptor: Int32
        var totalBytes: Int?
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw IngestError.fileNotFound(path)
            }
            if isDirectory.boolValue { throw IngestError.isDirectory(path) }
            descriptor = Foundation.open(path, O_RDONLY)
            guard descriptor >= 0 else { throw IngestError.unreadable(path, reason: String(cString: strerror(errno))) }
            totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        }
        var file = FileByteSource(descriptor: descriptor, path: name)
        guard let first = try file.next() else { return Opened(source: AnyByteSource(file), name: name, totalBytes: totalBytes) }
        file.pending = first
        if isParquet(first) { throw IngestError.parquet(name) }
        guard let format = compression(of: first, named: path == "-" ? nil : path) else {
            return Opened(source: AnyByteSource(file), name: name, totalBytes: totalBytes)
        }
        return Opened(source: AnyByteSource(try DecompressingByteSource(file, format: format, name: name)),
                      name: name, totalBytes: totalBytes, compression: format)
    }

    /// Parquet files start (and end) with `PAR1`.
    public static func isParquet(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("PAR1".utf8)) }

    /// The compression to read a file with, from its first bytes and its name.
    static func compression(of first: [UInt8], named path: String?) -> Compression? {
        if let sniffed = Compression.sniff(first) { return sniffed }
        guard let path, let named = Compression.named(path) else { return nil }
        if startsLikeJSON(first), !named.accepts(first) { return nil }
        return named
    }

    /// The first byte after blanks and a byte-order mark opens a JSON object or array.
    static func startsLikeJSON(_ bytes: [UInt8]) -> Bool {
        var rest = bytes[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        let first = rest.first { ![0x20, 0x09, 0x0D, 0x0A].contains($0) }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }
}
