import Ingest

/// Gunzips a request body in memory with the same streaming inflater as `identikit ingest`,
/// stopping as soon as the output passes a limit, so a gzip bomb costs at most `limit` bytes.
/// Concatenated gzip members are read in turn; truncated data or bytes after the end are errors.
public enum Gunzip {
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(CaptureError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, bytes.count * 4))
        do {
            var source = try DecompressingByteSource(MemoryByteSource(bytes), format: .gzip, name: "request body", maxOutput: limit)
            while let chunk = try source.next() { output.append(contentsOf: chunk) }
        } catch is DecompressionLimitExceeded {
            throw CaptureError(status: 413, code: "decompressed_too_large",
                               "body decompresses to more than \(limit) bytes; decompression stopped there")
        } catch let IngestError.badCompressedData(_, _, afterBytes, _, _) {
            throw CaptureError.badRequest("invalid_gzip", "body is not valid gzip data: corrupt or truncated after \(afterBytes) decompressed bytes")
        } catch {
            throw CaptureError.badRequest("invalid_gzip", "body is not valid gzip data (\(error))")
        }
        return output
    }

    /// Whether bytes start with gzip's magic number.
    public static func looksLikeGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }
}
