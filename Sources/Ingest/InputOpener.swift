import Foundation

/// Opens a path (or `-` for stdin) as a byte source, decompressing gzip when the content starts
/// with gzip's magic bytes, whatever the file is called.
public enum InputOpener {
    public struct Opened {
        public var source: AnyByteSource
        /// The name warnings and messages use: the path as given, or "stdin".
        public var name: String
        /// The file's size on disk, when known, for progress.
        public var totalBytes: Int?
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
        if first.count >= 2, first[0] == 0x1F, first[1] == 0x8B {
            return Opened(source: AnyByteSource(try GzipByteSource(file, name: name)), name: name, totalBytes: totalBytes)
        }
        return Opened(source: AnyByteSource(file), name: name, totalBytes: totalBytes)
    }
}
