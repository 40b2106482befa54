import IdentityCore
import Store

/// Everything that can happen to the explorer: keys, resizes, data arriving, writes done.
public enum Message: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case statsLoaded(StoreStats)
    /// A screen's query answered: applied only if that screen is still the one shown.
    case screenData(ScreenID, any Sendable)
    /// A person to open, found from a warning or a command.
    case openPerson(reference: String)
    case mergePreviewLoaded(MergePreview)
    case groupMergePreviewLoaded(GroupMergePreview)
    case undoPreviewLoaded(UndoPreview)
    case splitPreviewLoaded(SplitPreview)
    case whyLinkedLoaded(a: String, b: String, [Link])
    /// A write or query finished: what to tell the user.
    case done(String)
    case failed(String)
    /// Another process committed to the store.
    case storeChanged(external: Bool)
    /// Whether some effect has been running for longer than a moment (the loading mark).
    case busy(Bool)
}
