import Foundation
import Hummingbird
import Store
import Logging
import NIOCore
import ServiceLifecycle

/// How to run the capture server.
public struct CaptureServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; the one bound is reported to `onListening`.
    public var port: Int
    /// When set, every capture and flags request must carry this key.
    public var apiKey: String?
    public var limits: CaptureLimits

    public init(host: String = "127.0.0.1", port: Int = 8010, apiKey: String? = nil, limits: CaptureLimits = CaptureLimits()) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.limits = limits
    }

    /// Loopback addresses only this machine can reach.
    public var isLoopback: Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// The PostHog-compatible capture server over one store.
public struct CaptureServer: Sendable {
    public let configuration: CaptureServerConfiguration
    public let store: any PersonStore
    public let logger: Logger

    public init(configuration: CaptureServerConfiguration, store: any PersonStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
    }

    /// The Hummingbird application; `onListening` gets the host and the port actually bound.
    public func makeApplication(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in })
        -> Application<RouterResponder<CaptureRequestContext>> {
        let router = CaptureRouter.make(store: store, apiKey: configuration.apiKey, limits: configuration.limits, logger: logger)
        var quiet = logger
        // Hummingbird's own start-up lines would repeat ours; keep its warnings and errors.
        quiet.logLevel = max(logger.logLevel, .notice)
        let host = configuration.host
        return Application(
            router: router,
            // Connections that send nothing for two minutes are closed (slow or stuck clients).
            server: .http1(configuration: .init(idleTimeout: .seconds(120))),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "identikit"),
            onServerRunning: { channel in
                await onListening(host, channel.localAddress?.port ?? 0)
            },
            logger: quiet
        )
    }

    /// Runs until SIGINT/SIGTERM (or `shutdown` is triggered), finishing requests in flight.
    public func run(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in },
                    shutdown: ShutdownTrigger? = nil) async throws {
        let app = makeApplication(onListening: onListening)
        let group = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        await shutdown?.attach(group)
        do {
            try await group.run()
        } catch let error as IOError where CannotListen.reasons[error.errnoCode] != nil {
            throw CannotListen(host: configuration.host, port: configuration.port, errno: error.errnoCode)
        }
    }

    /// The URL clients use; IPv6 hosts in brackets.
    public static func url(host: String, port: Int) -> String {
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shown):\(port)"
    }
}

/// Lets code outside the server (the explorer's exit, a test) stop it gracefully.
public actor ShutdownTrigger {
    var group: ServiceGroup?
    var requested = false

    public init() {}

    func attach(_ group: ServiceGroup) async {
        self.group = group
        if requested { await group.triggerGracefulShutdown() }
    }

    public func trigger() async {
        requested = true
        await group?.triggerGracefulShutdown()
    }
}
