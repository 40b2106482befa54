import Foundation
import Hummingbird
import NIOCore

/// The request context: Hummingbird's basics, the client's address (for logs and warnings) and
/// the outcome the endpoint reports for the request's log line.
public struct CaptureRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Shared by reference: each middleware gets its own copy of the context, and the log line is
    /// written by the outermost one after the endpoint has answered.
    let outcome = RequestOutcome()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { CaptureLimits.defaultMaxBodyBytes }

    /// The client's IP address as logs and warning sources show it.
    var remote: String {
        guard let remoteAddress else { return "unknown" }
        return remoteAddress.ipAddress ?? "\(remoteAddress)"
    }
}

/// What happened to one request, in a few words ("json, 2 events: 2 new, ..." or an error's message).
final class RequestOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ""

    var text: String {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
