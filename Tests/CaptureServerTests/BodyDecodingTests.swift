import CaptureServer
import Foundation
import IdentityCore
import TestSupport
import Testing

@Suite("Capture body decoding", .ownThreads)
struct BodyDecodingTests {
    let event = #"{"event":"$pageview","distinct_id":"u1","uuid":"0188d1f6-0000-4000-8000-000000000001","properties":{"token":"k1"}}"#

    func decode(_ text: String, _ info: CaptureRequestInfo = CaptureRequestInfo(),
                limits: CaptureLimits = CaptureLimits()) throws -> DecodedBody {
        try CaptureBody.decode(Array(text.utf8), info: info, limits: limits)
    }

    func error(_ body: () throws -> Any) -> CaptureError? {
        do { _ = try body() } catch let error as CaptureError { return error } catch { return nil }
        return nil
    }

    @Test func plainJSONSingleEvent() throws {
        let body = try decode(event)
        #expect(body.encoding == "json")
        #expect(CaptureBody.elements(of: body.value).count == 1)
        #expect(body.apiKeys == ["k1"])
    }

    @Test func batchObjectWithSentAtAndKey() throws {
        let text = #"{"api_key":"k1","batch":[\#(event),\#(event)],"sent_at":"2026-11-01T10:00:00+00:00","historical_migration":true}"#
        let body = try decode(text)
        #expect(CaptureBody.elements(of: body.value).count == 2)
        #expect(body.apiKeys.contains("k1"))
        #expect(body.sentAt == Timestamp.parse("2026-11-01T10:00:00Z"))
        #expect(body.historicalMigration)
    }

    @Test func gzipByHeaderAndByQueryAndBySniffing() throws {
        let zipped = [UInt8](GzipTestData.gzip(Data("[\(event)]".utf8)))
        for info in [CaptureRequestInfo(contentEncoding: "gzip"),
                     CaptureRequestInfo(query: ["compression": "gzip-js"]),
                     CaptureRequestInfo()] {
            let body = try CaptureBody.decode(zipped, info: info)
            #expect(CaptureBody.elements(of: body.value).count == 1)
            #expect(body.encoding.contains("gzip"))
        }
    }

    @Test func base64FormData() throws {
        let encoded = Data("[\(event)]".utf8).base64EncodedString()
        let form = "data=" + encoded.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + "&compression=base64&ver=1.200.0"
        let body = try decode(form, CaptureRequestInfo(contentType: "application/x-www-form-urlencoded"))
        #expect(body.encoding == "base64 form")
        #expect(CaptureBody.elements(of: body.value).count == 1)
        // Without a content type, a body starting with data= is still a form; url-safe base64 without padding too.
        let urlSafe = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let body2 = try decode("data=\(urlSafe)&compression=base64")
        #expect(body2.value == body.value)
    }

    @Test func plainFormDataAndBase64InQuery() throws {
        let form = "data=" + "[\(event)]".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let body = try decode(form, CaptureRequestInfo(contentType: "application/x-www-form-urlencoded"))
        #expect(body.encoding == "form")
        let raw = Data(event.utf8).base64EncodedString()
        let body2 = try decode(raw, CaptureRequestInfo(contentType: "text/plain", query: ["compression": "base64"]))
        #expect(CaptureBody.elements(of: body2.value).count == 1)
    }

    @Test func gzipJSInsideAFormIsNotNeeded_butGzipThenFormWorks() throws {
        // gzip-js bodies are raw gzip with text/plain; the gzip is undone first.
        let zipped = [UInt8](GzipTestData.gzip(Data(event.utf8)))
        let body = try CaptureBody.decode(zipped, info: CaptureRequestInfo(contentType: "text/plain", query: ["compression": "gzip-js"]))
        #expect(body.encoding == "gzip-js")
    }

    @Test func errorsSayWhatWasWrong() {
        #expect(error { try decode("{not json") }?.code == "invalid_json")
        #expect(error { try decode("{not json") }?.status == 400)
        #expect(error { try decode("") }?.code == "empty_body")
        #expect(error { try decode("  \n") }?.code == "empty_body")
        #expect(error { try CaptureBody.decode([0xff, 0xfe, 0x7b], info: CaptureRequestInfo()) }?.code == "invalid_utf8")
        #expect(error { try decode(event, CaptureRequestInfo(contentEncoding: "br")) }?.status == 415)
        #expect(error { try decode(event, CaptureRequestInfo(contentEncoding: "gzip")) }?.code == "invalid_gzip")
        #expect(error { try decode(event, CaptureRequestInfo(query: ["compression": "gzip-js"])) }?.code == "invalid_gzip")
        #expect(error { try decode("data=%%%###&compression=base64") }?.code == "invalid_base64")
        #expect(error { try decode("foo=bar", CaptureRequestInfo(contentType: "application/x-www-form-urlencoded")) }?.code == "missing_data")
        let tooLarge = error { try decode(event, limits: CaptureLimits(maxBodyBytes: 10)) }
        #expect(tooLarge?.status == 413)
        #expect(tooLarge?.json.objectValue?["detail"]?.stringValue?.contains("limit") == true)
    }

    @Test func gzipBombStopsAtTheLimit() throws {
        let bomb = [UInt8](GzipTestData.bomb(expandedBytes: 64 * 1024 * 1024))
        #expect(bomb.count < 1024 * 1024)
        let failure = error { try Gunzip.decompress(bomb, limit: 4 * 1024 * 1024) }
        #expect(failure?.status == 413)
        #expect(failure?.code == "decompressed_too_large")
    }

    @Test func gzipConcatenatedMembersTruncationAndTrailingGarbage() throws {
        let a = GzipTestData.gzip(Data("[1,".utf8)), b = GzipTestData.gzip(Data("2]".utf8))
        #expect(try Gunzip.decompress([UInt8](a + b), limit: 100) == Array("[1,2]".utf8))
        #expect(error { try Gunzip.decompress([UInt8](a) + [1, 2, 3], limit: 100) }?.code == "invalid_gzip")
        let whole = [UInt8](GzipTestData.gzip(Data(event.utf8)))
        let truncated = Array(whole.prefix(whole.count / 2))
        // Truncated data is named as such: the inflater sees the stream end before gzip's trailer.
        let failure = error { try CaptureBody.decode(truncated, info: CaptureRequestInfo(contentEncoding: "gzip")) }
        #expect(failure?.code == "invalid_gzip")
        #expect(failure?.status == 400)
    }

    @Test func apiKeyCheck() throws {
        let body = try decode(#"{"api_key":"k1","batch":[\#(event)]}"#)
        try CapturePayload.authorize(body, required: nil)
        try CapturePayload.authorize(body, required: "k1")
        #expect(error { try CapturePayload.authorize(body, required: "other") }?.status == 401)
        let keyless = try decode(#"{"event":"e","distinct_id":"u"}"#)
        #expect(error { try CapturePayload.authorize(keyless, required: "k1") }?.code == "missing_api_key")
        let bearer = try decode(#"{"event":"e","distinct_id":"u"}"#, CaptureRequestInfo(bearerToken: "k1"))
        try CapturePayload.authorize(bearer, required: "k1")
        // Every key present must match: a right bearer does not excuse a wrong body key.
        let mixed = try decode(#"{"api_key":"bad","event":"e","distinct_id":"u"}"#, CaptureRequestInfo(bearerToken: "k1"))
        #expect(error { try CapturePayload.authorize(mixed, required: "k1") }?.code == "invalid_api_key")
    }

    @Test func inputsNameTheRequestAndKeepValidOnes() throws {
        let text = #"{"batch":[\#(event),{"event":"x"},42]}"#
        let body = try decode(text)
        let inputs = try CapturePayload.inputs(body, source: "POST /batch/ from 127.0.0.1 at T", now: Date())
        #expect(inputs.count == 3)
        guard case .valid(let first) = inputs[0] else { Issue.record("first should be valid"); return }
        #expect(first.source?.hasPrefix("POST /batch/ from 127.0.0.1") == true)
        guard case .invalid(let second) = inputs[1] else { Issue.record("second should be invalid"); return }
        #expect(second.location.description == "POST /batch/ from 127.0.0.1 at T: element 1")
        #expect(second.reason.contains("distinct_id"))
        guard case .invalid = inputs[2] else { Issue.record("third should be invalid"); return }
    }

    @Test func emptyBatchAndBadBatch() throws {
        let empty = try decode(#"{"api_key":"k","batch":[]}"#)
        #expect(error { try CapturePayload.inputs(empty, source: "s", now: Date()) }?.code == "empty_batch")
        #expect(error { try CapturePayload.inputs(try decode("[]"), source: "s", now: Date()) }?.code == "empty_batch")
        let bad = try decode(#"{"batch":{"event":"e"}}"#)
        #expect(error { try CapturePayload.inputs(bad, source: "s", now: Date()) }?.code == "invalid_batch")
    }

    @Test func clockSkewIsCorrectedWithSentAt() throws {
        let text = #"{"sent_at":"2026-11-01T10:00:10Z","batch":[{"event":"e","distinct_id":"u","timestamp":"2026-11-01T10:00:00Z"},{"event":"f","distinct_id":"u","offset":5000}]}"#
        let now = Timestamp.parse("2026-11-02T00:00:00Z")!
        let inputs = try CapturePayload.inputs(try decode(text), source: "s", now: now)
        guard case .valid(let first) = inputs[0], case .valid(let second) = inputs[1] else {
            Issue.record("both should be valid"); return
        }
        #expect(first.timestamp == now.addingTimeInterval(-10))
        #expect(second.timestamp == now.addingTimeInterval(-5))
    }

    /// As in PostHog: no timestamp and no offset is "now"; $ignore_sent_at keeps the client's time.
    @Test func anEventWithoutATimestampHappenedWhenItArrived() throws {
        let text = #"{"sent_at":"2026-11-01T10:00:10Z","batch":[{"event":"e","distinct_id":"u"},{"event":"f","distinct_id":"u","timestamp":"2026-11-01T10:00:00Z","properties":{"$ignore_sent_at":true}}]}"#
        let now = Timestamp.parse("2026-11-02T00:00:00Z")!
        let inputs = try CapturePayload.inputs(try decode(text), source: "s", now: now)
        guard case .valid(let first) = inputs[0], case .valid(let second) = inputs[1] else {
            Issue.record("both should be valid"); return
        }
        #expect(first.timestamp == now)
        #expect(second.timestamp == Timestamp.parse("2026-11-01T10:00:00Z"))
    }

    @Test func formDecoding() {
        #expect(FormDecoding.fields("a=1&b=x+y%21&c&a=2") == ["a": "2", "b": "x y!", "c": ""])
        #expect(FormDecoding.percentDecode("%zz%4") == "%zz%4")
        #expect(FormDecoding.base64Decode("aGk") == Array("hi".utf8))
    }
}

extension BodyDecodingTests {
    @Test func jsonLabelledAsFormIsJSON() throws {
        // What `curl -d '{...}'` sends.
        let body = try decode(event, CaptureRequestInfo(contentType: "application/x-www-form-urlencoded"))
        #expect(body.encoding == "json")
    }
}
