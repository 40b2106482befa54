import DemoData
import Foundation
import IdentityCore

/// Writes demo events as JSON Lines, streaming, so generating a million events needs no memory.
enum EventFile {
    /// Returns how many persons' stories it took to reach `events` lines.
    @discardableResult
    static func write(events: Int, seed: UInt64, to path: String) throws -> Int {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw BenchError("cannot write \(path)") }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var iterator = DemoGenerator(persons: Int.max, seed: seed).makeIterator()
        for _ in 0..<events {
            guard let event = iterator.next() else { break }
            JSONWriter.write(event, into: &buffer)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count > 1 << 20 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
        return iterator.storiesTold
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
