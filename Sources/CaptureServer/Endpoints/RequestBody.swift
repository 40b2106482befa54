import Foundation
import Hummingbird
import NIOCore

/// Reading a capture request's payload within the size limit.
enum RequestBody {
    /// The body's bytes and what the headers and query say about them. GET requests carry their
    /// payload in the query.
    static func collect(_ request: Request, limits: CaptureLimits) async throws(CaptureError) -> ([UInt8], CaptureRequestInfo) {
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
}
