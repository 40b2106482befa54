import CZstd

/// zstd's streaming decoder (libzstd). Frames may follow one another, as `cat a.zst b.zst` gives.
final class ZstdDecompressor: Decompressor {
    private let stream: OpaquePointer
    /// zstd's hint after the last call: 0 once a frame is complete and flushed.
    private var remainingHint = 0

    var midStream: Bool { remainingHint != 0 }

    init(name: String) throws {
        guard let stream = ZSTD_createDStream() else { throw IngestError.unreadable(name, reason: "cannot start zstd decompression") }
        self.stream = stream
        ZSTD_initDStream(stream)
    }

    deinit { ZSTD_freeDStream(stream) }

    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(DecompressionFailure)
        -> (consumed: Int, written: Int) {
        if input.isEmpty, remainingHint == 0 { return (0, 0) }
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let result = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
        if ZSTD_isError(result) != 0 { throw DecompressionFailure(detail: String(cString: ZSTD_getErrorName(result))) }
        remainingHint = result
        return (inBuffer.pos, outBuffer.pos)
    }
}
