import IdentityCore
import Store

/// What a confirmation dialog is about.
public enum Confirmation: Sendable, Equatable {
    /// The safe merge preview; Yes merges (or, when refused but forcible, goes on to the force dialog).
    case merge(MergePreview)
    /// The second, explicit confirmation for merging identified persons.
    case forceMerge(MergePreview)
    /// A whole duplicates group into one person; Yes merges, or asks again when identified persons are involved.
    case groupMerge(GroupMergePreview)
    /// The second confirmation of a group merge that joins two or more identified persons.
    case forceGroupMerge(GroupMergePreview)
    case undo(UndoPreview)
    case split(SplitPreview)
}

/// What undoing a merge would do, computed by the engine in a transaction that is rolled back.
public struct UndoPreview: Sendable, Equatable {
    public var action: ActionRecord
    public var movedBack: [String]
    public var leftInPlace: [String]
    public var keptKeys: [String]
    public init(action: ActionRecord, movedBack: [String], leftInPlace: [String], keptKeys: [String]) {
        self.action = action
        self.movedBack = movedBack
        self.leftInPlace = leftInPlace
        self.keptKeys = keptKeys
    }
}

public struct SplitPreview: Sendable, Equatable {
    public var person: String
    public var displayName: String
    public var distinctIDs: [String]
    public var remaining: [String]
    public init(person: String, displayName: String, distinctIDs: [String], remaining: [String]) {
        self.person = person
        self.displayName = displayName
        self.distinctIDs = distinctIDs
        self.remaining = remaining
    }
}

/// A dialog with No / Yes buttons; No has the focus until the user moves it.
public struct Dialog: Sendable, Equatable {
    public var confirmation: Confirmation
    public var yesFocused = false
    public var offset = 0
    public init(_ confirmation: Confirmation) { self.confirmation = confirmation }
}

/// Something drawn over the screen.
public enum Overlay: Sendable, Equatable {
    /// The keys, scrolled down by `offset` lines (the whole list is taller than 80x24).
    case help(offset: Int)
    case dialog(Dialog)
    /// Scrollable text: a full JSON value, an event, a "why linked" chain.
    case viewer(title: String, lines: [String], offset: Int)
    /// A pick among distinct IDs whose persons to open (a warning that names several).
    case choice(PersonChoice)
}

/// Which of several distinct IDs' persons to open; the selected one opens on Enter.
public struct PersonChoice: Sendable, Equatable {
    public var title: String
    public var distinctIDs: [String]
    public var selected = 0
    public init(title: String, distinctIDs: [String]) {
        self.title = title
        self.distinctIDs = distinctIDs
    }
}

/// The line being typed at the bottom: a search or a command.
public struct InputLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case search, command, warningFilter, liveFilter }
    public var kind: Kind
    public var text: String = ""
    public init(kind: Kind, text: String = "") {
        self.kind = kind
        self.text = text
    }
    public var prompt: String {
        switch kind {
        case .search: "/"
        case .command: ":"
        case .warningFilter: "filter: "
        case .liveFilter: "filter (distinct ID or event): "
        }
    }
}

/// The message line: what just happened, or what went wrong.
public struct StatusLine: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// A person picked as the source of a merge, waiting for a target.
public struct MergeMark: Sendable, Equatable {
    /// A distinct ID or a person uuid.
    public var reference: String
    public var displayName: String
    public init(reference: String, displayName: String) {
        self.reference = reference
        self.displayName = displayName
    }
}
