import Foundation
import IdentityCore
import IdentityStore

/// Runs effects against the store and answers with messages. Every write goes through the
/// engine in one store transaction, exactly as the command line does; a failure becomes an error line.
public final class EffectRunner {
    public let store: PersonStore
    private let now: () -> Date
    /// The store's change counter as of our last look, to tell other processes' writes from ours.
    public private(set) var lastCounter: Int

    public init(store: PersonStore, now: @escaping () -> Date = Date.init) {
        self.store = store
        self.now = now
        lastCounter = (try? store.changeCounter()) ?? 0
    }

    /// Polled by the main loop: a message when someone committed since the last look.
    public func checkForChanges() -> Message? {
        guard let counter = try? store.changeCounter(), counter != lastCounter else { return nil }
        lastCounter = counter
        return .storeChanged(external: true)
    }

    public func run(_ effect: Effect) -> [Message] {
        do {
            return try perform(effect)
        } catch {
            return [.failed(Self.describe(error))]
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return "error: " + text.replacingOccurrences(of: "\n", with: " ")
    }

    private func perform(_ effect: Effect) throws -> [Message] {
        switch effect {
        case .loadStats:
            return [.statsLoaded(try store.stats())]
        case .loadPersons(let order, let after, let limit, let append, let keep):
            return [.personsLoaded(try store.persons(order: order, descending: true, after: after, limit: limit), append: append, keep: keep)]
        case .search(let text):
            return [.searchLoaded(query: text, try store.searchPersons(text, limit: 200))]
        case .loadDetail(let reference):
            return [.detailLoaded(reference: reference, try store.personDetail(reference))]
        case .loadEvents(let reference, let personID, let before, let append):
            return [.eventsLoaded(reference: reference, try store.events(personID: personID, before: before, limit: Reducer.pageSize), append: append)]
        case .loadWarningGroups:
            return [.warningGroupsLoaded(try store.warningGroups())]
        case .loadWarnings(let type, let filter, let before, let append):
            let warnings = try store.warnings(type: type.flatMap(WarningType.init(rawValue:)), containing: filter.isEmpty ? nil : filter,
                                              before: before, limit: Reducer.pageSize)
            return [.warningsLoaded(warnings, append: append)]
        case .loadDuplicates(let property):
            return [.duplicatesLoaded(try store.duplicateGroups(property: property))]
        case .loadDuplicateMembers(let property, let value):
            return [.duplicateMembersLoaded(try store.personsSharing(property: property, value: value))]
        case .openPersonOf(let ids):
            for id in ids {
                if let person = try store.resolvePerson(id) { return [.openPerson(reference: person.uuid.lowercased)] }
            }
            return [.failed("no person has \(ids.map(Escaping.quoted).joined(separator: " or ")) (the event may have been rejected)")]
        case .previewMerge(let target, let source):
            let t = try distinctID(target), s = try distinctID(source)
            return [.mergePreviewLoaded(try store.readStorage { try store.engine.previewMerge(target: t, source: s, in: $0) })]
        case .merge(let target, let source, let force):
            let t = try distinctID(target), s = try distinctID(source)
            let action = try store.write { try store.engine.manualMerge(target: t, source: s, force: force, in: $0, now: now()) }
            return wrote("merged \(Escaping.quoted(s))'s person into \(Escaping.quoted(t))'s (merge \(action.id ?? 0)\(force ? ", forced" : "")): undo with u in History or :undo \(action.id ?? 0)")
        case .previewUndo(let actionID):
            let report = try store.dryRun { try store.engine.undo(actionID, in: $0, now: now()) }
            guard let action = try store.readStorage({ try $0.action(actionID) }) else {
                return [.failed("no action \(actionID)")]
            }
            return [.undoPreviewLoaded(UndoPreview(action: action, movedBack: report.movedBack, leftInPlace: report.leftInPlace,
                                                   keptKeys: report.keptKeys))]
        case .undo(let actionID):
            let report = try store.write { try store.engine.undo(actionID, in: $0, now: now()) }
            return wrote("undid merge \(actionID): restored person \(report.restoredPersonUUID.lowercased) with \(report.movedBack.count) distinct ID\(report.movedBack.count == 1 ? "" : "s")")
        case .previewSplit(let person, let displayName, let ids):
            guard let detail = try store.personDetail(person) else { return [.failed("no person \(Escaping.quoted(person))")] }
            _ = try store.dryRun { try store.engine.split(person: person, distinctIDs: ids, in: $0, now: now()) }
            let all = detail.distinctIDs.map(\.distinctID)
            return [.splitPreviewLoaded(SplitPreview(person: person, displayName: displayName, distinctIDs: ids,
                                                     remaining: all.filter { !ids.contains($0) }))]
        case .split(let person, let ids):
            let action = try store.write { try store.engine.split(person: person, distinctIDs: ids, in: $0, now: now()) }
            return wrote("split \(ids.count) distinct ID\(ids.count == 1 ? "" : "s") into new persons (action \(action.id ?? 0))")
        case .whyLinked(let a, let b):
            return [.whyLinkedLoaded(a: a, b: b, try store.readStorage { try store.engine.whyLinked(a, b, in: $0) })]
        }
    }

    /// After our own write: remember the counter so it is not announced as someone else's.
    private func wrote(_ text: String) -> [Message] {
        lastCounter = (try? store.changeCounter()) ?? lastCounter
        return [.done(text)]
    }

    /// The engine names persons by distinct ID; a person uuid becomes its first distinct ID.
    private func distinctID(_ reference: String) throws -> String {
        if UUID(text: reference) != nil, let detail = try store.personDetail(reference),
           detail.person.uuid.lowercased == reference.lowercased, let first = detail.distinctIDs.first {
            return first.distinctID
        }
        return reference
    }
}
