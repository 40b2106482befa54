import CompressNIO
import Foundation
import NIOCore

/// Gzip for building request bodies.
public enum GzipTestData {
    public static func gzip(_ data: Data) -> Data {
        var buffer = ByteBuffer(bytes: data)
        let compressed = try! buffer.compress(with: .gzip())
        return Data(compressed.readableBytesView)
    }

    /// A body of concatenated gzip members that together expand to about `expandedBytes` of zeros.
    public static func bomb(expandedBytes: Int) -> Data {
        let memberSize = 8 * 1024 * 1024
        let member = gzip(Data(count: memberSize))
        var body = Data()
        for _ in 0..<max(1, expandedBytes / memberSize) { body.append(member) }
        return body
    }
}
