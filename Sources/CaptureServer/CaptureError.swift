import Foundation
import IdentityCore

/// A request the server refuses, with the HTTP status and a message that says what was wrong.
/// Sent as `{"type": ..., "code": ..., "detail": ..., "error": ...}`: the SDKs show `detail`.
public struct CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    /// A short stable name for tests and scripts ("invalid_json", "body_too_large"...).
    public var code: String
    public var message: String

    public init(status: Int, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status) \(code): \(message)" }

    public var type: String {
        switch status {
        case 401: "authentication_error"
        case 413: "payload_too_large"
        case 500...: "server_error"
        default: "validation_error"
        }
    }

    /// The JSON body of the error response.
    public var json: JSONValue {
        .object([
            "type": .string(type),
            "code": .string(code),
            "detail": .string(message),
            "error": .string(message),
        ])
    }

    static func badRequest(_ code: String, _ message: String) -> CaptureError {
        CaptureError(status: 400, code: code, message)
    }
}
