import Foundation
import IdentityCore
import Store

/// Runs each effect in a task of its own against the explorer client and leaves the answer in the
/// inbox; the UI loop never waits for one. Every write goes through the client in one store
/// transaction, exactly as the command line does; a failure becomes an error line.
final class EffectRunner: Sendable {
    let client: ExplorerClient
    let inbox: Inbox

    init(client: ExplorerClient, inbox: Inbox) {
        self.client = client
        self.inbox = inbox
    }

    func start(_ effect: Effect) {
        let ticket = inbox.begin()
        Task.detached { [client, inbox] in
            inbox.finish(ticket, await Self.perform(effect, client))
        }
    }

    static func perform(_ effect: Effect, _ client: ExplorerClient) async -> [Message] {
        do {
            return try await answer(effect, client)
        } catch let refusal as ExplorerClientError {
            return [.failed(refusal.description)]
        } catch {
            return [.failed(describe(error))]
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return "error: " + text.replacingOccurrences(of: "\n", with: " ")
    }

    private static func answer(_ effect: Effect, _ client: ExplorerClient) async throws -> [Message] {
        switch effect {
        case .loadStats:
            return [.statsLoaded(try await client.stats())]
        case .query(let query):
            return [.screenData(query.screen ?? 0, try await query.run(client))]
        case .openPersonOf(let ids):
            for id in ids {
                if let uuid = try await client.resolvePerson(id) { return [.openPerson(reference: uuid)] }
            }
            return [.failed("no person has \(ids.map(Escaping.quoted).joined(separator: " or ")) (the event may have been rejected)")]
        case .previewMerge(let target, let source):
            return [.mergePreviewLoaded(try await client.previewMerge(target, source))]
        case .merge(let target, let source, let force):
            // Merges come from a preview's dialog, so both are distinct IDs already.
            let action = try await client.merge(target, source, force)
            return [.done("merged \(Escaping.quoted(source))'s person into \(Escaping.quoted(target))'s (merge \(action.id ?? 0)\(force ? ", forced" : "")): undo with u in History or :undo \(action.id ?? 0)")]
        case .previewGroupMerge(let property, let value):
            let members = try await client.personsSharing(property, value)
            return [.groupMergePreviewLoaded(try await client.previewGroupMerge(members.map { $0.uuid.lowercased }))]
        case .groupMerge(let references, let force):
            let action = try await client.groupMerge(references, force)
            let id = action.id ?? 0
            return [.done("merged \(references.count) persons into one (group merge \(id)\(force ? ", forced" : "")): undo with u in History or :undo \(id)")]
        case .previewUndo(let actionID):
            return [.undoPreviewLoaded(try await client.previewUndo(actionID))]
        case .undo(let actionID):
            let report = try await client.undo(actionID)
            return [.done("undid merge \(actionID): restored person \(report.restoredPersonUUID.lowercased) with \(report.movedBack.count) distinct ID\(report.movedBack.count == 1 ? "" : "s")")]
        case .previewSplit(let person, let displayName, let ids):
            return [.splitPreviewLoaded(try await client.previewSplit(person, displayName, ids))]
        case .split(let person, let ids):
            let action = try await client.split(person, ids)
            return [.done("split \(ids.count) distinct ID\(ids.count == 1 ? "" : "s") into new persons (action \(action.id ?? 0))")]
        case .whyLinked(let a, let b):
            return [.whyLinkedLoaded(a: a, b: b, try await client.whyLinked(a, b))]
        }
    }
}
