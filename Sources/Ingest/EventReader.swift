import Foundation
import IdentityCore

/// Reads one input stream of events in whichever shape it comes: JSON Lines, a JSON array,
/// or a PostHog batch object (possibly pretty-printed over many lines).
///
/// JSON Lines stream with flat memory. A document (a first line that starts with `[`, or one
/// that is not complete JSON on its own) is read whole, since its events are not separable earlier.
public struct EventReader<Source: ByteSource> {
    private var lines: LineSplitter<Source>
    private let name: String
    private var pending: [ValidatedInput] = []
    private var pendingIndex = 0
    private var decided = false
    public private(set) var linesRead = 0

    /// Documents larger than this are not buffered; their lines are read as JSON Lines instead.
    static var maxDocumentBytes: Int { 512 << 20 }

    public init(source: Source, name: String) {
        lines = LineSplitter(source)
        self.name = name
    }

    public var bytesConsumed: Int { lines.bytesConsumed }

    public mutating func next() throws -> ValidatedInput? {
        while true {
            if pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return pending[pendingIndex]
            }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            guard let line = try lines.next() else { return nil }
            linesRead = line.number
            if isBlank(line.bytes) { continue }
            if !decided {
                decided = true
                if let document = try readDocumentIfNeeded(firstLine: line) {
                    pending = document
                    continue
                }
            }
            pending = InputDecoder.decodeLine(line.bytes, location: InputLocation(source: name, line: line.number),
                                              terminated: line.terminated)
        }
    }

    /// Decides from the first non-blank line whether the input is one multi-line JSON document.
    private mutating func readDocumentIfNeeded(firstLine: LineSplitter<Source>.Line) throws -> [ValidatedInput]? {
        let firstByte = firstLine.bytes.first { !isSpace($0) }
        let lineIsComplete = firstByte == UInt8(ascii: "{")
            && (try? JSONParser.parse(firstLine.bytes)) != nil
        guard firstByte == UInt8(ascii: "[") || (firstByte == UInt8(ascii: "{") && !lineIsComplete) else { return nil }
        // Gather the rest; if it all parses as one value it was a document, else fall back to lines.
        var collected: [(LineSplitter<Source>.Line)] = [firstLine]
        var bytes = Array(firstLine.bytes)
        while let line = try lines.next() {
            linesRead = line.number
            collected.append(line)
            bytes.append(UInt8(ascii: "\n"))
            bytes.append(contentsOf: line.bytes)
            if bytes.count > Self.maxDocumentBytes { break }
        }
        if let value = try? JSONParser.parse(bytes) {
            let raw = InputDecoder.capped(String(decoding: bytes, as: UTF8.self))
            return InputDecoder.decodeValue(value, rawText: raw, location: InputLocation(source: name))
        }
        if collected.count == 1 {
            // A single line that is not JSON: report it with its line number like any other.
            return nil
        }
        return collected.filter { !isBlank($0.bytes) }.flatMap {
            InputDecoder.decodeLine($0.bytes, location: InputLocation(source: name, line: $0.number), terminated: $0.terminated)
        }
    }

    private func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool { bytes.allSatisfy(isSpace) }
    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
}
