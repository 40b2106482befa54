import Dispatch

/// Frees large values (a committed batch's decoded events, a transaction's person cache) on a
/// thread of their own. A writer thread that drops them itself spends several percent of an
/// ingest in `free` and dictionary teardown, which the other core can do meanwhile.
public enum BackgroundRelease {
    private static let queue = DispatchQueue(label: "identikit.release", qos: .utility)

    /// Holds a value until the release queue drops it. Whoever else still holds the value releases
    /// only their reference; the last one, and with it the freeing, is the queue's.
    public final class Held<Value: Sendable>: @unchecked Sendable {
        public private(set) var value: Value?
        public init(_ value: consuming Value) { self.value = value }

        /// Drops the value on the release queue.
        public func release() {
            BackgroundRelease.queue.async { self.value = nil }
        }
    }

    /// Gives `value` to the release queue.
    public static func release<Value: Sendable>(_ value: consuming Value) {
        Held(value).release()
    }
}
