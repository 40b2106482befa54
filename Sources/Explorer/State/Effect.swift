/// Work `update` asks for; the runner does each in its own task and answers with messages.
public enum Effect: Sendable, Equatable {
    case loadStats
    /// A screen's own query (its feature says what it runs); the answer goes back to that screen only.
    case query(ScreenQuery)
    /// Finds the person behind a warning's distinct IDs and opens it.
    case openPersonOf(distinctIDs: [String])
    case previewMerge(target: String, source: String)
    case merge(target: String, source: String, force: Bool)
    /// Previews merging every person of a duplicates group (those sharing `property` = `value`) into one.
    case previewGroupMerge(property: String, value: String)
    /// Merges the persons (uuids) into one as one action; `force` when identified persons are among them.
    case groupMerge(references: [String], force: Bool)
    case previewUndo(actionID: Int64)
    case undo(actionID: Int64)
    case previewSplit(person: String, displayName: String, distinctIDs: [String])
    case split(person: String, distinctIDs: [String])
    case whyLinked(String, String)

    /// Gives a screen query that has no screen yet the id of the screen it came from.
    func tagged(_ screen: ScreenID) -> Effect {
        guard case .query(var query) = self, query.screen == nil else { return self }
        query.screen = screen
        return .query(query)
    }
}
