import CBrotli

/// Brotli's streaming decoder (libbrotlidec). A brotli stream has no magic number and cannot be
/// concatenated: bytes after its end are corrupt data.
final class BrotliDecompressor: Decompressor {
    private let state: OpaquePointer
    private var ended = false
    private var started = false
    var midStream: Bool { started && !ended }

    init(name: String) throws {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw IngestError.unreadable(name, reason: "cannot start brotli decompression")
        }
        self.state = state
    }

    deinit { BrotliDecoderDestroyInstance(state) }

    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(DecompressionFailure)
        -> (consumed: Int, written: Int) {
        if ended {
            if input.isEmpty { return (0, 0) }
            throw DecompressionFailure(detail: "data after the end of the brotli stream")
        }
        started = true
        var availableIn = input.count
        var nextIn = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var availableOut = output.count
        var nextOut = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let result = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
        switch result {
        case BROTLI_DECODER_RESULT_ERROR:
            throw DecompressionFailure(detail: String(cString: BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state))))
        case BROTLI_DECODER_RESULT_SUCCESS:
            ended = true
        default:
            break
        }
        return (input.count - availableIn, output.count - availableOut)
    }
}
