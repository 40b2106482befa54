import Foundation
import IdentityCore
import IdentityStore

/// The explorer's one state transition: `update(state, message) -> (state, effects)`. Pure: no I/O.
public enum Reducer {
    public static let pageSize = 100

    public static func update(_ state: AppState, _ message: Message) -> (AppState, [Effect]) {
        var state = state
        let effects = apply(message, to: &state)
        return (state, effects)
    }

    /// The effects that open the explorer.
    public static func start(_ state: AppState) -> [Effect] {
        [.loadStats] + reload(state.top)
    }

    static func apply(_ message: Message, to state: inout AppState) -> [Effect] {
        switch message {
        case .key(let key): return handleKey(key, &state)
        case .resize(let width, let height):
            state.width = width
            state.height = height
            rescrollTop(&state)
            return []
        case .storeChanged(let external):
            if external { state.status = StatusLine("store changed by another process: refreshed") }
            return [.loadStats] + reload(state.top, keepSelection: true)
        case .done(let text):
            state.status = StatusLine(text)
            state.mark = nil
            return [.loadStats] + reload(state.top, keepSelection: true)
        case .failed(let text):
            state.status = StatusLine(text, isError: true)
            return []
        default:
            return DataMessages.apply(message, to: &state)
        }
    }

    // MARK: keys

    static func handleKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .ctrl("c") { state.quit = true; return [] }
        if state.isTooSmall {
            if key == .char("q") { state.quit = true }
            return []
        }
        if let overlay = state.overlay { return OverlayKeys.handle(key, overlay, &state) }
        if state.input != nil { return InputKeys.handle(key, &state) }
        // The message line is for the last thing that happened; a new key clears a non-error one.
        if state.status?.isError == false { state.status = nil }
        let index = state.screens.count - 1
        let handled: [Effect]?
        switch state.top {
        case .persons(var screen):
            handled = ScreenKeys.persons(key, &screen, &state)
            state.screens[index] = .persons(screen)
        case .detail(var screen):
            handled = ScreenKeys.detail(key, &screen, &state)
            state.screens[index] = .detail(screen)
        case .warningGroups(var screen):
            handled = ScreenKeys.warningGroups(key, &screen, &state)
            state.screens[index] = .warningGroups(screen)
        case .warnings(var screen):
            handled = ScreenKeys.warnings(key, &screen, &state)
            state.screens[index] = .warnings(screen)
        case .duplicates(var screen):
            handled = ScreenKeys.duplicates(key, &screen, &state)
            state.screens[index] = .duplicates(screen)
        case .duplicateMembers(var screen):
            handled = ScreenKeys.duplicateMembers(key, &screen, &state)
            state.screens[index] = .duplicateMembers(screen)
        case .empty:
            handled = nil
        }
        if let handled { return handled }
        return globalKey(key, &state)
    }

    static func globalKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        switch key {
        case .char("?"):
            state.overlay = .help
        case .char(":"):
            state.input = InputLine(kind: .command)
        case .char("r"):
            state.status = StatusLine("refreshed")
            return [.loadStats] + reload(state.top, keepSelection: true)
        case .escape where state.mark != nil:
            state.mark = nil
            state.status = StatusLine("merge mark cleared")
        case .char("q"), .escape:
            return back(&state, quitAtTop: key == .char("q"))
        case .char("W"):
            return open(.warningGroups(WarningGroupsState()), &state)
        case .char("D"):
            return open(.duplicates(DuplicatesState()), &state)
        case .char("P"):
            state.screens = [.persons(PersonsState())]
            return reload(state.top)
        default:
            break
        }
        return []
    }

    /// Pops a screen (reloading the one below, so it shows what changed meanwhile); quits at the top.
    static func back(_ state: inout AppState, quitAtTop: Bool) -> [Effect] {
        if state.screens.count > 1 {
            state.screens.removeLast()
            return reload(state.top, keepSelection: true)
        }
        if quitAtTop { state.quit = true }
        return []
    }

    static func open(_ screen: Screen, _ state: inout AppState) -> [Effect] {
        state.screens.append(screen)
        return reload(screen)
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

    // MARK: reloading

    /// The queries that refill a screen, keeping its selection when asked.
    static func reload(_ screen: Screen, keepSelection: Bool = false) -> [Effect] {
        switch screen {
        case .persons(let p):
            if let search = p.search { return [.search(search)] }
            let limit = keepSelection ? min(max(pageSize, p.rows.count), 2000) : pageSize
            return [.loadPersons(order: p.order, after: nil, limit: limit, append: false,
                                 keep: keepSelection ? p.selectedPerson?.id : nil)]
        case .detail(let d):
            var effects: [Effect] = [.loadDetail(reference: d.reference)]
            if let id = d.detail?.person.rowID {
                effects.append(.loadEvents(reference: d.reference, personID: id, before: nil, append: false))
            }
            return effects
        case .warningGroups: return [.loadWarningGroups]
        case .warnings(let w): return [.loadWarnings(type: w.type?.rawValue, filter: w.filter, before: nil, append: false)]
        case .duplicates(let d): return [.loadDuplicates(property: d.property)]
        case .duplicateMembers(let m): return [.loadDuplicateMembers(property: m.property, value: m.value)]
        case .empty: return [.loadPersons(order: .firstSeen, after: nil, limit: pageSize, append: false, keep: nil)]
        }
    }

    static func rescrollTop(_ state: inout AppState) {
        let index = state.screens.count - 1
        guard index >= 0 else { return }
        let visible = Layout.listRows(state.top, height: state.height)
        switch state.top {
        case .persons(var p): p.cursor.scroll(visible: visible, count: p.rows.count); state.screens[index] = .persons(p)
        case .detail(var d):
            var c = d.cursor
            c.scroll(visible: visible, count: d.rowCount(d.tab))
            d.cursor = c
            state.screens[index] = .detail(d)
        case .warningGroups(var g): g.cursor.scroll(visible: visible, count: g.groups.count); state.screens[index] = .warningGroups(g)
        case .warnings(var w): w.cursor.scroll(visible: visible, count: w.warnings.count); state.screens[index] = .warnings(w)
        case .duplicates(var d): d.cursor.scroll(visible: visible, count: d.groups.count); state.screens[index] = .duplicates(d)
        case .duplicateMembers(var m): m.cursor.scroll(visible: visible, count: m.rows.count); state.screens[index] = .duplicateMembers(m)
        case .empty: break
        }
    }
}
