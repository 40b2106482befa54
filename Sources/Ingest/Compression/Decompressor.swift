/// One streaming decompressor (zlib's inflate, brotli's or zstd's decoder) behind the calls
/// `DecompressingByteSource` needs, so the loop around them is written once.
protocol Decompressor: AnyObject {
    /// Decodes from `input` into `output`. Returns how many input bytes it consumed and how many
    /// output bytes it wrote; throws `Failure` on corrupt data.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(DecompressionFailure)
        -> (consumed: Int, written: Int)
    /// Inside a stream (member, frame) whose end has not been seen: input ending now means truncation.
    var midStream: Bool { get }
}

/// The decoder refused the data; `detail` is its own word for why, when it has one.
struct DecompressionFailure: Error {
    var detail: String?
}
