/// Decompresses another source as it streams, with a cap on the output so a small file cannot
/// expand into gigabytes (a "bomb"). A stream that ends before its end marker, or holds bad data,
/// is reported as truncated or corrupt (naming the file and how far it got), never silently cut
/// short. Concatenated gzip members and zstd frames (what `cat a.gz b.gz` gives) are read in turn.
public struct DecompressingByteSource<Base: ByteSource>: ByteSource {
    var base: Base
    let format: Compression
    let name: String
    let maxOutput: Int
    let decompressor: any Decompressor
    var produced = 0
    var input: [UInt8] = []
    var inputOffset = 0
    var finished = false
    /// The last call filled the whole output buffer: the decoder may hold more output without new input.
    var outputWasFull = false
    var output = [UInt8](repeating: 0, count: 1 << 18)

    public init(_ base: Base, format: Compression, name: String, maxOutput: Int = .max) throws {
        self.base = base
        self.format = format
        self.name = name
        self.maxOutput = maxOutput
        decompressor = try format.makeDecompressor(name: name)
    }

    public var bytesConsumed: Int { base.bytesConsumed }

    public mutating func next() throws -> [UInt8]? {
        while !finished {
            if inputOffset == input.count, !outputWasFull {
                guard let chunk = try base.next() else {
                    finished = true
                    if decompressor.midStream {
                        throw IngestError.badCompressedData(name, format: format, afterBytes: produced, truncated: true, detail: nil)
                    }
                    return nil
                }
                input = chunk
                inputOffset = 0
            }
            let (consumed, written) = try step()
            inputOffset += consumed
            produced += written
            outputWasFull = written == output.count
            if produced > maxOutput { throw DecompressionLimitExceeded(limit: maxOutput) }
            if written > 0 { return Array(output[0..<written]) }
        }
        return nil
    }

    private mutating func step() throws -> (consumed: Int, written: Int) {
        let offset = inputOffset, decompressor = self.decompressor
        do {
            return try input.withUnsafeBytes { inBytes in
                try output.withUnsafeMutableBytes { outBytes in
                    try decompressor.decompress(UnsafeRawBufferPointer(rebasing: inBytes[offset...]), into: outBytes)
                }
            }
        } catch let failure as DecompressionFailure {
            throw IngestError.badCompressedData(name, format: format, afterBytes: produced, truncated: false, detail: failure.detail)
        }
    }
}

/// Decompressed data went past the allowed size.
public struct DecompressionLimitExceeded: Error, CustomStringConvertible {
    public var limit: Int
    public var description: String { "decompressed data is larger than the limit of \(limit) bytes" }
}
