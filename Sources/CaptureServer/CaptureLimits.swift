/// Size limits of the capture server.
public struct CaptureLimits: Sendable, Equatable {
    /// The largest request body accepted, as sent (compressed or not). PostHog's own limit is 20 MiB.
    public var maxBodyBytes: Int
    /// The largest body after gunzip or base64: decompression stops here, so a small gzip
    /// bomb cannot expand into gigabytes.
    public var maxDecodedBytes: Int

    public static let defaultMaxBodyBytes = 20 * 1024 * 1024
    public static let defaultMaxDecodedBytes = 100 * 1024 * 1024

    public init(maxBodyBytes: Int = CaptureLimits.defaultMaxBodyBytes,
                maxDecodedBytes: Int = CaptureLimits.defaultMaxDecodedBytes) {
        self.maxBodyBytes = maxBodyBytes
        self.maxDecodedBytes = maxDecodedBytes
    }
}
