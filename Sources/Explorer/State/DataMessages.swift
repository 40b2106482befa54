import IdentityCore
import IdentityStore

/// Data arriving from the store, folded into the screens that asked for it.
enum DataMessages {
    static func apply(_ message: Message, to state: inout AppState) -> [Effect] {
        let index = state.screens.count - 1
        let visible = Layout.listRows(state.top, height: state.height)
        switch (message, state.top) {
        case (.statsLoaded(let stats), _):
            state.stats = stats
            let isEmpty = stats.persons == 0 && stats.events == 0 && stats.warnings == 0
            if isEmpty, state.screens.count == 1, case .persons = state.top { state.screens = [.empty] }
            if !isEmpty, case .empty = state.top {
                state.screens = [.persons(PersonsState())]
                return Reducer.reload(state.top)
            }
        case (.personsLoaded(let page, let append, let keep), .persons(var p)):
            let previous = p.selectedPerson?.id
            p.rows = append ? p.rows + page.persons : page.persons
            p.next = page.next
            p.loaded = true
            if let keep = keep ?? (append ? nil : previous), let row = p.rows.firstIndex(where: { $0.id == keep }) {
                p.cursor.select(row, count: p.rows.count, visible: visible)
            } else {
                p.cursor.select(p.cursor.selected, count: p.rows.count, visible: visible)
            }
            state.screens[index] = .persons(p)
        case (.searchLoaded(let query, let rows), .persons(var p)) where p.search == query:
            let previous = p.selectedPerson?.id
            p.rows = rows
            p.next = nil
            p.loaded = true
            let row = previous.flatMap { id in rows.firstIndex { $0.id == id } } ?? p.cursor.selected
            p.cursor.select(row, count: rows.count, visible: visible)
            state.screens[index] = .persons(p)
        case (.detailLoaded(let reference, let detail), .detail(var d)) where d.reference == reference:
            d.detail = detail
            d.missing = detail == nil
            if let detail { d.reference = detail.person.uuid.lowercased }
            d.pickedIDs = d.pickedIDs.filter { id in detail?.distinctIDs.contains { $0.distinctID == id } ?? false }
            for tab in DetailTab.allCases where tab != .events {
                d.cursors[tab.rawValue].select(d.cursors[tab.rawValue].selected, count: d.rowCount(tab), visible: visible)
            }
            state.screens[index] = .detail(d)
            if let id = detail?.person.rowID, d.events.isEmpty {
                return [.loadEvents(reference: d.reference, personID: id, before: nil, append: false)]
            }
        case (.eventsLoaded(let reference, let events, let append), .detail(var d)) where d.reference == reference:
            d.events = append ? d.events + events : events
            d.eventsExhausted = events.count < Reducer.pageSize
            var cursor = d.cursors[DetailTab.events.rawValue]
            cursor.select(cursor.selected, count: d.events.count, visible: visible)
            d.cursors[DetailTab.events.rawValue] = cursor
            state.screens[index] = .detail(d)
        case (.warningGroupsLoaded(let groups), .warningGroups(var g)):
            g.groups = groups
            g.loaded = true
            g.cursor.select(g.cursor.selected, count: groups.count, visible: visible)
            state.screens[index] = .warningGroups(g)
        case (.warningsLoaded(let warnings, let append), .warnings(var w)):
            w.warnings = append ? w.warnings + warnings : warnings
            w.exhausted = warnings.count < Reducer.pageSize
            w.cursor.select(w.cursor.selected, count: w.warnings.count, visible: visible)
            state.screens[index] = .warnings(w)
        case (.duplicatesLoaded(let groups), .duplicates(var d)):
            d.groups = groups
            d.loaded = true
            d.cursor.select(d.cursor.selected, count: groups.count, visible: visible)
            state.screens[index] = .duplicates(d)
        case (.duplicateMembersLoaded(let rows), .duplicateMembers(var m)):
            m.rows = rows
            m.cursor.select(m.cursor.selected, count: rows.count, visible: visible)
            state.screens[index] = .duplicateMembers(m)
        case (.openPerson(let reference), _):
            return Reducer.open(.detail(DetailState(reference: reference)), &state)
        case (.mergePreviewLoaded(let preview), _):
            state.overlay = .dialog(Dialog(.merge(preview)))
        case (.undoPreviewLoaded(let preview), _):
            state.overlay = .dialog(Dialog(.undo(preview)))
        case (.splitPreviewLoaded(let preview), _):
            state.overlay = .dialog(Dialog(.split(preview)))
        case (.whyLinkedLoaded(let a, let b, let links), _):
            state.overlay = .viewer(title: "why \(a) and \(b) are one person", lines: Format.whyLines(a, b, links), offset: 0)
        default:
            break
        }
        return []
    }
}
