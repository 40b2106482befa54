import Foundation

/// Bytes arriving in chunks: a file, stdin, or a decompressor on top of one.
public protocol ByteSource {
    /// The next chunk, or nil at the end.
    mutating func next() throws -> [UInt8]?
    /// Bytes consumed from the underlying file so far, for progress.
    var bytesConsumed: Int { get }
}

/// Reads a file descriptor in large chunks with `read(2)`: no whole-file loads, flat memory.
public struct FileByteSource: ByteSource {
    let owner: DescriptorOwner
    var descriptor: Int32 { owner.descriptor }
    let path: String
    let chunkSize: Int
    public private(set) var bytesConsumed = 0
    /// Bytes put back by a peek, returned before reading on.
    var pending: [UInt8] = []

    /// Takes ownership of `descriptor`: it is closed when the last copy of the source goes away.
    public init(descriptor: Int32, path: String, chunkSize: Int = 1 << 20) {
        self.owner = DescriptorOwner(descriptor)
        self.path = path
        self.chunkSize = chunkSize
    }

    public mutating func next() throws -> [UInt8]? {
        if !pending.isEmpty {
            defer { pending = [] }
            return pending
        }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                throw IngestError.unreadable(path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return nil }
            bytesConsumed += count
            buffer.removeLast(chunkSize - count)
            return buffer
        }
    }
}

/// Bytes already in memory (an HTTP body, a test), handed out as one chunk.
public struct MemoryByteSource: ByteSource {
    var bytes: [UInt8]?
    public private(set) var bytesConsumed = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func next() throws -> [UInt8]? {
        defer { bytes = nil }
        bytesConsumed += bytes?.count ?? 0
        return bytes
    }
}

/// Any byte source behind one concrete type, so readers need not be generic over how a file was opened.
public struct AnyByteSource: ByteSource {
    var base: any ByteSource

    public init(_ base: any ByteSource) { self.base = base }

    public mutating func next() throws -> [UInt8]? { try base.next() }
    public var bytesConsumed: Int { base.bytesConsumed }
}

/// Closes a file descriptor once nothing reads from it any more (stdin is left open).
final class DescriptorOwner {
    let descriptor: Int32
    init(_ descriptor: Int32) { self.descriptor = descriptor }
    deinit { if descriptor > STDERR_FILENO { close(descriptor) } }
}
