import Foundation
import IdentityCore
import IdentityStore

/// Everything the explorer shows, as one value: `update` changes it, `view` draws it.
public struct AppState: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// The store's file name, for the title bar.
    public var storeName: String
    public var stats: StoreStats?
    /// The navigation stack; the last screen is on top.
    public var screens: [Screen]
    public var overlay: Overlay?
    public var input: InputLine?
    public var status: StatusLine?
    public var mark: MergeMark?
    public var quit = false

    public init(width: Int, height: Int, storeName: String = "") {
        self.width = width
        self.height = height
        self.storeName = storeName
        screens = [.persons(PersonsState())]
    }

    public var top: Screen { screens.last ?? .empty }

    /// Whether the window is too small to use.
    public var isTooSmall: Bool { width < Layout.minWidth || height < Layout.minHeight }
}

/// Sizes shared by `update` (paging) and `view` (drawing).
public enum Layout {
    public static let minWidth = 60
    public static let minHeight = 15

    /// Rows of the list area on a screen: everything but the title, column header, message and key bars.
    public static func listRows(_ screen: Screen, height: Int) -> Int {
        switch screen {
        case .detail: max(1, height - 7)
        case .warnings: max(1, height - 5)
        default: max(1, height - 4)
        }
    }
}
