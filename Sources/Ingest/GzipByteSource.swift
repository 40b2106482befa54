import CZlib
import Foundation

/// Decompresses gzip from another source as it streams, with a cap on the output so a
/// small file cannot expand into gigabytes (a "gzip bomb"). A stream that ends before its
/// gzip trailer, or holds bad data, is reported as corrupt rather than silently cut short.
/// Concatenated gzip members (what `cat a.gz b.gz` gives) are read one after another.
public struct GzipByteSource<Base: ByteSource>: ByteSource {
    var base: Base
    let name: String
    let maxOutput: Int
    let inflater: Inflater
    var produced = 0
    var input: [UInt8] = []
    var inputOffset = 0
    var finished = false

    public init(_ base: Base, name: String, maxOutput: Int = .max) throws {
        self.base = base
        self.name = name
        self.maxOutput = maxOutput
        inflater = try Inflater(name: name)
    }

    public var bytesConsumed: Int { base.bytesConsumed }

    public mutating func next() throws -> [UInt8]? {
        while !finished {
            if inputOffset == input.count {
                guard let chunk = try base.next() else {
                    finished = true
                    // Input ended: fine only if the last member was complete.
                    if inflater.inMember { throw IngestError.corruptGzip(name, afterBytes: produced) }
                    return nil
                }
                input = chunk
                inputOffset = 0
            }
            let (output, consumed) = try inflater.inflate(input, from: inputOffset, producedSoFar: produced)
            inputOffset += consumed
            produced += output.count
            if produced > maxOutput { throw GzipLimitExceeded(limit: maxOutput) }
            if !output.isEmpty { return output }
        }
        return nil
    }
}

/// zlib's inflate over a z_stream that lives as long as the source.
final class Inflater {
    private var stream = z_stream()
    private let name: String
    /// Inside a gzip member whose end has not been seen yet.
    private(set) var inMember = false
    private var output = [UInt8](repeating: 0, count: 1 << 18)

    init(name: String) throws {
        self.name = name
        guard identikit_inflate_init(&stream) == Z_OK else { throw IngestError.unreadable(name, reason: "cannot start gzip decompression") }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates from `input[offset...]` until the output buffer fills or input runs out.
    func inflate(_ input: [UInt8], from offset: Int, producedSoFar: Int) throws -> (output: [UInt8], consumed: Int) {
        let available = input.count - offset
        guard available > 0 else { return ([], 0) }
        var consumed = 0
        var written = 0
        let capacity = output.count
        var status: Int32 = Z_OK
        input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress! + offset)
                stream.avail_in = UInt32(available)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(capacity)
                inMember = true
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                consumed = available - Int(stream.avail_in)
                written = capacity - Int(stream.avail_out)
            }
        }
        switch status {
        case Z_STREAM_END:
            inMember = false
            inflateReset(&stream)
        case Z_OK, Z_BUF_ERROR:
            break
        default:
            throw IngestError.corruptGzip(name, afterBytes: producedSoFar + written)
        }
        return (Array(output[0..<written]), consumed)
    }
}

/// Decompressed data went past the allowed size.
public struct GzipLimitExceeded: Error, CustomStringConvertible {
    public var limit: Int
    public var description: String { "decompressed data is larger than the limit of \(limit) bytes" }
}
