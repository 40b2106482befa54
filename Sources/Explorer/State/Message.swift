import IdentityCore
import IdentityStore

/// Everything that can happen to the explorer: keys, resizes, data arriving, writes done.
public enum Message: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case statsLoaded(StoreStats)
    case personsLoaded(PersonPage, append: Bool, keep: Int64?)
    case searchLoaded(query: String, [PersonSummary])
    case detailLoaded(reference: String, PersonDetail?)
    case eventsLoaded(reference: String, [StoredEvent], append: Bool)
    case warningGroupsLoaded([WarningGroup])
    case warningsLoaded([IngestionWarning], append: Bool)
    case duplicatesLoaded([DuplicateGroup])
    case duplicateMembersLoaded([PersonSummary])
    /// A person to open, found from a warning or a command.
    case openPerson(reference: String)
    case mergePreviewLoaded(MergePreview)
    case undoPreviewLoaded(UndoPreview)
    case splitPreviewLoaded(SplitPreview)
    case whyLinkedLoaded(a: String, b: String, [Link])
    /// A write or query finished: what to tell the user.
    case done(String)
    case failed(String)
    /// Another process (or this one) committed to the store.
    case storeChanged(external: Bool)
}
