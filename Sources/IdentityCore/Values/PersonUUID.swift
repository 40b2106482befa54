import Crypto
import Foundation

/// Person ids are UUIDv5 of "<project_id>:<distinct_id>" so they agree with
/// PostHog's ids for the same project and first distinct ID.
public enum PersonUUID {
    public static let namespace = UUID(text: "932979b4-65c3-4424-8467-0b66ec27bc22")!

    public static func make(projectID: Int, distinctID: String) -> UUID {
        version5(namespace: namespace, name: "\(projectID):\(distinctID)")
    }

    /// RFC 9562 name-based UUID with SHA-1.
    public static func version5(namespace: UUID, name: String) -> UUID {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Data(name.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
