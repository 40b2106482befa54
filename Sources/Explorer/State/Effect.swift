import IdentityStore

/// Work `update` asks for; the runner does it against the store and answers with messages.
public enum Effect: Sendable, Equatable {
    case loadStats
    case loadPersons(order: PersonOrder, after: PersonCursor?, limit: Int, append: Bool, keep: Int64?)
    case search(String)
    case loadDetail(reference: String)
    case loadEvents(reference: String, personID: Int64, before: Int64?, append: Bool)
    case loadWarningGroups
    case loadWarnings(type: WarningTypeName?, filter: String, before: Int64?, append: Bool)
    case loadDuplicates(property: String)
    case loadDuplicateMembers(property: String, value: String)
    /// Finds the person behind a warning's distinct IDs and opens it.
    case openPersonOf(distinctIDs: [String])
    case previewMerge(target: String, source: String)
    case merge(target: String, source: String, force: Bool)
    case previewUndo(actionID: Int64)
    case undo(actionID: Int64)
    case previewSplit(person: String, displayName: String, distinctIDs: [String])
    case split(person: String, distinctIDs: [String])
    case whyLinked(String, String)
}

/// A warning type's raw name (keeps `Effect` free of the core's enums for easy comparison in tests).
public typealias WarningTypeName = String
