import Foundation
import IdentityCore

/// What a capture request's headers and URL say about its body.
public struct CaptureRequestInfo: Sendable {
    public var contentType: String?
    public var contentEncoding: String?
    /// Query parameters (`compression=gzip-js`, `ver`, `_`...).
    public var query: [String: String]
    /// The key from `Authorization: Bearer KEY`, if sent.
    public var bearerToken: String?

    public init(contentType: String? = nil, contentEncoding: String? = nil, query: [String: String] = [:],
                bearerToken: String? = nil) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.query = query
        self.bearerToken = bearerToken
    }
}

/// A request body decoded down to its JSON payload.
public struct DecodedBody: Sendable {
    /// The payload: one event, an array of events, or a batch object.
    public var value: JSONValue
    /// The JSON text as received after decoding, for warnings about a body that is not an event.
    public var text: String
    /// How it was sent, for the log line: "json", "gzip", "gzip-js", "base64 form", "form".
    public var encoding: String
    /// Every api key the request carries: body `api_key`/`token`, events' `properties.token`,
    /// form and query fields, the bearer token.
    public var apiKeys: [String]
    /// When the client says it sent the request (`sent_at` in the body, or `_` in ms in the query).
    public var sentAt: Date?
    /// `historical_migration: true`: the client sends old data; kept for the log.
    public var historicalMigration: Bool
}

/// Turns a capture request body into JSON, whatever way an SDK packed it. Pure: no I/O, no server.
public enum CaptureBody {
    public static func decode(_ body: [UInt8], info: CaptureRequestInfo,
                              limits: CaptureLimits = CaptureLimits()) throws(CaptureError) -> DecodedBody {
        guard body.count <= limits.maxBodyBytes else {
            throw CaptureError(status: 413, code: "body_too_large",
                               "request body is \(body.count) bytes; the limit is \(limits.maxBodyBytes)")
        }
        var bytes = body
        var encodings: [String] = []
        var keys: [String] = []
        if let bearer = info.bearerToken, !bearer.isEmpty { keys.append(bearer) }
        for name in ["api_key", "token"] { if let key = info.query[name], !key.isEmpty { keys.append(key) } }

        // 1. Transport compression: the header, or the browser SDK's query parameter, or the gzip magic number.
        let contentEncoding = info.contentEncoding?.lowercased().trimmingCharacters(in: .whitespaces) ?? ""
        var compression = (info.query["compression"] ?? "").lowercased()
        switch contentEncoding {
        case "", "identity": break
        case "gzip", "x-gzip":
            bytes = try Gunzip.decompress(bytes, limit: limits.maxDecodedBytes)
            encodings.append("gzip")
        default:
            throw CaptureError(status: 415, code: "unsupported_encoding",
                               "Content-Encoding \(contentEncoding) is not supported; send gzip or no encoding")
        }
        if encodings.isEmpty, compression == "gzip-js" || compression == "gzip" || Gunzip.looksLikeGzip(bytes) {
            guard Gunzip.looksLikeGzip(bytes) else {
                throw CaptureError.badRequest("invalid_gzip", "compression=\(compression) but the body is not gzip data")
            }
            bytes = try Gunzip.decompress(bytes, limit: limits.maxDecodedBytes)
            encodings.append(compression.isEmpty ? "gzip" : compression)
        }

        // 2. Form encoding: data=<base64 or JSON>&compression=base64, as posthog-js sends with some transports.
        let contentType = info.contentType?.lowercased() ?? ""
        // curl -d labels JSON as a form: a body that starts like JSON is taken as JSON.
        let firstByte = bytes.first { !isJSONWhitespace($0) }
        let startsLikeJSON = firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[")
        let looksLikeForm = (contentType.hasPrefix("application/x-www-form-urlencoded") && !startsLikeJSON)
            || (encodings.isEmpty && bytes.starts(with: Array("data=".utf8)))
        if looksLikeForm {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CaptureError.badRequest("invalid_utf8", "form body is not valid UTF-8")
            }
            let fields = FormDecoding.fields(text)
            for name in ["api_key", "token"] { if let key = fields[name], !key.isEmpty { keys.append(key) } }
            if let formCompression = fields["compression"], !formCompression.isEmpty { compression = formCompression.lowercased() }
            guard let data = fields["data"] else {
                throw CaptureError.badRequest("missing_data", "form body has no data field (expected data=<JSON or base64 JSON>)")
            }
            bytes = try decodeDataField(data, compression: compression, limits: limits)
            encodings.append(compression == "base64" ? "base64 form" : "form")
        } else if compression == "base64" {
            // Base64 without a form around it.
            let text = String(decoding: bytes, as: UTF8.self)
            guard let decoded = FormDecoding.base64Decode(text) else {
                throw CaptureError.badRequest("invalid_base64", "compression=base64 but the body is not base64")
            }
            bytes = decoded
            encodings.append("base64")
        }

        // 3. JSON.
        guard !bytes.isEmpty, bytes.contains(where: { !isJSONWhitespace($0) }) else {
            throw CaptureError.badRequest("empty_body", "request body is empty; send an event, an array of events or {\"batch\": [...]}")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CaptureError.badRequest("invalid_utf8", "body is not valid UTF-8 text")
        }
        var value: JSONValue
        do {
            value = try JSONCoding.parse(Data(bytes))
        } catch {
            throw CaptureError.badRequest("invalid_json", "body is not valid JSON: \(describe(error))")
        }
        // Some clients wrap the payload: {"data": <payload>}.
        if case .object(let object) = value, object["event"] == nil, object["batch"] == nil, let inner = object["data"] {
            value = inner
        }

        var sentAt: Date?
        var historical = false
        if case .object(let object) = value {
            for name in ["api_key", "token"] { if case .string(let key)? = object[name], !key.isEmpty { keys.append(key) } }
            if case .string(let text)? = object["sent_at"] ?? object["sentAt"] { sentAt = Timestamp.parse(text) }
            if case .bool(true)? = object["historical_migration"] { historical = true }
        }
        if sentAt == nil, let millis = info.query["_"].flatMap(Double.init) {
            sentAt = Date(timeIntervalSince1970: millis / 1000)
        }
        for element in elements(of: value) {
            guard case .object(let event) = element else { continue }
            if case .string(let key)? = event["api_key"], !key.isEmpty { keys.append(key) }
            if case .object(let properties)? = event["properties"], case .string(let key)? = properties["token"], !key.isEmpty {
                keys.append(key)
            }
        }
        return DecodedBody(value: value, text: text, encoding: encodings.isEmpty ? "json" : encodings.joined(separator: "+"),
                           apiKeys: keys, sentAt: sentAt, historicalMigration: historical)
    }

    /// The events of a payload, split the same way `InputDecoder.decodeValue` splits them.
    public static func elements(of value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let array): return array
        case .object(let object) where object["batch"] != nil && object["event"] == nil:
            return object["batch"]?.arrayValue ?? []
        default: return [value]
        }
    }

    static func decodeDataField(_ data: String, compression: String, limits: CaptureLimits) throws(CaptureError) -> [UInt8] {
        let trimmed = data.trimmingCharacters(in: .whitespacesAndNewlines)
        if compression == "base64" || !(trimmed.hasPrefix("{") || trimmed.hasPrefix("[")) {
            guard let decoded = FormDecoding.base64Decode(trimmed) else {
                throw CaptureError.badRequest("invalid_base64", "form field data is neither JSON nor base64")
            }
            guard decoded.count <= limits.maxDecodedBytes else {
                throw CaptureError(status: 413, code: "decompressed_too_large",
                                   "data decodes to more than \(limits.maxDecodedBytes) bytes")
            }
            return decoded
        }
        return Array(trimmed.utf8)
    }

    static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Foundation's JSON errors are long; keep the part that says what and where.
    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
