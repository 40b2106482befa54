import Foundation
import TestSupport
import Testing

/// Hand-made requests against the real `identikit serve` on a free loopback port.
@Suite("Live capture server", .serialized, .ownThreads)
struct LiveServerTests {
    static func event(_ name: String = "$pageview", id: String = "u1", uuid: UUID = UUID(), extra: [String: Any] = [:]) -> [String: Any] {
        var event: [String: Any] = ["event": name, "distinct_id": id, "uuid": uuid.uuidString.lowercased(),
                                    "timestamp": "2026-11-01T10:00:00Z", "properties": ["$lib": "test"]]
        event.merge(extra) { _, new in new }
        return event
    }

    static func stats(_ store: String) throws -> [String: Any] {
        let output = try Identikit.run(["stats", "--json", "--db", store])
        #expect(output.status == 0, "identikit stats failed: \(output.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) as? [String: Any] ?? [:]
    }

    static func warnings(_ store: String) throws -> [[String: Any]] {
        let output = try Identikit.run(["warnings", "--json", "--db", store])
        #expect(output.status == 0, "identikit warnings failed: \(output.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) as? [[String: Any]] ?? []
    }

    func withServer(_ arguments: [String] = [], _ body: (ServeProcess) async throws -> Void) async throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let server = try ServeProcess(store: temporary.location, extraArguments: arguments)
        defer { server.stop() }
        try await body(server)
        #expect(server.isRunning, "the server died:\n\(server.log)")
    }

    @Test func browserAndServerFormatsAreIngested() async throws {
        try await withServer { server in
            let url = server.url
            // posthog-python's /batch/ body, plain and with Content-Encoding: gzip.
            let batch = HTTP.json(["api_key": "k", "batch": [Self.event(id: "a"), Self.event(id: "b")],
                                   "sent_at": "2026-11-01T10:00:01+00:00", "historical_migration": false])
            var reply = try await HTTP.post(url + "/batch/", body: batch)
            #expect(reply.status == 200)
            #expect(reply.json?["status"] as? Int == 1)
            reply = try await HTTP.post(url + "/batch/", body: GzipTestData.gzip(HTTP.json(["api_key": "k", "batch": [Self.event(id: "c")]])),
                                        headers: ["Content-Encoding": "gzip"])
            #expect(reply.status == 200, "\(reply.text)")

            // posthog-js gzip-js: raw gzip, text/plain, compression in the query.
            reply = try await HTTP.post(url + "/e/?compression=gzip-js&ver=1.200.0&_=1762000000000",
                                        body: GzipTestData.gzip(HTTP.json([Self.event(id: "d"), Self.event(id: "e")])),
                                        headers: ["Content-Type": "text/plain"])
            #expect(reply.status == 200, "\(reply.text)")

            // Base64 form data.
            let encoded = HTTP.json([Self.event(id: "f")]).base64EncodedString()
            let form = "data=\(encoded.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&compression=base64"
            reply = try await HTTP.post(url + "/i/v0/e/", body: Data(form.utf8),
                                        headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(reply.status == 200, "\(reply.text)")

            // A single event on /capture/ and /track/ (no trailing slash).
            reply = try await HTTP.post(url + "/capture/", body: HTTP.json(Self.event(id: "g")))
            #expect(reply.status == 200, "\(reply.text)")
            reply = try await HTTP.post(url + "/track", body: HTTP.json(Self.event(id: "h", extra: ["$set": ["plan": "pro"]])))
            #expect(reply.status == 200, "\(reply.text)")

            // Flags endpoints answer with no flags.
            for path in ["/flags/?v=2", "/decide/?v=3"] {
                reply = try await HTTP.post(url + path, body: HTTP.json(["api_key": "k", "distinct_id": "a"]))
                #expect(reply.status == 200)
                #expect((reply.json?["featureFlags"] as? [String: Any])?.isEmpty == true)
                #expect(reply.json?["errorsWhileComputingFlags"] as? Bool == false)
            }
            reply = try await HTTP.send("GET", url + "/_health")
            #expect(reply.status == 200)
            #expect(reply.json?["events"] as? Int == 8)

            let stats = try Self.stats(server.storePath)
            #expect(stats["events"] as? Int == 8)
            #expect(stats["persons"] as? Int == 8)
        }
    }

    @Test func aPortInUseIsNamedWithWhatToDo() async throws {
        try await withServer { server in
            let port = try #require(URL(string: server.url)?.port)
            let temporary = try TemporaryStore.sqlite()
            defer { temporary.remove() }
            let second = try Identikit.run(["serve", "--port", String(port), "--db", temporary.location])
            #expect(second.status == 1)
            #expect(second.stderr == "identikit: cannot listen on 127.0.0.1:\(port): the port is already in use (another identikit serve?); "
                    + "choose another --port, or --port 0 for any free one\n", "\(second.stderr)")
        }
    }

    @Test func retriesDoNotDuplicate() async throws {
        try await withServer { server in
            let body = HTTP.json(["api_key": "k", "batch": [Self.event(id: "a"), Self.event(id: "b")]])
            for _ in 0..<3 {
                let reply = try await HTTP.post(server.url + "/batch/", body: body)
                #expect(reply.status == 200)
            }
            #expect(try Self.stats(server.storePath)["events"] as? Int == 2)
        }
    }

    @Test func invalidEventsInABatchBecomeWarningsNamingTheRequest() async throws {
        try await withServer { server in
            let body = HTTP.json(["batch": [Self.event(id: "a"), ["event": "no id"], ["distinct_id": ["an", "array"], "event": "x"]]])
            let reply = try await HTTP.post(server.url + "/batch/", body: body)
            #expect(reply.status == 200)
            #expect(try Self.stats(server.storePath)["events"] as? Int == 1)
            let warnings = try Self.warnings(server.storePath)
            #expect(warnings.count == 2)
            for warning in warnings {
                let source = warning["source"] as? String ?? ""
                #expect(source.hasPrefix("POST /batch/ from 127.0.0.1 at "), "source: \(source)")
                #expect(source.contains("element"))
            }
        }
    }

    /// Every error path, one after another on one server, which must answer a good request after each.
    @Test func badRequestsGetClearErrorsAndTheServerKeepsServing() async throws {
        try await withServer(["--api-key", "secret"]) { server in
            let url = server.url
            var accepted = 0
            func stillServing(_ after: String) async throws {
                let health = try await HTTP.send("GET", url + "/_health")
                #expect(health.status == 200, "health after \(after)")
                let good = try await HTTP.post(url + "/batch/", body: HTTP.json(["api_key": "secret", "batch": [Self.event(id: "ok")]]))
                #expect(good.status == 200, "good request after \(after): \(good.text)")
                accepted += 1
            }
            func expectError(_ name: String, _ reply: HTTP.Reply, status: Int, code: String) async throws {
                #expect(reply.status == status, "\(name): \(reply.status) \(reply.text)")
                #expect(reply.json?["code"] as? String == code, "\(name): \(reply.text)")
                #expect((reply.json?["detail"] as? String)?.isEmpty == false, "\(name) has no detail")
                try await stillServing(name)
            }

            try await expectError("bad JSON", try await HTTP.post(url + "/batch/", body: Data(#"{"api_key":"secret","batch":[{"#.utf8)),
                                  status: 400, code: "invalid_json")
            try await expectError("wrong key", try await HTTP.post(url + "/batch/", body: HTTP.json(["api_key": "nope", "batch": [Self.event()]])),
                                  status: 401, code: "invalid_api_key")
            try await expectError("wrong bearer", try await HTTP.post(url + "/e/", body: HTTP.json(Self.event()),
                                                                     headers: ["Authorization": "Bearer nope"]),
                                  status: 401, code: "invalid_api_key")
            try await expectError("no key", try await HTTP.post(url + "/e/", body: HTTP.json(Self.event())),
                                  status: 401, code: "missing_api_key")
            try await expectError("empty batch", try await HTTP.post(url + "/batch/", body: HTTP.json(["api_key": "secret", "batch": [Any]()])),
                                  status: 400, code: "empty_batch")
            try await expectError("empty body", try await HTTP.post(url + "/batch/", body: Data()),
                                  status: 400, code: "empty_body")
            try await expectError("not gzip", try await HTTP.post(url + "/batch/", body: Data("hello".utf8), headers: ["Content-Encoding": "gzip"]),
                                  status: 400, code: "invalid_gzip")
            try await expectError("unknown encoding", try await HTTP.post(url + "/batch/", body: Data("x".utf8), headers: ["Content-Encoding": "br"]),
                                  status: 415, code: "unsupported_encoding")
            try await expectError("bad base64", try await HTTP.post(url + "/e/", body: Data("data=***&compression=base64".utf8),
                                                                   headers: ["Content-Type": "application/x-www-form-urlencoded"]),
                                  status: 400, code: "invalid_base64")
            try await expectError("unknown path", try await HTTP.post(url + "/nothing/", body: Data("{}".utf8)),
                                  status: 404, code: "not_found")
            try await expectError("wrong method", try await HTTP.send("GET", url + "/flags/x"),
                                  status: 404, code: "not_found")
            try await expectError("flags with wrong key", try await HTTP.post(url + "/flags/?v=2", body: HTTP.json(["api_key": "nope"])),
                                  status: 401, code: "invalid_api_key")

            // 20 MiB + 1 byte: 413 without reading it all.
            var big = Data(#"{"api_key":"secret","batch":[{"event":"e","distinct_id":"u","properties":{"pad":""#.utf8)
            big.append(Data(repeating: UInt8(ascii: "x"), count: 20 * 1024 * 1024))
            big.append(Data(#""}}]}"#.utf8))
            try await expectError("too large", try await HTTP.post(url + "/batch/", body: big), status: 413, code: "body_too_large")

            // A gzip bomb: ~250 KB that would expand to 160 MiB; decompression stops at 100 MiB.
            let bomb = GzipTestData.bomb(expandedBytes: 160 * 1024 * 1024)
            #expect(bomb.count < 1024 * 1024)
            try await expectError("gzip bomb", try await HTTP.post(url + "/batch/", body: bomb, headers: ["Content-Encoding": "gzip"]),
                                  status: 413, code: "decompressed_too_large")
            try await expectError("gzip-js bomb", try await HTTP.post(url + "/e/?compression=gzip-js", body: bomb,
                                                                     headers: ["Content-Type": "text/plain"]),
                                  status: 413, code: "decompressed_too_large")

            // Only the good requests landed; the log has a line per request, errors with their reasons.
            #expect(try Self.stats(server.storePath)["events"] as? Int == accepted)
            let log = server.log
            #expect(log.contains("POST /batch/ 401"))
            #expect(log.contains("body is not valid JSON"))
            #expect(log.contains("POST /batch/ 200"))
        }
    }

    /// Bytes that are not HTTP, a request cut off in its body, a lying Content-Length: each connection
    /// ends, and the server goes on answering.
    @Test func malformedHTTPDoesNotStopTheServer() async throws {
        try await withServer { server in
            let port = RawTCP.port(of: server.url)
            let attempts: [(String, [UInt8], Bool)] = [
                ("not HTTP", Array("GARBAGE \u{1}\u{2}\r\n\r\n".utf8), true),
                ("binary noise", (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, true),
                ("body cut off", Array("POST /batch/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"batch\": [".utf8), true),
                ("header line without end", Array("POST /batch/ HTTP/1.1\r\nHost: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 100_000), true),
                ("invalid content length", Array("POST /batch/ HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".utf8), true),
            ]
            for (name, bytes, closeWrite) in attempts {
                _ = try? RawTCP.exchange(port: port, bytes: bytes, closeWrite: closeWrite, timeout: 3)
                let health = try await HTTP.send("GET", server.url + "/_health")
                #expect(health.status == 200, "after \(name)")
            }
            let reply = try await HTTP.post(server.url + "/batch/", body: HTTP.json(["batch": [Self.event(id: "after")]]))
            #expect(reply.status == 200)
            #expect(try Self.stats(server.storePath)["events"] as? Int == 1)
        }
    }

    @Test func nonLoopbackWithoutKeyWarns() throws {
        // Only the warning is checked: the server is stopped right away and nothing is sent to it.
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let server = try ServeProcess(store: temporary.location, extraArguments: ["--host", "0.0.0.0"])
        usleep(300_000)
        server.stop()
        #expect(server.log.contains("WARNING"))
        #expect(server.log.contains("--api-key"))
    }

    @Test func sigtermStopsGracefully() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let server = try ServeProcess(store: temporary.location)
        #expect(server.url.hasPrefix("http://127.0.0.1:"))
        #expect(server.stop() == 0)
    }

    @Test func exploreWithoutATerminalSaysWhy() throws {
        let temporary = try TemporaryStore.sqlite()
        defer { temporary.remove() }
        let output = try Identikit.run(["serve", "--explore", "--port", "0", "--db", temporary.location])
        #expect(output.status != 0)
        #expect(output.stderr.contains("needs a terminal"))
    }
}
