/// Why a manual action or a store operation could not be done. Each message
/// names the thing at fault so the person can act on it.
public enum IdentityError: Error, Equatable, CustomStringConvertible {
    case unknownDistinctID(String)
    case unknownPerson(String)
    case unknownAction(Int64)
    case notAMerge(Int64, ActionKind)
    case alreadyUndone(Int64, by: Int64)
    case targetGone(Int64, mergedAway: Int64?)
    case sourceUUIDTaken(Int64)
    case nothingToMoveBack(Int64)
    case partOfGroup(Int64, group: Int64)
    case samePerson(String, String)
    case differentPersons(String, String)
    case mergeRefused(String)
    case splitNeedsIDs
    case splitWouldEmpty(String)
    case splitIDNotOnPerson(String)
    case storeInconsistent(String)

    public var description: String {
        switch self {
        case .unknownDistinctID(let id): "no person has the distinct ID \(Escaping.quoted(id))"
        case .unknownPerson(let id): "no person has the id or distinct ID \(Escaping.quoted(id))"
        case .unknownAction(let id): "no merge, undo or split has the id \(id)"
        case .notAMerge(let id, let kind): "action \(id) is a \(kind.rawValue), not a merge; only merges can be undone"
        case .alreadyUndone(let id, let by): "merge \(id) was already undone by action \(by)"
        case .targetGone(let id, let later?):
            "merge \(id) cannot be undone: its surviving person was merged away later by merge \(later); undo that one first"
        case .targetGone(let id, nil): "merge \(id) cannot be undone: its surviving person no longer exists"
        case .sourceUUIDTaken(let id): "merge \(id) cannot be undone: a person with the merged-away person's id exists again"
        case .nothingToMoveBack(let id): "merge \(id) cannot be undone: none of the distinct IDs it moved are still on the person"
        case .partOfGroup(let id, let group):
            "merge \(id) is part of group merge \(group); undo the group (identikit undo \(group)) to undo it"
        case .samePerson(let a, let b): "\(Escaping.quoted(a)) and \(Escaping.quoted(b)) already belong to the same person"
        case .differentPersons(let a, let b): "\(Escaping.quoted(a)) and \(Escaping.quoted(b)) belong to different persons"
        case .mergeRefused(let why): "merge refused: \(why)"
        case .splitNeedsIDs: "split needs at least one distinct ID to move"
        case .splitWouldEmpty(let person): "split would leave person \(person) without any distinct ID; keep at least one"
        case .splitIDNotOnPerson(let id): "distinct ID \(Escaping.quoted(id)) is not on this person"
        case .storeInconsistent(let what): "the store is inconsistent: \(what) (run `identikit check`)"
        }
    }
}
