/// The compressions event files come in (PostHog's exports use all three). gzip and zstd are
/// recognised by their magic numbers whatever the file is called; brotli has none, so only a
/// `.br` name says so.
public enum Compression: String, Sendable, CaseIterable, CustomStringConvertible {
    case gzip, brotli, zstd

    public var description: String { rawValue }

    /// The file name endings that say a file is compressed this way.
    public var extensions: [String] {
        switch self {
        case .gzip: [".gz", ".gzip"]
        case .brotli: [".br"]
        case .zstd: [".zst", ".zstd"]
        }
    }

    /// The compression whose magic number starts `bytes`, if any.
    public static func sniff(_ bytes: [UInt8]) -> Compression? {
        if bytes.starts(with: [0x1F, 0x8B]) { return .gzip }
        if bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        return nil
    }

    /// The compression a file's name ends with (case does not matter), if any.
    public static func named(_ path: String) -> Compression? {
        let lower = path.lowercased()
        return allCases.first { format in format.extensions.contains { lower.hasSuffix($0) } }
    }

    /// The name without its compression ending: `a.jsonl.gz` is `a.jsonl`.
    public static func strippingExtension(_ path: String) -> String {
        guard let format = named(path), let ending = format.extensions.first(where: { path.lowercased().hasSuffix($0) }) else {
            return path
        }
        return String(path.dropLast(ending.count))
    }

    func makeDecompressor(name: String) throws -> any Decompressor {
        switch self {
        case .gzip: try GzipDecompressor(name: name)
        case .brotli: try BrotliDecompressor(name: name)
        case .zstd: try ZstdDecompressor(name: name)
        }
    }
}

extension Compression {
    /// Whether `prefix` (the start of a file) decodes in this compression without an error; running
    /// out of input is fine. Tells a `.br` file that is brotli from one a browser already unpacked.
    func accepts(_ prefix: [UInt8]) -> Bool {
        guard var source = try? DecompressingByteSource(MemoryByteSource(Array(prefix.prefix(4096))), format: self, name: "probe") else {
            return false
        }
        do {
            while try source.next() != nil {}
            return true
        } catch IngestError.badCompressedData(_, _, _, truncated: true, _) {
            return true
        } catch {
            return false
        }
    }
}
