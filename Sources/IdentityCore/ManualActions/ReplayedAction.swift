import Foundation

/// A manual merge, undo or split written by `identikit export` between the events, so that
/// ingesting an export into an empty store reproduces the store it came from.
///
/// Shape: `{"$identikit_action": "merge", "target": ID, "source": ID, "force": bool, "at": time}`,
/// `{"$identikit_action": "undo", "merge_id": N, "person": UUID, "at": time}` (`person`: the person the
/// merge removed, which names the merge in any store, whatever its action numbers),
/// `{"$identikit_action": "split", "person": ID, "ids": [ID...], "at": time}`.
public struct ReplayedAction: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case merge(target: String, source: String, force: Bool)
        /// `person`, the uuid of the person the merge removed, names the merge in any store (a
        /// PostgreSQL store numbers actions with gaps); `mergeID` is the exporting store's number,
        /// used when an older export names no person.
        case undo(mergeID: Int64, person: UUID?)
        case split(person: String, ids: [String])
    }

    public static let key = "$identikit_action"

    public var kind: Kind
    public var at: Date

    public init(kind: Kind, at: Date) {
        self.kind = kind
        self.at = at
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    init(_ object: [String: JSONValue]) throws {
        guard let at = object["at"]?.stringValue.flatMap(Timestamp.parse) else {
            throw Malformed(description: "replayed action needs an ISO-8601 \"at\"")
        }
        self.at = at
        switch object[Self.key]?.stringValue {
        case "merge":
            guard let target = object["target"]?.stringValue, let source = object["source"]?.stringValue else {
                throw Malformed(description: "replayed merge needs \"target\" and \"source\" distinct IDs")
            }
            kind = .merge(target: target, source: source, force: object["force"] == .bool(true))
        case "undo":
            guard case .int(let id)? = object["merge_id"] else { throw Malformed(description: "replayed undo needs a numeric \"merge_id\"") }
            kind = .undo(mergeID: id, person: object["person"]?.stringValue.flatMap(UUID.init(text:)))
        case "split":
            guard let person = object["person"]?.stringValue, let ids = object["ids"]?.arrayValue?.compactMap(\.stringValue),
                  !ids.isEmpty else {
                throw Malformed(description: "replayed split needs \"person\" and a list of \"ids\"")
            }
            kind = .split(person: person, ids: ids)
        case let other:
            throw Malformed(description: "unknown replayed action \(other.map(Escaping.quoted) ?? "(not a string)")")
        }
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["at": .string(Timestamp.format(at))]
        switch kind {
        case .merge(let target, let source, let force):
            object[Self.key] = "merge"
            object["target"] = .string(target)
            object["source"] = .string(source)
            object["force"] = .bool(force)
        case .undo(let mergeID, let person):
            object[Self.key] = "undo"
            object["merge_id"] = .int(mergeID)
            if let person { object["person"] = .string(person.lowercased) }
        case .split(let person, let ids):
            object[Self.key] = "split"
            object["person"] = .string(person)
            object["ids"] = .array(ids.map(JSONValue.string))
        }
        return .object(object)
    }
}

extension IdentityEngine {
    /// Performs a replayed action; one that no longer applies becomes a warning instead of stopping the ingest.
    func replay(_ action: ReplayedAction, in storage: some IdentityStorage, now: Date) throws -> EventOutcome {
        do {
            switch action.kind {
            case .merge(let target, let source, let force):
                try manualMerge(target: target, source: source, force: force, in: storage, now: action.at)
                return EventOutcome(status: .action, merges: 1)
            case .undo(let mergeID, let person):
                let merge = try person.flatMap { try storage.mergeThatRemoved($0) } ?? mergeID
                _ = try undo(merge, in: storage, now: action.at)
            case .split(let person, let ids):
                try split(person: person, distinctIDs: ids, in: storage, now: action.at)
            }
            return EventOutcome(status: .action)
        } catch let error as IdentityError {
            let warning = IngestionWarning(type: .invalidEvent, createdAt: now, eventUUID: nil, distinctIDs: [],
                                           details: ["reason": .string("replayed action failed: \(error)")],
                                           raw: JSONCoding.string(action.jsonValue))
            try storage.insertWarning(warning)
            return EventOutcome(status: .invalid, warnings: [.invalidEvent])
        }
    }
}
