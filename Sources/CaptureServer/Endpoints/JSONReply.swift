import Hummingbird
import IdentityCore
import NIOCore

/// Responses with a JSON body (or none); the CORS headers are added by `CORSHeadersMiddleware`.
enum JSONReply {
    static func response(_ status: HTTPResponse.Status, _ body: JSONValue?) -> Response {
        guard let body else { return Response(status: status) }
        let data = JSONCoding.data(body)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ error: CaptureError) -> Response {
        response(.init(code: error.status), error.json)
    }
}
