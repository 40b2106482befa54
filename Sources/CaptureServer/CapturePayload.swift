import Foundation
import IdentityCore
import Ingest

/// From a decoded body to the inputs the engine ingests. Pure: the caller supplies the time.
public enum CapturePayload {
    /// Checks the request's api keys against the server's. Every key the request carries must match,
    /// and at least one must be there.
    public static func authorize(_ body: DecodedBody, required: String?) throws(CaptureError) {
        try authorize(keys: body.apiKeys, required: required)
    }

    public static func authorize(keys: [String], required: String?) throws(CaptureError) {
        guard let required, !required.isEmpty else { return }
        guard !keys.isEmpty else {
            throw CaptureError(status: 401, code: "missing_api_key",
                               "this server needs an api key: send api_key (or token) in the body, or Authorization: Bearer KEY")
        }
        for key in keys where !constantTimeEqual(key, required) {
            throw CaptureError(status: 401, code: "invalid_api_key", "api key does not match this server's --api-key")
        }
    }

    /// Compares without stopping at the first difference, so timing tells nothing about the key.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    /// The request description that names it in warnings and event sources.
    public static func source(method: String, path: String, remote: String?, at time: Date) -> String {
        "\(method) \(path) from \(remote ?? "unknown") at \(Timestamp.format(time))"
    }

    /// Splits the payload into validated inputs; invalid events become warnings naming the request.
    /// Timestamps are corrected for the client's clock as PostHog does: with `sent_at`, an event's
    /// time is `now + (timestamp - sent_at)`; with `offset` (ms) and no timestamp, `now - offset`.
    public static func inputs(_ body: DecodedBody, source: String, now: Date) throws(CaptureError) -> [ValidatedInput] {
        let elements = CaptureBody.elements(of: body.value)
        if case .object(let object) = body.value, object["event"] == nil, let batch = object["batch"], batch.arrayValue == nil {
            throw CaptureError.badRequest("invalid_batch", "batch must be an array of events, got \(batch.typeName)")
        }
        guard !elements.isEmpty else {
            throw CaptureError.badRequest("empty_batch", "the request holds no events (empty batch)")
        }
        let location = InputLocation(source: source)
        let rawText = InputDecoder.capped(body.text)
        var inputs = InputDecoder.decodeValue(body.value, rawText: rawText, location: location)
        guard inputs.count == elements.count else { return inputs }
        for index in inputs.indices {
            guard case .valid(var event) = inputs[index], case .object(let raw) = elements[index] else { continue }
            if let corrected = correctedTimestamp(event: event, raw: raw, sentAt: body.sentAt, now: now) {
                event.timestamp = corrected
                inputs[index] = .valid(event)
            }
        }
        return inputs
    }

    /// PostHog's capture rules: an event without a timestamp happened `offset` ms before the request
    /// arrived, or when it arrived; one with a timestamp is shifted by the client clock's error
    /// (`sent_at` against our clock), unless it asks for `$ignore_sent_at`.
    static func correctedTimestamp(event: Event, raw: [String: JSONValue], sentAt: Date?, now: Date) -> Date? {
        guard let timestamp = event.timestamp else {
            switch raw["offset"] {
            case .int(let millis)?: return now.addingTimeInterval(-Double(millis) / 1000)
            case .double(let millis)?: return now.addingTimeInterval(-millis / 1000)
            default: return now
            }
        }
        if case .bool(true)? = event.properties["$ignore_sent_at"] { return nil }
        if let sentAt { return now.addingTimeInterval(timestamp.timeIntervalSince(sentAt)) }
        return nil
    }
}
