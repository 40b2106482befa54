import CaptureServer
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLiteStore
import Logging
import TestSupport

/// The capture application run in process (no socket) on a fresh store, with its log lines kept.
struct InProcessServer {
    let store: SQLitePersonStore
    let log: LogLines

    /// Runs `body` against the router; the store is removed afterwards.
    static func test(apiKey: String? = nil, limits: CaptureLimits = CaptureLimits(),
                     _ body: @Sendable (any TestClientProtocol, InProcessServer) async throws -> Void) async throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let store = try SQLitePersonStore(path: temporary.location)
        let log = LogLines()
        var logger = Logger(label: "test") { _ in LogLines.Handler(sink: log) }
        logger.logLevel = .info
        let server = CaptureServer(configuration: CaptureServerConfiguration(apiKey: apiKey, limits: limits),
                                   store: store, logger: logger)
        let context = InProcessServer(store: store, log: log)
        try await server.makeApplication().test(.router) { client in
            try await body(client, context)
        }
    }

    var events: Int { (try? store.stats().events) ?? -1 }
}

/// Log lines ("LEVEL message"), kept for assertions.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] { lock.withLock { stored } }
    func append(_ line: String) { lock.withLock { stored.append(line) } }

    struct Handler: LogHandler {
        let sink: LogLines
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { sink.append("\(event.level.rawValue.uppercased()) \(event.message)") }
    }
}

extension TestResponse {
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] }
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
}

extension ByteBuffer {
    init(json object: Any) { self.init(bytes: HTTP.json(object)) }
}
