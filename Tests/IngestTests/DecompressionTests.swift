import Foundation
import IdentityCore
import Ingest
import Testing
import TestSupport

/// gzip, brotli and zstd files as their command line tools write them, read back through the
/// opener `identikit ingest` uses: whole, concatenated, cut short and corrupted.
@Suite("compressed event files")
struct DecompressionTests {
    /// JSON Lines of `count` events, varied enough not to compress to nothing.
    static func lines(_ count: Int) -> [UInt8] {
        var text = ""
        for n in 0..<count {
            text += #"{"event":"e","distinct_id":"user-\#(n % 97)","uuid":"00000000-0000-4000-8000-\#(String(format: "%012d", n))","properties":{"n":\#(n * 7919 % 10007)}}"# + "\n"
        }
        return Array(text.utf8)
    }

    static func readAll(_ path: String) throws -> (bytes: [UInt8], compression: Compression?) {
        let opened = try InputOpener.open(path)
        var source = opened.source
        var bytes: [UInt8] = []
        while let chunk = try source.next() { bytes += chunk }
        return (bytes, opened.compression)
    }

    @Test(arguments: CompressionTool.allCases)
    func eachFormatReadsBackExactlyWhatWasCompressed(tool: CompressionTool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = Self.lines(20_000)  // several MB: many output buffers
        let path = try tool.compress(try directory.file("events.jsonl", bytes: plain))
        let read = try Self.readAll(path)
        #expect(read.bytes == plain)
        #expect(read.compression?.rawValue == tool.rawValue)
    }

    /// Output that fills the decoder's 256 KiB buffer exactly when the input runs out must not be
    /// taken for a truncated stream.
    @Test(arguments: CompressionTool.allCases)
    func outputOfExactlyTheBufferSizeIsNotTakenForTruncation(tool: CompressionTool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for size in [1 << 18, 2 << 18] {
            let plain = [UInt8](repeating: UInt8(ascii: "\n"), count: size)
            let path = try tool.compress(try directory.file("blank-\(size).jsonl", bytes: plain))
            #expect(try Self.readAll(path).bytes == plain, "\(tool) \(size)")
        }
    }

    @Test(arguments: [CompressionTool.gzip, .zstd])
    func concatenatedMembersAndFramesAreReadInTurn(tool: CompressionTool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = Self.lines(100), second = Array(Self.lines(250).suffix(from: 4000))
        let path = try directory.file("both.jsonl\(tool.suffix)", bytes: try tool.compress(first) + tool.compress(second))
        #expect(try Self.readAll(path).bytes == first + second)
    }

    @Test(arguments: CompressionTool.allCases)
    func aFileCutShortIsTruncatedNamingTheFileAndHowFarItGot(tool: CompressionTool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let compressed = try tool.compress(Self.lines(20_000))
        let path = try directory.file("cut.jsonl\(tool.suffix)", bytes: Array(compressed.prefix(compressed.count / 2)))
        do {
            _ = try Self.readAll(path)
            Issue.record("a \(tool) file cut in half was read without an error")
        } catch let error as IngestError {
            guard case .badCompressedData(let name, let format, let afterBytes, let truncated, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == path)
            #expect(format.rawValue == tool.rawValue)
            #expect(truncated)
            #expect(afterBytes > 0)
            #expect(error.description.hasPrefix("truncated \(tool.rawValue) data"))
            #expect(error.description.hasSuffix(path))
        }
    }

    @Test(arguments: CompressionTool.allCases)
    func corruptDataIsNamedAsCorrupt(tool: CompressionTool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var compressed = try tool.compress(Self.lines(5_000))
        for index in stride(from: compressed.count / 3, to: compressed.count / 3 + 64, by: 1) { compressed[index] ^= 0x5A }
        let path = try directory.file("bad.jsonl\(tool.suffix)", bytes: compressed)
        #expect {
            _ = try Self.readAll(path)
        } throws: { error in
            guard case .badCompressedData(_, _, _, false, _)? = error as? IngestError else { return false }
            return "\(error)".hasPrefix("corrupt \(tool.rawValue) data") && "\(error)".hasSuffix(path)
        }
    }

    @Test func bytesAfterABrotliStreamAreCorrupt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.file("tail.jsonl.br", bytes: try CompressionTool.brotli.compress(Self.lines(10)) + [1, 2, 3])
        #expect(throws: IngestError.self) { _ = try Self.readAll(path) }
    }

    /// Browsers unpack `Content-Encoding` downloads and keep the `.gz`/`.br` name.
    @Test(arguments: [".gz", ".br", ".zst"])
    func jsonTextNamedLikeACompressionIsReadAsItIs(suffix: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = Self.lines(3)
        let read = try Self.readAll(try directory.file("unpacked.jsonl\(suffix)", bytes: plain))
        #expect(read.bytes == plain)
        #expect(read.compression == nil)
    }

    @Test func gzipAndZstdAreRecognisedWhateverTheName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = Self.lines(50)
        for tool in [CompressionTool.gzip, .zstd] {
            let path = try directory.file("\(tool)-export.jsonl", bytes: try tool.compress(plain))
            #expect(try Self.readAll(path).bytes == plain)
        }
    }

    @Test func parquetIsRefusedSayingToExportJSONLines() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.file("events.jsonl", bytes: Array("PAR1\u{15}\u{04}rest-of-a-parquet-file".utf8))
        #expect(throws: IngestError.parquet(path)) { _ = try InputOpener.open(path) }
        #expect(IngestError.parquet(path).description.contains("export the events as JSON Lines"))
    }
}
