import Foundation
import Testing
import TestSupport

/// The real PostHog Python SDK (PyPI `posthog`) against `identikit serve`.
///
/// The interpreter is $IDENTIKIT_PYTHON (set by .ci/run), else `.venv/bin/python` in the package
/// root. Without an interpreter that has posthog the test fails: create the environment with
/// `python3 -m venv .venv && .venv/bin/pip install posthog`.
@Suite("PostHog Python SDK end to end", .serialized, .ownThreads)
struct PythonSDKTests {
    static func python() throws -> String {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["IDENTIKIT_PYTHON"], !path.isEmpty { candidates.append(path) }
        candidates.append(PackageDirectory.path(".venv/bin/python"))
        for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
            let check = try ChildProcess.run(path, ["-c", "import posthog, sys; print(posthog.VERSION)"])
            if check.status == 0 { return path }
        }
        throw TestFailure("""
            no Python with the posthog package: looked at \(candidates.joined(separator: ", ")). \
            Create it with `python3 -m venv .venv && .venv/bin/pip install posthog` in the package root, \
            or set IDENTIKIT_PYTHON.
            """)
    }

    static let script = PackageDirectory.path("Tests/EndToEndTests/python/capture_with_sdk.py")

    static func json(_ arguments: [String]) throws -> Any {
        let output = try Identikit.run(arguments)
        guard output.status == 0 else { throw TestFailure("identikit \(arguments.joined(separator: " ")) failed: \(output.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
    }

    @Test(arguments: ["batched", "sync"])
    func sdkEventsFormPersons(mode: String) throws {
        let python = try Self.python()
        let temporary = try TemporaryStore.sqlite(named: "sdk.sqlite")
        defer { temporary.remove() }
        let store = temporary.location
        let server = try ServeProcess(store: store, extraArguments: ["--api-key", "phc_test"])
        defer { server.stop() }

        let prefix = "py-\(mode)"
        let run = try ChildProcess.run(python, [Self.script, server.url, "phc_test", mode, prefix])
        #expect(run.status == 0, "SDK script failed:\n\(run.stdout)\n\(run.stderr)\nserver log:\n\(server.log)")
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.split(separator: "\n").last.map(String.init)?.utf8 ?? "{}".utf8)) as? [String: Any]
        let sent = report?["events"] as? Int ?? -1
        #expect(sent == 11)
        #expect((report?["errors"] as? [String])?.isEmpty == true)

        // Counts.
        let stats = try Self.json(["stats", "--json", "--db", store]) as? [String: Any]
        #expect(stats?["events"] as? Int == sent, "server log:\n\(server.log)")
        #expect(stats?["persons"] as? Int == 2)
        #expect(stats?["warnings"] as? Int == 1)

        // The person the SDK built: anonymous ID merged, alias added, properties set and set once.
        let persons = try Self.json(["persons", "--json", "--db", store]) as? [[String: Any]] ?? []
        let user = persons.first { ($0["distinct_ids"] as? [String])?.contains("\(prefix)-user") == true }
        #expect(Set(user?["distinct_ids"] as? [String] ?? []) == ["\(prefix)-anon", "\(prefix)-user", "\(prefix)-backend"])
        #expect(user?["is_identified"] as? Bool == true)
        let properties = user?["properties"] as? [String: Any] ?? [:]
        #expect(properties["email"] as? String == "\(prefix)@example.com")
        #expect(properties["plan"] as? String == "pro")
        #expect(properties["first_plan"] as? String == "free")
        #expect(properties["signup_source"] as? String == "python")

        let other = persons.first { ($0["distinct_ids"] as? [String]) == ["\(prefix)-other"] }
        #expect(other != nil)

        // The illegal anonymous ID became a warning naming the request it came in.
        let warnings = try Self.json(["warnings", "--json", "--db", store]) as? [[String: Any]] ?? []
        #expect(warnings.first?["type"] as? String == "cannot_merge_with_illegal_distinct_id")
        #expect((warnings.first?["source"] as? String)?.hasPrefix("POST /batch/ from 127.0.0.1") == true)

        // The SDK's requests were logged one per line, and its flag lookup was answered.
        #expect(server.log.contains("POST /batch/ 200"))
        #expect(server.log.contains("POST /flags/ 200"))
    }
}
