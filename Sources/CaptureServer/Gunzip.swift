import CompressNIO
import NIOCore

/// Gunzips a request body in memory, stopping as soon as the output passes a limit.
///
/// Works in small output windows and checks the limit after each, so a gzip bomb costs at most
/// `limit` bytes of memory. Handles concatenated gzip members; bytes after the end of the gzip
/// data are an error rather than a silent loss (or a busy loop).
public enum Gunzip {
    static let window = 64 * 1024

    public static func decompress(_ bytes: [UInt8], limit: Int) throws(CaptureError) -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, bytes.count * 4))
        var window = ByteBufferAllocator().buffer(capacity: Self.window)
        var decompressor = CompressionAlgorithm.gzip().decompressor
        do { try decompressor.startStream() } catch {
            throw CaptureError(status: 500, code: "gzip_unavailable", "could not start gzip decompression: \(error)")
        }
        defer { try? decompressor.finishStream() }

        while input.readableBytes > 0 {
            let before = input.readableBytes
            window.clear()
            var windowFull = false
            do {
                try input.decompressStream(to: &window, with: decompressor)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                windowFull = true
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                // Wants more input than there is: the data is truncated. What came out so far is
                // kept; the JSON parser then says the body is incomplete.
            } catch {
                throw CaptureError.badRequest("invalid_gzip", "body is not valid gzip data (\(error)) after \(output.count) decompressed bytes")
            }
            output.append(contentsOf: window.readableBytesView)
            if output.count > limit {
                throw CaptureError(status: 413, code: "decompressed_too_large",
                                   "body decompresses to more than \(limit) bytes; decompression stopped there")
            }
            if !windowFull, input.readableBytes == before, window.readableBytes == 0 {
                // The gzip stream ended with input left: another gzip member, or trailing garbage.
                let rest = input.readableBytesView
                guard rest.count >= 2, rest[rest.startIndex] == 0x1f, rest[rest.startIndex + 1] == 0x8b else {
                    throw CaptureError.badRequest("invalid_gzip", "\(rest.count) unexpected bytes after the end of the gzip data")
                }
                try? decompressor.finishStream()
                decompressor = CompressionAlgorithm.gzip().decompressor
                do { try decompressor.startStream() } catch {
                    throw CaptureError(status: 500, code: "gzip_unavailable", "could not restart gzip decompression: \(error)")
                }
            }
        }
        return output
    }

    /// Whether bytes start with gzip's magic number.
    public static func looksLikeGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }
}
