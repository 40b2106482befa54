import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit events --follow --json`, a process of its own, reports what each event did to
/// identity as `identikit serve` commits what the real PostHog Python SDK sends: a browser-style
/// flow, each step within a second of the SDK's flush.
@Suite("events --follow with the PostHog Python SDK", .serialized, .ownThreads)
struct FollowEffectsTests {
    static let script = PackageDirectory.path("Tests/EndToEndTests/python/browser_flow.py")

    /// A step of the flow and what the follower must report for it.
    struct Step {
        var name: String
        var event: String
        var kind: EventEffect.Kind
        var check: (EventEffect) -> Bool = { _ in true }
    }

    @Test func followReportsEachEffectInOrderWithinASecond() throws {
        let python = try PythonSDKTests.python()
        let temporary = try TemporaryStore.sqlite(named: "follow.sqlite")
        defer { temporary.remove() }
        let server = try ServeProcess(store: temporary.location, extraArguments: ["--api-key", "phc_test"])
        defer { server.stop() }
        let follower = try Identikit.start(["events", "--follow", "--json", "--db", temporary.location])
        defer { _ = follower.stop(grace: 5) }
        try Self.waitFor("the follower to start", timeout: 30) { follower.stderr.contains("following new events") }

        let prefix = "follow"
        let steps = [
            Step(name: "anonymous", event: "$pageview", kind: .newPerson),
            Step(name: "browse", event: "$pageview", kind: .existingPerson),
            Step(name: "identify", event: "$identify", kind: .linkedID, check: { $0.linkedID == "\(prefix)-user" && $0.set == ["email"] }),
            Step(name: "alias", event: "$create_alias", kind: .linkedID, check: { $0.linkedID == "\(prefix)-backend" }),
            Step(name: "other", event: "$identify", kind: .newPerson, check: { $0.linkedID == "\(prefix)-other-anon" }),
            Step(name: "refused", event: "$identify", kind: .refused, check: { $0.warnings == [.cannotMergeAlreadyIdentified] }),
            Step(name: "reset", event: "$pageview", kind: .newPerson),
        ]
        var seen = 0
        for step in steps {
            // The SDK's script runs while the follower's output is watched, so the arrival time is
            // when the line appeared, not when the script's interpreter had finished exiting.
            let sdk = try ChildProcess.start(python, [Self.script, server.url, "phc_test", prefix, step.name])
            var lines: [JSONValue] = []
            // Generous: the first step starts a cold interpreter and imports the SDK on a busy CI
            // machine. The one-second promise is checked below, against the SDK's own flush time.
            try Self.waitFor("the effect of \(step.name)", timeout: 60) {
                lines = Self.lines(follower.stdout)
                return lines.count > seen
            }
            let arrived = Date().timeIntervalSince1970
            let ended = sdk.wait(timeout: 60)
            try #require(ended == .exited(0), "SDK step \(step.name) failed:\n\(sdk.stdout)\n\(sdk.stderr)\nserver log:\n\(server.log)")
            let report = try JSONParser.parse(Data(sdk.stdout.utf8))
            guard case .double(let flushed)? = report["flushed_at"] else { throw TestFailure("no flush time in \(sdk.stdout)") }
            #expect(arrived - flushed <= 1.0, "\(step.name): printed \(arrived - flushed) s after the SDK's flush")
            #expect(lines.count == seen + 1, "one event per step: \(lines.dropFirst(seen))")
            let line = lines[seen]
            seen = lines.count
            #expect(line["event"]?.stringValue == step.event, "\(step.name): \(line)")
            let effect = try #require(line["effect"].flatMap(EventEffect.init(json:)), "\(step.name): no effect in \(line)")
            #expect(effect.kind == step.kind, "\(step.name): \(JSONCoding.string(effect.jsonValue))")
            #expect(step.check(effect), "\(step.name): \(JSONCoding.string(effect.jsonValue))")
        }

        // Ctrl-C ends the follow normally, with nothing lost.
        follower.send(SIGINT)
        #expect(follower.wait(timeout: 10) == .exited(0), "stderr: \(follower.stderr)")
    }

    static func lines(_ output: String) -> [JSONValue] {
        output.split(separator: "\n").compactMap { try? JSONParser.parse(Data($0.utf8)) }
    }

    static func waitFor(_ what: String, timeout: TimeInterval, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { throw TestFailure("timed out waiting for \(what)") }
            usleep(20_000)
        }
    }
}
