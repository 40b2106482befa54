import Foundation
import IdentityCore
import Store

/// What `identikit push` does with each manual action, decided from the store's records alone.
///
/// - a merge still in force, not pushed to this host before: sent as `$merge_dangerously`;
/// - a merge pushed before, or undone before it was ever pushed: skipped;
/// - a merge pushed and later undone here, and every split: PostHog cannot unmerge through
///   capture, so they need the user's attention in PostHog and are never sent.
struct PushPlan: Sendable {
    struct Send: Sendable {
        var action: ManualActionSummary
        var target: String
        var source: String
        var uuid: UUID
    }

    struct Attention: Sendable {
        var action: ManualActionSummary
        var reason: String
        var whatToDo: String
    }

    var send: [Send] = []
    var skipped = 0
    var attention: [Attention] = []

    /// Namespace of the deterministic event uuids: a resend of the same merge is the same event.
    static let namespace = UUID(text: "5b0f6a52-8d1e-4c0e-9a57-1d3c2e7b9f40")!

    init(actions: [ManualActionSummary], pushed: [PushRecord], host: String) {
        let pushedHere = Dictionary(pushed.filter { $0.host == host }.map { ($0.actionID, $0) }, uniquingKeysWith: { a, _ in a })
        for action in actions {
            switch action.kind {
            case .split:
                let ids = action.distinctIDs.map(Escaping.quoted).joined(separator: ", ")
                attention.append(Attention(
                    action: action, reason: "split \(action.id) moved \(ids) off their person here; PostHog cannot split through capture",
                    whatToDo: "in PostHog, open the person with distinct ID \(action.distinctIDs.first.map(Escaping.quoted) ?? "?") "
                        + "and use Split IDs to separate \(ids) (or leave it, if PostHog never joined them)"))
            case .manualMerge, .manualForcedMerge:
                guard let target = action.target, let source = action.source else {
                    attention.append(Attention(action: action, reason: "merge \(action.id) has no record of the IDs it was asked to join",
                                               whatToDo: "merge the persons in PostHog by hand if they should be one"))
                    continue
                }
                let wasPushed = pushedHere[action.id]
                switch (action.undoneBy, wasPushed) {
                case (nil, nil):
                    send.append(Send(action: action, target: target, source: source, uuid: Self.eventUUID(target: target, source: source, at: action.at)))
                case (nil, _?), (_?, nil):
                    skipped += 1
                case (let undo?, let record?):
                    attention.append(Attention(
                        action: action,
                        reason: "merge \(action.id) (\(Escaping.quoted(source)) into \(Escaping.quoted(target))) was pushed to \(host) "
                            + "at \(Timestamp.format(record.pushedAt)) and undone here by action \(undo); PostHog cannot unmerge",
                        whatToDo: "in PostHog, open the person with distinct ID \(Escaping.quoted(target)) and use Split IDs "
                            + "to move \(Escaping.quoted(source)) (and the IDs that came with it) off it"))
                }
            default:
                continue
            }
        }
    }

    static func eventUUID(target: String, source: String, at: Date) -> UUID {
        PersonUUID.version5(namespace: namespace, name: "merge\u{0}\(target)\u{0}\(source)\u{0}\(Timestamp.format(at))")
    }

    /// The `$merge_dangerously` event of one merge, as PostHog's capture API takes it.
    static func event(_ send: Send) -> JSONValue {
        .object([
            "event": "$merge_dangerously",
            "distinct_id": .string(send.target),
            "uuid": .string(send.uuid.lowercased),
            "timestamp": .string(Timestamp.format(send.action.at)),
            "properties": .object([
                "alias": .string(send.source),
                "$lib": "identikit",
                "identikit_action_id": .int(send.action.id),
            ]),
        ])
    }

    /// A `/batch/` body. The key is only ever put here, in memory, for the request.
    static func body(_ sends: some Collection<Send>, apiKey: String) -> JSONValue {
        .object(["api_key": .string(apiKey), "batch": .array(sends.map(event))])
    }

    static func attentionJSON(_ item: Attention) -> JSONValue {
        .object([
            "action_id": .int(item.action.id),
            "kind": .string(item.action.kind == .split ? "split" : "undone_merge"),
            "distinct_ids": .array((item.action.kind == .split ? item.action.distinctIDs
                                    : [item.action.target, item.action.source].compactMap { $0 }).map(JSONValue.string)),
            "reason": .string(item.reason),
            "what_to_do": .string(item.whatToDo),
        ])
    }
}
