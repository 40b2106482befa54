import Foundation
import Hummingbird
import IdentityCore
import Store
import Ingest

/// The handlers of PostHog's capture protocol. Thin glue: decoding is `CaptureBody`, splitting and
/// validation `CapturePayload`, writing `IngestWriter`. Errors are thrown as `CaptureError` and
/// answered by `ErrorReplyMiddleware`.
struct CaptureEndpoints: Sendable {
    let store: any PersonStore
    let writer: IngestWriter
    let apiKey: String?
    let limits: CaptureLimits

    init(store: any PersonStore, apiKey: String?, limits: CaptureLimits) {
        self.store = store
        self.writer = IngestWriter(ingestor: Ingestor(store: store))
        self.apiKey = apiKey
        self.limits = limits
    }

    /// Events: answered 200 only once they are committed.
    func capture(_ request: Request, context: CaptureRequestContext) async throws -> Response {
        let (bytes, info) = try await RequestBody.collect(request, limits: limits)
        if request.method == .get, info.query["data"] == nil {
            throw CaptureError.badRequest("missing_data", """
                a GET request carries its events in the query (?data=<JSON or base64 JSON>); \
                send them as the body of a POST instead
                """)
        }
        let body = try CaptureBody.decode(bytes, info: info, limits: limits)
        try CapturePayload.authorize(body, required: apiKey)
        let now = Date()
        let source = CapturePayload.source(method: request.method.rawValue, path: request.uri.path, remote: context.remote, at: now)
        let inputs = try CapturePayload.inputs(body, source: source, now: now)
        let summary: IngestSummary
        do {
            summary = try await writer.ingest(inputs, now: now)
        } catch {
            throw CaptureError(status: 503, code: "store_unavailable", "could not write to the store: \(error)")
        }
        context.outcome.text = "\(body.encoding), \(inputs.count) events: \(summary.events) new, \(summary.duplicates) duplicate, "
            + "\(summary.invalid) invalid, \(summary.warnings) warnings"
            + (body.historicalMigration ? ", historical migration" : "")
        return JSONReply.response(.ok, .object(["status": .int(1)]))
    }

    /// Feature flags: none, once the key checks out.
    func flags(_ request: Request, context: CaptureRequestContext) async throws -> Response {
        let (bytes, info) = try await RequestBody.collect(request, limits: limits)
        // A flags request's body only matters for its key; an unreadable one still gets no flags.
        var keys = info.bearerToken.map { [$0] } ?? []
        if let body = try? CaptureBody.decode(bytes, info: info, limits: limits) { keys += body.apiKeys }
        try CapturePayload.authorize(keys: keys, required: apiKey)
        context.outcome.text = "no flags"
        return JSONReply.response(.ok, NoFlags.body)
    }

    /// The store's counts, its path and "status": "ok". With --api-key, a request without the key
    /// (Authorization: Bearer, or ?api_key=) gets only "status": "ok": a load balancer's check needs
    /// no more, and the counts and the path are not for whoever can reach the port.
    func health(_ request: Request, context: CaptureRequestContext) async throws -> Response {
        if let apiKey {
            let (_, info) = try await RequestBody.collect(request, limits: limits)
            let keys = [info.bearerToken, info.query["api_key"], info.query["token"]].compactMap { $0 }
            // The capture endpoints' own check (constant time), answered softly: no 401 for a health probe.
            guard (try? CapturePayload.authorize(keys: keys, required: apiKey)) != nil else {
                return JSONReply.response(.ok, .object(["status": .string("ok")]))
            }
        }
        let stats = try await store.stats()
        var body = (try? JSONCoding.parse(JSONCoding.data(stats)))?.objectValue ?? [:]
        body["status"] = .string("ok")
        body["store"] = .string(store.location)
        return JSONReply.response(.ok, .object(body))
    }

    /// A CORS preflight: no body; the headers come from `CORSHeadersMiddleware`.
    func preflight(_ request: Request, context: CaptureRequestContext) async throws -> Response {
        JSONReply.response(.noContent, nil)
    }
}
