import Foundation
import IdentityCore
import Store

/// The person screen's keys: tabs, picking distinct IDs, split, "why linked", undo, viewers.
extension DetailFeature {
    static func handle(_ key: Key, _ d: inout DetailState, _ state: inout AppState) -> [Effect]? {
        let visible = listRows(d, height: state.height)
        switch key {
        case .tab: return switchTab(&d, DetailTab(rawValue: (d.tab.rawValue + 1) % 4)!)
        case .backTab: return switchTab(&d, DetailTab(rawValue: (d.tab.rawValue + 3) % 4)!)
        case .char(let c) where ("1"..."4").contains(c):
            return switchTab(&d, DetailTab(rawValue: Int(String(c))! - 1)!)
        case .click(DetailView.tabRow, let column):
            guard let tab = DetailView.tabColumns.first(where: { $0.1.contains(column) })?.0 else { return [] }
            return switchTab(&d, tab)
        case .click(let row, _):
            var cursor = d.cursor
            cursor.select(cursor.offset + row - 4, count: d.rowCount(d.tab), visible: visible)
            d.cursor = cursor
            return []
        default: break
        }
        var cursor = d.cursor
        // Space picks on the Distinct IDs tab: the list would take it as a page down first.
        let picks = d.tab == .distinctIDs && key == .char(" ")
        if !picks, cursor.handle(key, count: d.rowCount(d.tab), visible: visible) {
            d.cursor = cursor
            return d.tab == .events ? prefetchEvents(&d) : []
        }
        guard let detail = d.detail else { return nil }
        let selected = d.cursor.selected
        switch (d.tab, key) {
        case (.properties, .enter):
            // Every write the property had, oldest first.
            let keys = d.propertyKeys
            guard keys.indices.contains(selected), let personID = detail.person.rowID else { return [] }
            return Reducer.open(.propertyHistory(PropertyHistoryState(
                personID: personID, personName: Format.displayName(detail), key: keys[selected],
                current: detail.person.properties[keys[selected]])), &state)
        case (.properties, .char("v")):
            let keys = d.propertyKeys
            guard keys.indices.contains(selected) else { return [] }
            let name = keys[selected]
            var lines = JSONCoding.string(detail.person.properties[name] ?? .null, pretty: true)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if let source = detail.person.provenance[name] {
                lines += ["", "last written by \(source.operation.rawValue) in \(source.event) at \(Format.time(source.at))",
                          "event \(source.eventUUID?.lowercased ?? "-")"]
            }
            if let skipped = detail.person.skippedWrites[name] {
                // Why a value such as $current_url looks stale: PostHog's churn filter skipped the newer one.
                lines += ["", "newer value \(Format.compact(skipped.value)) skipped (\(skipped.reason.shown.words)): \(skipped.source.event) at \(Format.time(skipped.source.at))",
                          "event \(skipped.source.eventUUID?.lowercased ?? "-")"]
            }
            state.overlay = .viewer(title: "property \(name)", lines: lines, offset: 0)
            return []
        case (.events, .enter):
            guard d.events.indices.contains(selected) else { return [] }
            let event = d.events[selected]
            state.overlay = .viewer(title: "event \(event.name)", lines: Format.effectLines(event) + [""] + Format.eventLines(event), offset: 0)
            return []
        case (.distinctIDs, .char("t")):
            // The tree of how every ID joined, or back to the list.
            d.graphShown.toggle()
            d.cursor = ListCursor()
            return d.graphShown ? [load(.graph(reference: d.reference))] : []
        case (.distinctIDs, _) where d.graphShown && [Key.char(" "), .char("x"), .char("s"), .char("w"), .enter].contains(key):
            state.status = StatusLine("the tree shows how the IDs joined; t goes back to the list to pick, split or ask why")
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
            guard action.kind.isUndoable, let id = action.id else {
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
            return [load(firstEvents(d, id))]
        }
        return []
    }

    /// Asks for older events when the selection nears the end of what is loaded (once per page).
    static func prefetchEvents(_ d: inout DetailState) -> [Effect] {
        guard !d.eventsExhausted, let id = d.detail?.person.rowID, d.cursor.selected >= d.events.count - 20,
              let last = d.events.last, d.requestedEvents != last.seq else { return [] }
        d.requestedEvents = last.seq
        return [load(.events(reference: d.reference, personID: id, before: last.seq, append: true))]
    }
}
