import Foundation

/// Splits a byte stream into lines, numbering them from 1. Handles `\n` and `\r\n` ends,
/// a UTF-8 byte-order mark at the start, and a last line without a newline.
public struct LineSplitter<Source: ByteSource> {
    public struct Line {
        public var number: Int
        public var bytes: ArraySlice<UInt8>
        /// False for a last line that ended without a newline (perhaps a truncated write).
        public var terminated: Bool
    }

    public private(set) var source: Source
    private var buffer: [UInt8] = []
    private var start = 0
    private var exhausted = false
    private var lineNumber = 0
    /// Where the search for the next newline resumes: a long line is scanned once, not once per chunk.
    private var scanned = 0

    public init(_ source: Source) { self.source = source }

    public var bytesConsumed: Int { source.bytesConsumed }

    public mutating func next() throws -> Line? {
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                return emit(buffer[start..<end], consumedThrough: newline + 1, terminated: true)
            }
            if exhausted {
                guard start < buffer.count else { return nil }
                return emit(buffer[start...], consumedThrough: buffer.count, terminated: false)
            }
            scanned = buffer.count
            guard let chunk = try source.next() else {
                exhausted = true
                continue
            }
            // Drop consumed bytes before growing, so the buffer holds at most one chunk plus a partial line.
            if start > 0 {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            buffer.append(contentsOf: chunk)
        }
    }

    private mutating func emit(_ bytes: ArraySlice<UInt8>, consumedThrough next: Int, terminated: Bool) -> Line {
        lineNumber += 1
        var bytes = bytes
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        start = next
        return Line(number: lineNumber, bytes: bytes, terminated: terminated)
    }
}
