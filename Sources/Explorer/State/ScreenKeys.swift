import Foundation
import IdentityCore
import IdentityStore

/// Keys that belong to one screen. Each returns nil when the key is not the screen's, so global keys apply.
enum ScreenKeys {
    static func persons(_ key: Key, _ p: inout PersonsState, _ state: inout AppState) -> [Effect]? {
        let visible = Layout.listRows(.persons(p), height: state.height)
        if case .click(let row) = key {
            p.cursor.select(p.cursor.offset + row - 2, count: p.rows.count, visible: visible)
            return []
        }
        if p.cursor.handle(key, count: p.rows.count, visible: visible) { return prefetch(p) }
        switch key {
        case .enter:
            guard let person = p.selectedPerson else { return [] }
            let reference = person.uuid.lowercased
            state.screens.append(.detail(DetailState(reference: reference)))
            return [.loadDetail(reference: reference)]
        case .char("/"):
            state.input = InputLine(kind: .search, text: p.search ?? "")
            return []
        case .char("n"):
            p.cursor.move(by: 1, count: p.rows.count, visible: visible)
            return prefetch(p)
        case .char("N"):
            p.cursor.move(by: -1, count: p.rows.count, visible: visible)
            return []
        case .escape where p.search != nil && state.mark == nil:
            p.search = nil
            p.cursor = ListCursor()
            return [.loadPersons(order: p.order, after: nil, limit: Reducer.pageSize, append: false, keep: nil)]
        case .char("o"):
            let all = PersonOrder.allCases
            p.order = all[(all.firstIndex(of: p.order)! + 1) % all.count]
            p.search = nil
            p.cursor = ListCursor()
            state.status = StatusLine("sorted by \(p.order.title)")
            return [.loadPersons(order: p.order, after: nil, limit: Reducer.pageSize, append: false, keep: nil)]
        case .char("m"):
            guard let person = p.selectedPerson else { return [] }
            return Reducer.markForMerge(reference: person.uuid.lowercased, displayName: person.displayName, &state)
        case .char("w"):
            return Reducer.open(.warningGroups(WarningGroupsState()), &state)
        case .char("d"):
            return Reducer.open(.duplicates(DuplicatesState()), &state)
        default:
            return nil
        }
    }

    /// Asks for the next page when the selection nears the end of what is loaded.
    static func prefetch(_ p: PersonsState) -> [Effect] {
        guard p.search == nil, let next = p.next, p.cursor.selected >= p.rows.count - 20 else { return [] }
        return [.loadPersons(order: p.order, after: next, limit: Reducer.pageSize, append: true, keep: nil)]
    }

    static func detail(_ key: Key, _ d: inout DetailState, _ state: inout AppState) -> [Effect]? {
        let visible = Layout.listRows(.detail(d), height: state.height)
        switch key {
        case .tab: return switchTab(&d, DetailTab(rawValue: (d.tab.rawValue + 1) % 4)!)
        case .backTab: return switchTab(&d, DetailTab(rawValue: (d.tab.rawValue + 3) % 4)!)
        case .char(let c) where ("1"..."4").contains(c):
            return switchTab(&d, DetailTab(rawValue: Int(String(c))! - 1)!)
        case .click(let row):
            var cursor = d.cursor
            cursor.select(cursor.offset + row - 4, count: d.rowCount(d.tab), visible: visible)
            d.cursor = cursor
            return []
        default: break
        }
        var cursor = d.cursor
        if cursor.handle(key, count: d.rowCount(d.tab), visible: visible) {
            d.cursor = cursor
            return d.tab == .events ? prefetchEvents(d) : []
        }
        guard let detail = d.detail else { return nil }
        let selected = d.cursor.selected
        switch (d.tab, key) {
        case (.properties, .enter):
            let keys = d.propertyKeys
            guard keys.indices.contains(selected) else { return [] }
            let name = keys[selected]
            var lines = JSONCoding.string(detail.person.properties[name] ?? .null, pretty: true)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if let source = detail.person.provenance[name] {
                lines += ["", "last written by \(source.operation.rawValue) in \(source.event) at \(Format.time(source.at))",
                          "event \(source.eventUUID?.lowercased ?? "-")"]
            }
            state.overlay = .viewer(title: "property \(name)", lines: lines, offset: 0)
            return []
        case (.events, .enter):
            guard d.events.indices.contains(selected) else { return [] }
            let event = d.events[selected]
            state.overlay = .viewer(title: "event \(event.name)", lines: Format.eventLines(event), offset: 0)
            return []
        case (.distinctIDs, .char(" ")), (.distinctIDs, .char("x")):
            guard detail.distinctIDs.indices.contains(selected) else { return [] }
            let id = detail.distinctIDs[selected].distinctID
            if let at = d.pickedIDs.firstIndex(of: id) { d.pickedIDs.remove(at: at) } else { d.pickedIDs.append(id) }
            cursor.move(by: 1, count: detail.distinctIDs.count, visible: visible)
            d.cursor = cursor
            return []
        case (.distinctIDs, .char("s")):
            var ids = d.pickedIDs
            if ids.isEmpty, detail.distinctIDs.indices.contains(selected) { ids = [detail.distinctIDs[selected].distinctID] }
            guard !ids.isEmpty else { return [] }
            return [.previewSplit(person: d.reference, displayName: Format.displayName(detail), distinctIDs: ids)]
        case (.distinctIDs, .char("w")), (.distinctIDs, .enter):
            var pair = d.pickedIDs
            if pair.count < 2, detail.distinctIDs.indices.contains(selected) {
                let id = detail.distinctIDs[selected].distinctID
                if !pair.contains(id) { pair.append(id) }
                if pair.count < 2, let other = detail.distinctIDs.first(where: { $0.distinctID != id }) { pair.insert(other.distinctID, at: 0) }
            }
            guard pair.count >= 2 else {
                state.status = StatusLine("this person has one distinct ID: nothing links it to another")
                return []
            }
            return [.whyLinked(pair[pair.count - 2], pair[pair.count - 1])]
        case (.history, .char("u")):
            guard detail.history.indices.contains(selected) else { return [] }
            let action = detail.history[selected]
            guard action.kind.isMerge, let id = action.id else {
                state.status = StatusLine("only merges can be undone", isError: true)
                return []
            }
            guard action.undoneBy == nil else {
                state.status = StatusLine("merge \(id) was already undone by action \(action.undoneBy!)", isError: true)
                return []
            }
            return [.previewUndo(actionID: id)]
        case (.history, .enter):
            guard detail.history.indices.contains(selected) else { return [] }
            state.overlay = .viewer(title: "action \(detail.history[selected].id ?? 0)",
                                    lines: Format.actionLines(detail.history[selected]), offset: 0)
            return []
        case (_, .char("m")):
            return Reducer.markForMerge(reference: d.reference, displayName: Format.displayName(detail), &state)
        case (_, .char("w")):
            return Reducer.open(.warningGroups(WarningGroupsState()), &state)
        default:
            return nil
        }
    }

    static func switchTab(_ d: inout DetailState, _ tab: DetailTab) -> [Effect] {
        d.tab = tab
        if tab == .events, d.events.isEmpty, !d.eventsExhausted, let id = d.detail?.person.rowID {
            return [.loadEvents(reference: d.reference, personID: id, before: nil, append: false)]
        }
        return []
    }

    static func prefetchEvents(_ d: DetailState) -> [Effect] {
        guard !d.eventsExhausted, let id = d.detail?.person.rowID, d.cursor.selected >= d.events.count - 20,
              let last = d.events.last else { return [] }
        return [.loadEvents(reference: d.reference, personID: id, before: last.seq, append: true)]
    }

    static func warningGroups(_ key: Key, _ g: inout WarningGroupsState, _ state: inout AppState) -> [Effect]? {
        let visible = Layout.listRows(.warningGroups(g), height: state.height)
        if case .click(let row) = key { g.cursor.select(g.cursor.offset + row - 2, count: g.groups.count, visible: visible); return [] }
        if g.cursor.handle(key, count: g.groups.count, visible: visible) { return [] }
        switch key {
        case .enter:
            guard g.groups.indices.contains(g.cursor.selected) else { return [] }
            return Reducer.open(.warnings(WarningListState(type: g.groups[g.cursor.selected].type)), &state)
        case .char("a"):
            return Reducer.open(.warnings(WarningListState(type: nil)), &state)
        default:
            return nil
        }
    }

    static func warnings(_ key: Key, _ w: inout WarningListState, _ state: inout AppState) -> [Effect]? {
        let visible = Layout.listRows(.warnings(w), height: state.height)
        if case .click(let row) = key { w.cursor.select(w.cursor.offset + row - 3, count: w.warnings.count, visible: visible); return [] }
        if w.cursor.handle(key, count: w.warnings.count, visible: visible) {
            if !w.exhausted, w.cursor.selected >= w.warnings.count - 20, let last = w.warnings.last?.id {
                return [.loadWarnings(type: w.type?.rawValue, filter: w.filter, before: last, append: true)]
            }
            return []
        }
        let selected = w.warnings.indices.contains(w.cursor.selected) ? w.warnings[w.cursor.selected] : nil
        switch key {
        case .enter:
            guard let selected else { return [] }
            guard !selected.distinctIDs.isEmpty else {
                state.status = StatusLine("this warning names no distinct ID (the event was not ingested)", isError: true)
                return []
            }
            return [.openPersonOf(distinctIDs: selected.distinctIDs)]
        case .char("v"):
            guard let selected else { return [] }
            state.overlay = .viewer(title: "warning \(selected.id ?? 0)", lines: Format.warningLines(selected), offset: 0)
            return []
        case .char("/"):
            state.input = InputLine(kind: .warningFilter, text: w.filter)
            return []
        case .char("m"):
            guard let selected, selected.distinctIDs.count >= 2 else {
                state.status = StatusLine("a merge needs a warning that names two distinct IDs", isError: true)
                return []
            }
            return [.previewMerge(target: selected.distinctIDs[0], source: selected.distinctIDs[1])]
        default:
            return nil
        }
    }

    static func duplicates(_ key: Key, _ d: inout DuplicatesState, _ state: inout AppState) -> [Effect]? {
        let visible = Layout.listRows(.duplicates(d), height: state.height)
        if case .click(let row) = key { d.cursor.select(d.cursor.offset + row - 2, count: d.groups.count, visible: visible); return [] }
        if d.cursor.handle(key, count: d.groups.count, visible: visible) { return [] }
        switch key {
        case .enter:
            guard d.groups.indices.contains(d.cursor.selected) else { return [] }
            return Reducer.open(.duplicateMembers(DuplicateMembersState(property: d.property, value: d.groups[d.cursor.selected].value)), &state)
        case .char("p"):
            d.property = d.property == "email" ? "name" : "email"
            d.cursor = ListCursor()
            return [.loadDuplicates(property: d.property)]
        default:
            return nil
        }
    }

    static func duplicateMembers(_ key: Key, _ m: inout DuplicateMembersState, _ state: inout AppState) -> [Effect]? {
        let visible = Layout.listRows(.duplicateMembers(m), height: state.height)
        if case .click(let row) = key { m.cursor.select(m.cursor.offset + row - 2, count: m.rows.count, visible: visible); return [] }
        if m.cursor.handle(key, count: m.rows.count, visible: visible) { return [] }
        let selected = m.rows.indices.contains(m.cursor.selected) ? m.rows[m.cursor.selected] : nil
        switch key {
        case .enter:
            guard let selected else { return [] }
            return Reducer.open(.detail(DetailState(reference: selected.uuid.lowercased)), &state)
        case .char("m"):
            guard let selected else { return [] }
            return Reducer.markForMerge(reference: selected.uuid.lowercased, displayName: selected.displayName, &state)
        default:
            return nil
        }
    }
}

extension PersonOrder {
    public var title: String {
        switch self {
        case .firstSeen: "first seen"
        case .lastSeen: "last seen"
        case .size: "size"
        }
    }
}
