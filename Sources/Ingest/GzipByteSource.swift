import CompressNIO
import Foundation
import NIOCore

/// Decompresses gzip from another source as it streams, with a cap on the output so a
/// small file cannot expand into gigabytes (a "gzip bomb").
public struct GzipByteSource<Base: ByteSource>: ByteSource {
    var base: Base
    let name: String
    let decompressor: NIODecompressor
    let maxOutput: Int
    var produced = 0
    var finished = false

    public init(_ base: Base, name: String, maxOutput: Int = .max) throws {
        self.base = base
        self.name = name
        self.maxOutput = maxOutput
        decompressor = CompressionAlgorithm.gzip().decompressor
        decompressor.window = ByteBufferAllocator().buffer(capacity: 1 << 20)
        try decompressor.startStream()
    }

    public var bytesConsumed: Int { base.bytesConsumed }

    public mutating func next() throws -> [UInt8]? {
        while !finished {
            guard let chunk = try base.next() else {
                finished = true
                try? decompressor.finishStream()
                return nil
            }
            var input = ByteBuffer(bytes: chunk)
            var output: [UInt8] = []
            do {
                try input.decompressStream(with: decompressor) { window in
                    output.append(contentsOf: window.readableBytesView)
                }
            } catch {
                throw IngestError.corruptGzip(name, afterBytes: produced)
            }
            produced += output.count
            if produced > maxOutput { throw GzipLimitExceeded(limit: maxOutput) }
            if !output.isEmpty { return output }
        }
        return nil
    }
}

/// Decompressed data went past the allowed size.
public struct GzipLimitExceeded: Error, CustomStringConvertible {
    public var limit: Int
    public var description: String { "decompressed data is larger than the limit of \(limit) bytes" }
}
