import Foundation
import IdentityCore

/// One write a person property had, or was asked for and did not get: what `identikit person ID
/// --history KEY` lists and the explorer's property history shows, oldest first.
public struct PropertyWrite: Sendable, Equatable {
    public enum Operation: String, Sendable, Codable {
        case set = "$set"
        case setOnce = "$set_once"
        case unset = "$unset"
        /// A merge gave the surviving person the merged-away person's value.
        case merge
    }

    /// Why a write did not change the property.
    public enum Reason: String, Sendable, Codable {
        /// `$set_once` of a key the person already had.
        case alreadySet = "already_set"
        /// The churn filter skipped a new value of an often-changing automatic key.
        case churnFilter = "churn_filter"
        /// The person's properties would have passed 640 KiB.
        case sizeLimit = "size_limit"
        /// The value was already the same (`$set`), or the key was absent (`$unset`).
        case unchanged
        /// Sent with `$process_person_profile: false`: no person was touched.
        case personless
        /// The merge was undone later.
        case undone
        /// The event was stored before identikit recorded what each event did.
        case notRecorded = "not_recorded"

        public var words: String {
            switch self {
            case .alreadySet: "already set"
            case .churnFilter: "churn filter"
            case .sizeLimit: "size limit"
            case .unchanged: "unchanged"
            case .personless: "personless event"
            case .undone: "merge undone"
            case .notRecorded: "effect not recorded"
            }
        }
    }

    /// The event's timestamp, or the merge's time.
    public var at: Date?
    /// The event's name, or the merge's kind (`$identify`, `manual_merge`…).
    public var event: String
    public var eventUUID: UUID?
    /// The event's distinct ID (nil for a merge).
    public var distinctID: String?
    /// The merge that brought the value (nil for an event's own write).
    public var actionID: Int64?
    public var operation: Operation
    /// The value written or asked for; nil for `$unset`.
    public var value: JSONValue?
    public var applied: Bool
    /// Why not applied (nil when applied).
    public var reason: Reason?

    public init(at: Date?, event: String, eventUUID: UUID?, distinctID: String? = nil, actionID: Int64? = nil,
                operation: Operation, value: JSONValue?, applied: Bool, reason: Reason? = nil) {
        self.at = at
        self.event = event
        self.eventUUID = eventUUID
        self.distinctID = distinctID
        self.actionID = actionID
        self.operation = operation
        self.value = value
        self.applied = applied
        self.reason = reason
    }
}

/// Derives a property's history from what the stores keep: each event's stored properties (what it
/// asked for, after validation lifted automatic keys into `$set`/`$set_once`) and its recorded
/// effect (what was written or skipped), and the merges' before/after snapshots. Shared by both
/// stores so they cannot disagree.
public enum PropertyHistory {
    /// A merge record with where it stands among the events (the last event stored before it).
    public struct Merge: Sendable {
        public var action: ActionRecord
        public var eventSeq: Int64
        public init(action: ActionRecord, eventSeq: Int64) {
            self.action = action
            self.eventSeq = eventSeq
        }
    }

    /// Text a stored event's properties or effect must contain to mention `key`, so a store can skip
    /// the rest in SQL; nil when the key may be written escaped in JSON (then no event is skipped).
    public static func needle(_ key: String) -> String? {
        guard !key.isEmpty, key.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" && $0 != "/" })
        else { return nil }
        return key
    }

    /// The history, oldest first: events in ingestion order, each merge after the last event stored before it.
    public static func build(key: String, events: [StoredEvent], merges: [Merge]) -> [PropertyWrite] {
        var entries: [(seq: Int64, rank: Int, write: PropertyWrite)] = []
        for event in events {
            for write in writes(of: event, key: key) { entries.append((event.seq, 0, write)) }
        }
        for merge in merges {
            if let write = write(of: merge.action, key: key) { entries.append((merge.eventSeq, 1, write)) }
        }
        // Stable: an event's own writes keep their order ($set_once, $set, $unset, as the rules judge them).
        return entries.enumerated().sorted { a, b in
            (a.element.seq, a.element.rank, a.offset) < (b.element.seq, b.element.rank, b.offset)
        }.map(\.element.write)
    }

    /// What one event asked for `key` and what became of it.
    static func writes(of event: StoredEvent, key: String) -> [PropertyWrite] {
        let setValue = event.properties["$set"]?.objectValue?[key]
        // `$set` of a key beats `$set_once` of it in the same event: the rules ignore the latter.
        let setOnceValue = setValue == nil ? event.properties["$set_once"]?.objectValue?[key] : nil
        let unsets: Bool = switch event.properties["$unset"] {
        case .array(let keys)?: keys.contains { ($0.stringValue ?? $0.javaScriptString) == key }
        case .object(let object)?: object[key] != nil
        default: false
        }
        let effect = event.effect
        var asked: [(PropertyWrite.Operation, JSONValue?)] = []
        if setOnceValue != nil || effect?.setOnce.contains(key) == true { asked.append((.setOnce, setOnceValue)) }
        if setValue != nil || effect?.set.contains(key) == true { asked.append((.set, setValue)) }
        if unsets || effect?.unset.contains(key) == true { asked.append((.unset, nil)) }
        let skip = effect?.skipped.first { $0.key == key }
        return asked.map { operation, value in
            var write = PropertyWrite(at: event.timestamp, event: event.name, eventUUID: event.uuid, distinctID: event.distinctID,
                                      operation: operation, value: value, applied: false)
            guard let effect else {
                write.reason = .notRecorded
                return write
            }
            let written = switch operation {
            case .set: effect.set.contains(key)
            case .setOnce: effect.setOnce.contains(key)
            case .unset: effect.unset.contains(key)
            case .merge: false
            }
            if written {
                write.applied = true
            } else if effect.kind == .personless {
                write.reason = .personless
            } else if let skip, skip.reason == .sizeLimit
                        || (skip.reason == .alreadySet && operation == .setOnce)
                        || (skip.reason == .churnFilter && operation == .set) {
                write.reason = PropertyWrite.Reason(rawValue: skip.reason.rawValue)
            } else {
                write.reason = .unchanged
            }
            return write
        }
    }

    /// The value a merge gave `key`, when the merge changed it.
    static func write(of action: ActionRecord, key: String) -> PropertyWrite? {
        guard action.kind.isMerge, let after = action.details.targetAfterMerge,
              let before = action.details.targetBefore, after[key] != before.properties[key] else { return nil }
        return PropertyWrite(at: action.at, event: action.kind.rawValue, eventUUID: action.eventUUID, actionID: action.id,
                             operation: .merge, value: after[key], applied: action.undoneBy == nil,
                             reason: action.undoneBy == nil ? nil : .undone)
    }
}
