import Foundation
import Hummingbird
import IdentityCore
import IdentityStore
import Ingest
import Logging
import NIOCore

/// The request context: Hummingbird's basics plus the client's address, for logs and warnings.
public struct CaptureRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { CaptureLimits.defaultMaxBodyBytes }
}

/// Answers PostHog's capture protocol. Thin glue: decoding is `CaptureBody`, splitting and
/// validation `CapturePayload`, writing `IngestWriter`.
public struct CaptureResponder: HTTPResponder {
    public typealias Context = CaptureRequestContext

    public let store: PersonStore
    public let writer: IngestWriter
    public let apiKey: String?
    public let limits: CaptureLimits
    public let logger: Logger

    public init(store: PersonStore, apiKey: String?, limits: CaptureLimits = CaptureLimits(), logger: Logger) {
        self.store = store
        self.writer = IngestWriter(ingestor: Ingestor(store: store))
        self.apiKey = apiKey
        self.limits = limits
        self.logger = logger
    }

    /// Paths SDKs send events to (trailing slash optional).
    public static let capturePaths: Set<String> = ["/batch", "/capture", "/e", "/i/v0/e", "/track", "/engage", "/s"]
    public static let flagPaths: Set<String> = ["/flags", "/decide"]

    enum Route { case capture, flags, health }

    static func route(_ path: String) -> Route? {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        if capturePaths.contains(path) { return .capture }
        if flagPaths.contains(path) { return .flags }
        if path == "/_health" { return .health }
        return nil
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let remote = Self.describe(context.remoteAddress)
        let path = request.uri.path
        let method = request.method
        var outcome = ""
        var response: Response
        do {
            guard let route = Self.route(path) else {
                throw CaptureError(status: 404, code: "not_found",
                                   "no such endpoint \(path); events go to /batch/, /capture/, /e/, /i/v0/e/ or /track/")
            }
            if method == .options {
                response = Self.respond(status: .noContent, body: nil, request: request)
            } else {
                switch route {
                case .health:
                    guard method == .get || method == .head else { throw Self.methodNotAllowed(method, path, allowed: "GET") }
                    let stats = try store.stats()
                    var body = (try? JSONCoding.parse(JSONCoding.data(stats)))?.objectValue ?? [:]
                    body["status"] = .string("ok")
                    body["store"] = .string(store.path)
                    response = Self.respond(status: .ok, body: .object(body), request: request)
                case .flags:
                    guard method == .post || method == .get else { throw Self.methodNotAllowed(method, path, allowed: "POST") }
                    let (bytes, info) = try await collect(request)
                    // A flags request's body only matters for its key; an unreadable one still gets no flags.
                    var keys = info.bearerToken.map { [$0] } ?? []
                    if let body = try? CaptureBody.decode(bytes, info: info, limits: limits) { keys += body.apiKeys }
                    try CapturePayload.authorize(keys: keys, required: apiKey)
                    response = Self.respond(status: .ok, body: Self.noFlags, request: request)
                    outcome = "no flags"
                case .capture:
                    guard method == .post || method == .get else { throw Self.methodNotAllowed(method, path, allowed: "POST") }
                    let (bytes, info) = try await collect(request)
                    let body = try CaptureBody.decode(bytes, info: info, limits: limits)
                    try CapturePayload.authorize(body, required: apiKey)
                    let now = Date()
                    let source = CapturePayload.source(method: method.rawValue, path: path, remote: remote, at: now)
                    let inputs = try CapturePayload.inputs(body, source: source, now: now)
                    let summary: IngestSummary
                    do {
                        summary = try await writer.ingest(inputs, now: now)
                    } catch {
                        throw CaptureError(status: 503, code: "store_unavailable", "could not write to the store: \(error)")
                    }
                    outcome = "\(body.encoding), \(inputs.count) events: \(summary.events) new, \(summary.duplicates) duplicate, "
                        + "\(summary.invalid) invalid, \(summary.warnings) warnings"
                        + (body.historicalMigration ? ", historical migration" : "")
                    response = Self.respond(status: .ok, body: .object(["status": .int(1)]), request: request)
                }
            }
        } catch let error as CaptureError {
            response = Self.respond(status: .init(code: error.status), body: error.json, request: request)
            outcome = error.message
        } catch {
            let failure = CaptureError(status: 500, code: "internal_error", "\(error)")
            response = Self.respond(status: .internalServerError, body: failure.json, request: request)
            outcome = failure.message
        }
        let elapsed = ContinuousClock.now - started
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let line: Logger.Message = "\(method.rawValue) \(path) \(response.status.code) from \(remote) in \(String(format: "%.1f", millis)) ms\(outcome.isEmpty ? "" : ": " + outcome)"
        if response.status.code >= 500 {
            logger.error(line)
        } else if response.status.code >= 400 {
            logger.warning(line)
        } else {
            logger.info(line)
        }
        return response
    }

    /// Reads the body within the size limit; GET requests carry their payload in the query.
    func collect(_ request: Request) async throws(CaptureError) -> ([UInt8], CaptureRequestInfo) {
        let query = FormDecoding.fields(request.uri.query ?? "")
        var bearer: String?
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                bearer = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        let info = CaptureRequestInfo(contentType: request.headers[.contentType],
                                      contentEncoding: request.headers[.contentEncoding],
                                      query: query, bearerToken: bearer)
        if request.method == .get {
            // Old browser fallbacks: GET /e/?data=<base64>&compression=base64.
            let form = (request.uri.query ?? "").utf8
            return (Array(form), CaptureRequestInfo(contentType: "application/x-www-form-urlencoded",
                                                    query: query, bearerToken: bearer))
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maxBodyBytes {
            throw CaptureError(status: 413, code: "body_too_large",
                               "request body is \(length) bytes; the limit is \(limits.maxBodyBytes)")
        }
        do {
            let buffer = try await request.body.collect(upTo: limits.maxBodyBytes)
            return (Array(buffer.readableBytesView), info)
        } catch is NIOTooManyBytesError {
            throw CaptureError(status: 413, code: "body_too_large",
                               "request body is larger than the limit of \(limits.maxBodyBytes) bytes")
        } catch {
            throw CaptureError.badRequest("unreadable_body", "could not read the request body: \(error)")
        }
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, _ path: String, allowed: String) -> CaptureError {
        CaptureError(status: 405, code: "method_not_allowed", "\(method.rawValue) is not allowed on \(path); use \(allowed)")
    }

    /// What `/flags/` and `/decide/` answer: no flags, nothing failed, so the SDKs' flag calls return
    /// their defaults instead of erroring.
    public static let noFlags: JSONValue = .object([
        "featureFlags": .object([:]),
        "featureFlagPayloads": .object([:]),
        "flags": .object([:]),
        "errorsWhileComputingFlags": .bool(false),
        "quotaLimited": .array([]),
        "requestId": .string("00000000-0000-0000-0000-000000000000"),
        "config": .object(["enable_collect_everything": .bool(true)]),
        "toolbarParams": .object([:]),
        "isAuthenticated": .bool(false),
        "supportedCompression": .array([.string("gzip"), .string("gzip-js")]),
        "sessionRecording": .bool(false),
        "capturePerformance": .bool(false),
        "autocapture_opt_out": .bool(false),
        "autocaptureExceptions": .bool(false),
        "heatmaps": .bool(false),
        "surveys": .bool(false),
        "siteApps": .array([]),
    ])

    static func respond(status: HTTPResponse.Status, body: JSONValue?, request: Request) -> Response {
        var headers = HTTPFields()
        // Browser SDKs post from the app's own origin.
        headers[.accessControlAllowOrigin] = request.headers[.origin] ?? "*"
        headers[.accessControlAllowCredentials] = "true"
        headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
        headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "Content-Type, Authorization"
        guard let body else { return Response(status: status, headers: headers) }
        headers[.contentType] = "application/json"
        let data = JSONCoding.data(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        return address.ipAddress ?? "\(address)"
    }
}
