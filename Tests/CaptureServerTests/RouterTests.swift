import CaptureServer
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Every route, CORS and every error reply, with the application run in process through its router.
@Suite("Capture router in process", .ownThreads)
struct RouterTests {
    static func event(_ id: String, name: String = "$pageview") -> [String: Any] {
        ["event": name, "distinct_id": id, "uuid": UUID().uuidString.lowercased(),
         "timestamp": "2026-11-01T10:00:00Z", "properties": ["$lib": "test"]]
    }

    static let capturePaths = ["/batch/", "/capture/", "/e/", "/i/v0/e/", "/track/", "/engage/", "/s/"]

    @Test func everyCapturePathCommitsItsEventsBeforeAnswering() async throws {
        try await InProcessServer.test { client, server in
            var sent = 0
            for path in Self.capturePaths + Self.capturePaths.map({ String($0.dropLast()) }) {
                let reply = try await client.execute(uri: path, method: .post, body: ByteBuffer(json: Self.event("u\(sent)")))
                sent += 1
                #expect(reply.status == .ok, "\(path): \(reply.text)")
                #expect(reply.json?["status"] as? Int == 1, "\(path)")
                #expect(reply.headers[.contentType] == "application/json")
                // Answered only once committed: the store already has it.
                #expect(server.events == sent, "\(path)")
            }
        }
    }

    @Test func everyBodyEncodingIsIngested() async throws {
        try await InProcessServer.test { client, server in
            let batch = HTTP.json(["api_key": "k", "batch": [Self.event("a"), Self.event("b")]])
            var reply = try await client.execute(uri: "/batch/", method: .post, body: ByteBuffer(bytes: batch))
            #expect(reply.status == .ok)
            #expect(server.events == 2)

            reply = try await client.execute(uri: "/batch/", method: .post, headers: [.contentEncoding: "gzip"],
                                             body: ByteBuffer(bytes: GzipTestData.gzip(HTTP.json(["batch": [Self.event("c")]]))))
            #expect(reply.status == .ok, "gzip: \(reply.text)")
            #expect(server.events == 3)

            reply = try await client.execute(uri: "/e/?compression=gzip-js&ver=1.200.0", method: .post, headers: [.contentType: "text/plain"],
                                             body: ByteBuffer(bytes: GzipTestData.gzip(HTTP.json([Self.event("d")]))))
            #expect(reply.status == .ok, "gzip-js: \(reply.text)")
            #expect(server.events == 4)

            let encoded = HTTP.json([Self.event("e")]).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            reply = try await client.execute(uri: "/i/v0/e/", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: "data=\(encoded)&compression=base64"))
            #expect(reply.status == .ok, "base64 form: \(reply.text)")
            #expect(server.events == 5)

            // The old browser fallback: the payload in a GET's query.
            let query = HTTP.json([Self.event("f")]).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            reply = try await client.execute(uri: "/e/?data=\(query)&compression=base64", method: .get)
            #expect(reply.status == .ok, "GET: \(reply.text)")
            #expect(server.events == 6)
        }
    }

    @Test func flagsAnswerNoFlagsOnEveryFlagsPathAndMethod() async throws {
        try await InProcessServer.test(apiKey: "secret") { client, server in
            for path in ["/flags/?v=2", "/decide/?v=3", "/flags", "/decide"] {
                for method in [HTTPRequest.Method.post, .get] {
                    let reply = try await client.execute(uri: path, method: method, headers: [.authorization: "Bearer secret"],
                                                         body: method == .post ? ByteBuffer(json: ["distinct_id": "a"]) : nil)
                    #expect(reply.status == .ok, "\(method) \(path): \(reply.text)")
                    #expect((reply.json?["featureFlags"] as? [String: Any])?.isEmpty == true)
                    #expect(reply.json?["errorsWhileComputingFlags"] as? Bool == false)
                }
            }
            // The key may also come in the body.
            let reply = try await client.execute(uri: "/flags/", method: .post, body: ByteBuffer(json: ["api_key": "secret"]))
            #expect(reply.status == .ok)
            #expect(server.events == 0)
        }
    }

    @Test func healthShowsTheStoreCounts() async throws {
        try await InProcessServer.test { client, server in
            _ = try await client.execute(uri: "/batch/", method: .post, body: ByteBuffer(json: ["batch": [Self.event("a")]]))
            let reply = try await client.execute(uri: "/_health", method: .get)
            #expect(reply.status == .ok)
            #expect(reply.json?["status"] as? String == "ok")
            #expect(reply.json?["events"] as? Int == 1)
            #expect(reply.json?["persons"] as? Int == 1)
            #expect(reply.json?["store"] as? String == server.store.path)
            #expect(try await client.execute(uri: "/_health/", method: .head).status == .ok)
        }
    }

    /// With --api-key, health answers "ok" to anyone (a load balancer's check) and its counts and
    /// the store's path only with the key.
    @Test func healthShowsCountsOnlyWithTheKeyWhenOneIsSet() async throws {
        try await InProcessServer.test(apiKey: "secret") { client, server in
            let open = try await client.execute(uri: "/_health", method: .get)
            #expect(open.status == .ok)
            #expect(open.json?["status"] as? String == "ok")
            #expect(open.json?["store"] == nil && open.json?["events"] == nil, "\(open.text)")
            let keyed = try await client.execute(uri: "/_health", method: .get, headers: [.authorization: "Bearer secret"])
            #expect(keyed.json?["store"] as? String == server.store.path, "\(keyed.text)")
            let query = try await client.execute(uri: "/_health?api_key=secret", method: .get)
            #expect(query.json?["events"] as? Int == 0, "\(query.text)")
        }
    }

    @Test func corsPreflightEchoesTheOriginAndRequestedHeaders() async throws {
        try await InProcessServer.test { client, server in
            let preflight = try await client.execute(uri: "/e/", method: .options, headers: [
                .origin: "https://app.example.com", .accessControlRequestHeaders: "content-type, x-custom",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.body.readableBytes == 0)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(preflight.headers[.accessControlAllowHeaders] == "content-type, x-custom")
            #expect(preflight.headers[.accessControlAllowMethods] == "GET, POST, OPTIONS")
            #expect(preflight.headers[.accessControlAllowCredentials] == "true")

            // Without an Origin: any origin, the default headers; on every route.
            for path in ["/batch/", "/flags/", "/_health"] {
                let bare = try await client.execute(uri: path, method: .options)
                #expect(bare.status == .noContent, "\(path)")
                #expect(bare.headers[.accessControlAllowOrigin] == "*", "\(path)")
                #expect(bare.headers[.accessControlAllowHeaders] == "Content-Type, Authorization", "\(path)")
            }

            // Real requests and error replies carry the headers too: a browser could not read them otherwise.
            let posted = try await client.execute(uri: "/batch/", method: .post, headers: [.origin: "https://app.example.com"],
                                                  body: ByteBuffer(json: ["batch": [Self.event("a")]]))
            #expect(posted.headers[.accessControlAllowOrigin] == "https://app.example.com")
            let refused = try await client.execute(uri: "/batch/", method: .post, headers: [.origin: "https://app.example.com"],
                                                   body: ByteBuffer(string: "{"))
            #expect(refused.status == .badRequest)
            #expect(refused.headers[.accessControlAllowOrigin] == "https://app.example.com")

            // A preflight to a path that does not exist is not found, like any request there.
            #expect(try await client.execute(uri: "/nothing/", method: .options).status == .notFound)
            #expect(server.events == 1)
        }
    }

    /// Status, code and a detail for each refusal; nothing of them reaches the store.
    @Test func errorRepliesSayWhatWasWrong() async throws {
        let limits = CaptureLimits(maxBodyBytes: 4096, maxDecodedBytes: 64 * 1024)
        try await InProcessServer.test(apiKey: "secret", limits: limits) { client, server in
            func expectRefusal(_ name: String, _ uri: String, method: HTTPRequest.Method = .post, headers: HTTPFields = [:],
                               body: ByteBuffer? = nil, status: HTTPResponse.Status, code: String, detail: String? = nil) async throws {
                let reply = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                #expect(reply.status == status, "\(name): \(reply.status) \(reply.text)")
                #expect(reply.json?["code"] as? String == code, "\(name): \(reply.text)")
                let message = reply.json?["detail"] as? String ?? ""
                #expect(!message.isEmpty && reply.json?["error"] as? String == message, "\(name): \(reply.text)")
                if let detail { #expect(message.contains(detail), "\(name): \(message)") }
            }
            let good = ByteBuffer(json: ["api_key": "secret", "batch": [Self.event("a")]])

            try await expectRefusal("bad JSON", "/batch/", body: ByteBuffer(string: #"{"api_key":"secret","batch":[{"#),
                                    status: .badRequest, code: "invalid_json")
            try await expectRefusal("empty body", "/batch/", body: ByteBuffer(), status: .badRequest, code: "empty_body")
            try await expectRefusal("not gzip", "/batch/", headers: [.contentEncoding: "gzip"], body: ByteBuffer(string: "hello"),
                                    status: .badRequest, code: "invalid_gzip")
            try await expectRefusal("unknown encoding", "/batch/", headers: [.contentEncoding: "br"], body: ByteBuffer(string: "x"),
                                    status: .unsupportedMediaType, code: "unsupported_encoding")
            try await expectRefusal("too large", "/batch/", body: ByteBuffer(repeating: UInt8(ascii: " "), count: 5000),
                                    status: .contentTooLarge, code: "body_too_large", detail: "4096")
            try await expectRefusal("gzip bomb", "/batch/", headers: [.contentEncoding: "gzip"],
                                    body: ByteBuffer(bytes: GzipTestData.gzip(Data(count: 1024 * 1024))),
                                    status: .contentTooLarge, code: "decompressed_too_large")
            try await expectRefusal("wrong key", "/batch/", body: ByteBuffer(json: ["api_key": "nope", "batch": [Self.event("a")]]),
                                    status: .unauthorized, code: "invalid_api_key")
            try await expectRefusal("wrong bearer", "/e/", headers: [.authorization: "Bearer nope"], body: ByteBuffer(json: Self.event("a")),
                                    status: .unauthorized, code: "invalid_api_key")
            try await expectRefusal("no key", "/e/", body: ByteBuffer(json: Self.event("a")), status: .unauthorized, code: "missing_api_key")
            try await expectRefusal("flags with wrong key", "/flags/", body: ByteBuffer(json: ["api_key": "nope"]),
                                    status: .unauthorized, code: "invalid_api_key")
            try await expectRefusal("unknown path", "/nothing/", body: ByteBuffer(string: "{}"), status: .notFound, code: "not_found",
                                    detail: "/batch/")
            try await expectRefusal("below a route", "/flags/x", method: .get, status: .notFound, code: "not_found")
            try await expectRefusal("PUT on capture", "/batch/", method: .put, body: good, status: .methodNotAllowed,
                                    code: "method_not_allowed", detail: "use POST")
            try await expectRefusal("HEAD on capture", "/e", method: .head, status: .methodNotAllowed, code: "method_not_allowed")
            try await expectRefusal("POST on health", "/_health", body: good, status: .methodNotAllowed,
                                    code: "method_not_allowed", detail: "use GET")
            try await expectRefusal("DELETE on flags", "/decide/", method: .delete, status: .methodNotAllowed, code: "method_not_allowed")
            try await expectRefusal("GET without data", "/batch/", method: .get, status: .badRequest, code: "missing_data",
                                    detail: "send them as the body of a POST")
            #expect(server.events == 0)

            // After all that, a good request still lands.
            #expect(try await client.execute(uri: "/batch/", method: .post, body: good).status == .ok)
            #expect(server.events == 1)
        }
    }

    /// One line per request, at a level by status, with the outcome; never the API key.
    @Test func eachRequestLogsOneLine() async throws {
        try await InProcessServer.test(apiKey: "phc_secret_key") { client, server in
            _ = try await client.execute(uri: "/batch/", method: .post,
                                         body: ByteBuffer(json: ["api_key": "phc_secret_key", "batch": [Self.event("a"), Self.event("b")]]))
            _ = try await client.execute(uri: "/batch/", method: .post, body: ByteBuffer(json: ["api_key": "wrong", "batch": [Self.event("c")]]))
            _ = try await client.execute(uri: "/flags/", method: .post, headers: [.authorization: "Bearer phc_secret_key"])
            _ = try await client.execute(uri: "/nothing", method: .get)
            let lines = server.log.lines
            #expect(lines.count == 4, "\(lines)")
            guard lines.count == 4 else { return }
            #expect(lines[0].hasPrefix("INFO POST /batch/ 200 from unknown in "))
            #expect(lines[0].hasSuffix("json, 2 events: 2 new, 0 duplicate, 0 invalid, 0 warnings"))
            #expect(lines[1].hasPrefix("WARNING POST /batch/ 401 "))
            #expect(lines[2].hasPrefix("INFO POST /flags/ 200 ") && lines[2].hasSuffix(": no flags"))
            #expect(lines[3].hasPrefix("WARNING GET /nothing 404 ") && lines[3].contains("no such endpoint"))
            #expect(!lines.contains { $0.contains("phc_secret_key") })
        }
    }
}
