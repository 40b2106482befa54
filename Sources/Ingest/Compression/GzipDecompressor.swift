import CZlib

/// zlib's inflate over a z_stream that lives as long as the source; gzip or zlib headers.
final class GzipDecompressor: Decompressor {
    private var stream = z_stream()
    private(set) var midStream = false

    init(name: String) throws {
        guard identikit_inflate_init(&stream) == Z_OK else { throw IngestError.unreadable(name, reason: "cannot start gzip decompression") }
    }

    deinit { inflateEnd(&stream) }

    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(DecompressionFailure)
        -> (consumed: Int, written: Int) {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(output.count)
        if input.count > 0 { midStream = true }
        let status = inflate(&stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.avail_in), written = output.count - Int(stream.avail_out)
        switch status {
        case Z_STREAM_END:
            // The next member, if any, starts afresh.
            midStream = false
            inflateReset(&stream)
        case Z_OK, Z_BUF_ERROR:
            break
        default:
            throw DecompressionFailure(detail: stream.msg.map { String(cString: $0) })
        }
        return (consumed, written)
    }
}
