import Foundation
import IdentityCore
import Store

/// The explorer's one state transition: `update(state, message) -> (state, effects)`. Pure: no I/O.
/// It owns what every screen shares (overlays, the input line, the stack, merge marks) and hands
/// the rest to the top screen's feature, the way a parent scopes a child.
public enum Reducer {
    public static let pageSize = 100

    public static func update(_ state: AppState, _ message: Message) -> (AppState, [Effect]) {
        var state = state
        let effects = apply(message, to: &state)
        return (state, effects)
    }

    /// The effects that open the explorer.
    public static func start(_ state: AppState) -> [Effect] {
        [.loadStats] + reload(state)
    }

    static func apply(_ message: Message, to state: inout AppState) -> [Effect] {
        switch message {
        case .key(let key): return handleKey(key, &state)
        case .resize(let width, let height):
            state.width = width
            state.height = height
            state.top = state.top.feature.rescrolled(height)
            return []
        case .storeChanged(let external):
            if external { state.status = StatusLine("store changed by another process: refreshed") }
            return [.loadStats] + reload(state)
        case .done(let text):
            state.status = StatusLine(text)
            state.mark = nil
            return [.loadStats] + reload(state)
        case .failed(let text):
            state.status = StatusLine(text, isError: true)
            return []
        case .busy(let busy):
            state.busy = busy
            return []
        case .statsLoaded(let stats):
            return statsLoaded(stats, &state)
        case .screenData(let id, let data):
            // An answer for a screen that is no longer shown is dropped; going back reloads it.
            guard id == state.topID else { return [] }
            return scoped(&state) { feature, app in feature.receive(data, &app).map { ($0.0, $0.1) } } ?? []
        case .openPerson(let reference):
            return open(.detail(DetailState(reference: reference)), &state)
        case .mergePreviewLoaded(let preview):
            state.overlay = .dialog(Dialog(.merge(preview)))
        case .groupMergePreviewLoaded(let preview):
            state.overlay = .dialog(Dialog(.groupMerge(preview)))
        case .undoPreviewLoaded(let preview):
            state.overlay = .dialog(Dialog(.undo(preview)))
        case .splitPreviewLoaded(let preview):
            state.overlay = .dialog(Dialog(.split(preview)))
        case .whyLinkedLoaded(let a, let b, let links):
            state.overlay = .viewer(title: "why \(a) and \(b) are one person", lines: Format.whyLines(a, b, links), offset: 0)
        }
        return []
    }

    /// The counts in the key bar; an empty store shows the welcome screen until events arrive.
    static func statsLoaded(_ stats: StoreStats, _ state: inout AppState) -> [Effect] {
        state.stats = stats
        let isEmpty = stats.persons == 0 && stats.events == 0 && stats.warnings == 0
        if isEmpty, state.stack.count == 1, case .persons = state.top { state.reset(to: .empty) }
        if !isEmpty, case .empty = state.top {
            state.reset(to: .persons(PersonsState()))
            return reload(state)
        }
        return []
    }

    /// Runs `body` on the top screen's feature and writes the screen's new state back (if the
    /// screen is still there: the body may have opened another on top). Queries it asks for are
    /// tagged with the screen's id. Nil when the feature did not take the message.
    static func scoped(_ state: inout AppState,
                       _ body: (AnyScreen, inout AppState) -> (Screen, [Effect]?)?) -> [Effect]? {
        let id = state.topID
        guard let (screen, effects) = body(state.top.feature, &state) else { return nil }
        state.update(id, to: screen)
        return effects?.map { $0.tagged(id) }
    }

    // MARK: keys

    static func handleKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        // An error stays until it is read, but not onto another screen, where it would look like
        // that screen's: a key that moves to another screen clears a message it did not set.
        let statusBefore = state.status, screenBefore = state.topID
        let effects = handleKeyOnScreen(key, &state)
        if state.topID != screenBefore, state.status != nil, state.status == statusBefore { state.status = nil }
        return effects
    }

    static func handleKeyOnScreen(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .ctrl("c") { state.quit = true; return [] }
        if state.isTooSmall {
            if key == .char("q") { state.quit = true }
            return []
        }
        // A click on the key bar is a press of the key under it.
        if case .click(let row, let column) = key, row == state.height - 1 {
            guard let pressed = KeyBar.key(atColumn: column, hints: Chrome.keys(state)) else { return [] }
            return handleKeyOnScreen(pressed, &state)
        }
        if let overlay = state.overlay { return OverlayKeys.handle(key, overlay, &state) }
        if state.input != nil { return InputKeys.handle(key, &state) }
        // The message line is for the last thing that happened; a new key clears a non-error one.
        if state.status?.isError == false { state.status = nil }
        if let handled = scoped(&state, { feature, app in feature.run(key, &app) }) { return handled }
        return globalKey(key, &state)
    }

    static func globalKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        switch key {
        case .char("?"):
            state.overlay = .help(offset: 0)
        case .char(":"):
            state.input = InputLine(kind: .command)
        case .char("r"):
            state.status = StatusLine("refreshed")
            return [.loadStats] + reload(state)
        case .escape where state.mark != nil:
            state.mark = nil
            state.status = StatusLine("merge mark cleared")
        case .char("q"), .escape:
            return back(&state, quitAtTop: key == .char("q"))
        case .char("W"):
            return open(.warningGroups(WarningGroupsState()), &state)
        case .char("D"):
            return open(.duplicates(DuplicatesState()), &state)
        case .char("H"):
            return open(.posthog(PostHogState()), &state)
        case .char("S"):
            return open(.suspects(SuspectsState()), &state)
        case .char("L"):
            if case .live = state.top { return [] }
            return open(.live(LiveState()), &state)
        case .char("P"):
            return replaceAll(with: .persons(PersonsState()), &state)
        default:
            break
        }
        return []
    }

    /// Pops a screen (reloading the one below, so it shows what changed meanwhile); quits at the top.
    static func back(_ state: inout AppState, quitAtTop: Bool) -> [Effect] {
        if state.stack.count > 1 {
            state.pop()
            return reload(state)
        }
        if quitAtTop { state.quit = true }
        return []
    }

    static func open(_ screen: Screen, _ state: inout AppState) -> [Effect] {
        state.push(screen)
        return reload(state)
    }

    static func replaceAll(with screen: Screen, _ state: inout AppState) -> [Effect] {
        state.reset(to: screen)
        return reload(state)
    }

    /// The queries that refill the top screen, tagged with its id.
    static func reload(_ state: AppState) -> [Effect] {
        state.top.feature.reload().map { $0.tagged(state.topID) }
    }

    /// The search or filter line changed: the top screen follows it.
    static func liveInput(_ text: String, _ state: inout AppState) -> [Effect] {
        scoped(&state) { feature, _ in
            let (screen, effects) = feature.input(text)
            return (screen, effects)
        } ?? []
    }

    // MARK: merge marks

    /// `m`: the first press marks a merge source, the second (on another person) previews merging it into that one.
    static func markForMerge(reference: String, displayName: String, _ state: inout AppState) -> [Effect] {
        if let mark = state.mark {
            if mark.reference == reference {
                state.mark = nil
                state.status = StatusLine("merge mark cleared")
                return []
            }
            return [.previewMerge(target: reference, source: mark.reference)]
        }
        state.mark = MergeMark(reference: reference, displayName: displayName)
        state.status = StatusLine("marked \(displayName) as the merge source: select the target and press m (Esc cancels)")
        return []
    }
}
