import Foundation
import IdentityCore
import Store

/// Everything the explorer shows, as one value: `update` changes it, `view` draws it.
public struct AppState: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// The store's file name, for the title bar.
    public var storeName: String
    /// Where `serve --explore`'s capture server listens ("http://127.0.0.1:8010"), for the screens
    /// that say where to send events; nil in a plain `identikit browse`.
    public var captureURL: String?
    /// The store as commands name it (`--db`), for hints to copy; nil in tests.
    public var storeLocation: String?
    public var stats: StoreStats?
    /// The navigation stack, each screen with its id; the last is on top.
    public private(set) var stack: [Presented] = []
    private var lastID: ScreenID = 0
    public var overlay: Overlay?
    public var input: InputLine?
    public var status: StatusLine?
    public var mark: MergeMark?
    /// Some query or write has run longer than a moment: the title bar shows a loading mark.
    public var busy = false
    public var quit = false

    public init(width: Int, height: Int, storeName: String = "") {
        self.width = width
        self.height = height
        self.storeName = storeName
        push(.persons(PersonsState()))
    }

    /// The screen on top; setting it changes that screen's state (it keeps its id).
    public var top: Screen {
        get { stack.last?.screen ?? .empty }
        set { if !stack.isEmpty { stack[stack.count - 1].screen = newValue } }
    }

    public var topID: ScreenID { stack.last?.id ?? 0 }
    public var screens: [Screen] { stack.map(\.screen) }

    /// Opens a screen on top, under a new id.
    public mutating func push(_ screen: Screen) {
        lastID += 1
        stack.append(Presented(id: lastID, screen: screen))
    }

    /// Replaces the whole stack with one new screen.
    public mutating func reset(to screen: Screen) {
        stack = []
        push(screen)
    }

    public mutating func pop() { stack.removeLast() }

    /// Writes a screen's new state back, if that screen is still on the stack.
    mutating func update(_ id: ScreenID, to screen: Screen) {
        if let index = stack.firstIndex(where: { $0.id == id }) { stack[index].screen = screen }
    }

    /// Whether the window is too small to use.
    public var isTooSmall: Bool { width < Layout.minWidth || height < Layout.minHeight }
}

/// A screen on the stack and its id, which its queries' answers carry back.
public struct Presented: Sendable, Equatable {
    public let id: ScreenID
    public var screen: Screen
}

/// Sizes shared by `update` (paging) and `view` (drawing).
public enum Layout {
    public static let minWidth = 60
    public static let minHeight = 15

    /// Rows of the list area on a screen (each feature says how many).
    public static func listRows(_ screen: Screen, height: Int) -> Int { screen.feature.listRows(height) }
}
