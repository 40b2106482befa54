import ArgumentParser
import Foundation
import IdentityCore
import Store

struct Push: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send the merges made here to PostHog as $merge_dangerously events.",
        discussion: """
            Every manual merge still in force that was not pushed to this host before is sent to HOST's \
            /batch/ endpoint as a $merge_dangerously event (distinct_id = the target's distinct ID, \
            properties.alias = the source's), and recorded in the store once the host accepted it: a second \
            push sends nothing. Each merge's event has a uuid derived from the merge, so if identikit stops \
            between sending and recording, the next push sends the same events again and they dedupe.

            PostHog cannot unmerge through capture: a merge pushed and later undone here, and every split, \
            are listed under needs_attention with what to do in PostHog, and never sent.

            The API key (the project's phc_ key) comes from --api-key or $POSTHOG_API_KEY; it is sent to \
            the host only, never printed, logged or stored. Network errors, 429 and 5xx answers are tried \
            again (5 tries, pauses doubling from 0.5 s); nothing is recorded for a batch the host did not accept.

            Examples:
              identikit push --host https://us.i.posthog.com --dry-run
              POSTHOG_API_KEY=phc_... identikit push --host https://eu.i.posthog.com
              identikit push --host http://127.0.0.1:8000 --api-key phc_test --json
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The PostHog host (its capture API), like https://us.i.posthog.com.", valueName: "url"))
    var host: String

    @Option(help: ArgumentHelp("The project API key; defaults to $POSTHOG_API_KEY.", valueName: "key"))
    var apiKey: String?

    @Flag(help: "Print what would be sent (the key redacted), send and record nothing.")
    var dryRun = false

    @Flag(help: "Print {sent, skipped, needs_attention} as JSON.")
    var json = false

    @Option(help: "Tries per batch before giving up.")
    var tries = 5

    /// Events per request (PostHog takes large batches; small ones keep a retry cheap).
    static let batchSize = 100
    static let redacted = "<redacted>"

    var key: String? {
        if let apiKey, !apiKey.isEmpty { return apiKey }
        return ProcessInfo.processInfo.environment["POSTHOG_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func checkBeforeOpening() throws {
        _ = try CaptureClient.batchURL(host: host)
        if tries < 1 { throw Failure("--tries must be at least 1") }
        if !dryRun, key == nil { throw Failure("push needs the project API key: --api-key KEY or POSTHOG_API_KEY") }
    }

    func run(store: CommandStore) async throws {
        let (url, recordedHost) = try CaptureClient.batchURL(host: host)
        let plan = PushPlan(actions: try await store.manualActions(), pushed: try await store.pushRecords(), host: recordedHost)
        let batches = stride(from: 0, to: plan.send.count, by: Self.batchSize).map { plan.send[$0..<min($0 + Self.batchSize, plan.send.count)] }

        if dryRun {
            let bodies = batches.map { PushPlan.body($0, apiKey: Self.redacted) }
            if json {
                Terminal.standardOutput.write(JSONCoding.string(JSONValue.object(summary(plan, sent: 0).merging([
                    "dry_run": true, "would_send": .int(Int64(plan.send.count)),
                    "requests": .array(bodies.map { .object(["method": "POST", "url": .string(url.absoluteString), "body": $0]) }),
                ]) { _, new in new }), pretty: true) + "\n")
            } else {
                var out = plan.send.isEmpty ? "Nothing to send to \(recordedHost).\n"
                    : "Would send \(plan.send.count) merge\(plan.send.count == 1 ? "" : "s") (dry run: nothing sent, nothing recorded):\n"
                for body in bodies {
                    // IDs come from the data: each line is made safe for the terminal (JSON escapes the rest).
                    let lines = JSONCoding.string(body, pretty: true).split(separator: "\n").map { Escaping.terminalSafe(String($0)) }
                    out += "\nPOST \(url.absoluteString)\n" + lines.joined(separator: "\n") + "\n"
                }
                Terminal.standardOutput.write(out + text(plan, sent: nil))
            }
            return
        }

        let client = CaptureClient(url: url, attempts: tries)
        var sent = 0
        do {
            for batch in batches {
                try await client.post(Data(JSONWriter.string(PushPlan.body(batch, apiKey: key ?? "")).utf8))
                // Recorded only after the host accepted the batch; a crash before this line resends the
                // same events (same uuids) next time.
                try await store.recordPushes(batch.map { PushRecord(actionID: $0.action.id, host: recordedHost, eventUUID: $0.uuid, pushedAt: Date()) })
                sent += batch.count
            }
        } catch {
            throw Failure("\(error)" + (sent > 0 ? " (\(sent) merges were sent and recorded before this; the rest were not recorded)"
                                                 : "; nothing was recorded"))
        }
        if json {
            Terminal.standardOutput.write(JSONCoding.string(JSONValue.object(summary(plan, sent: sent)), pretty: true) + "\n")
        } else {
            let head = sent == 0 ? "Nothing new to send to \(recordedHost).\n"
                : "Sent \(sent) merge\(sent == 1 ? "" : "s") to \(url.absoluteString) as $merge_dangerously events.\n"
            Terminal.standardOutput.write(head + text(plan, sent: sent))
        }
    }

    private func summary(_ plan: PushPlan, sent: Int) -> [String: JSONValue] {
        ["sent": .int(Int64(sent)), "skipped": .int(Int64(plan.skipped)),
         "needs_attention": .array(plan.attention.map(PushPlan.attentionJSON))]
    }

    private func text(_ plan: PushPlan, sent: Int?) -> String {
        var out = ""
        if plan.skipped > 0 { out += "Skipped \(plan.skipped) merge\(plan.skipped == 1 ? "" : "s") (pushed before, or undone before any push).\n" }
        guard !plan.attention.isEmpty else { return out }
        out += "\n\(plan.attention.count) change\(plan.attention.count == 1 ? "" : "s") need\(plan.attention.count == 1 ? "s" : "") attention in PostHog (never sent):\n"
        for item in plan.attention {
            out += "  • " + Escaping.terminalSafe(item.reason) + "\n    → " + Escaping.terminalSafe(item.whatToDo) + "\n"
        }
        return out
    }
}
