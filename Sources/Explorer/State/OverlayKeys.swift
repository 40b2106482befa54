/// Keys while the help, a viewer or a dialog is open.
enum OverlayKeys {
    static func handle(_ key: Key, _ overlay: Overlay, _ state: inout AppState) -> [Effect] {
        switch overlay {
        case .help(let offset):
            // Scrolls like a viewer: at 80x24 half of the keys are below the box.
            guard let offset = scrolled(offset, by: key, lines: OverlayView.helpLines.count, state) else {
                state.overlay = nil
                return []
            }
            state.overlay = .help(offset: offset)
            return []
        case .viewer(let title, let lines, let offset):
            guard let offset = scrolled(offset, by: key, lines: lines.count, state) else {
                state.overlay = nil
                return []
            }
            state.overlay = .viewer(title: title, lines: lines, offset: offset)
            return []
        case .choice(var choice):
            switch key {
            case .up, .char("k"), .wheelUp: choice.selected = max(0, choice.selected - 1)
            case .down, .char("j"), .wheelDown: choice.selected = min(choice.distinctIDs.count - 1, choice.selected + 1)
            case .enter:
                state.overlay = nil
                return [.openPersonOf(distinctIDs: [choice.distinctIDs[choice.selected]])]
            case .click(let row, _):
                // The options start on the box's second row; a click on one opens it.
                guard let index = OverlayView.choiceIndex(atRow: row, choice, state), choice.distinctIDs.indices.contains(index) else { return [] }
                state.overlay = nil
                return [.openPersonOf(distinctIDs: [choice.distinctIDs[index]])]
            default:
                state.overlay = nil
                return []
            }
            state.overlay = .choice(choice)
            return []
        case .dialog(var dialog):
            switch key {
            case .left, .right, .tab, .backTab, .char("h"), .char("l"):
                dialog.yesFocused.toggle()
            case .up, .char("k"): dialog.offset = max(0, dialog.offset - 1)
            case .down, .char("j"): dialog.offset += 1
            case .char("y"), .char("Y"):
                return confirm(dialog.confirmation, &state)
            case .click(let row, let column):
                guard let yes = OverlayView.dialogButton(atRow: row, column: column, dialog, state) else { break }
                if yes { return confirm(dialog.confirmation, &state) }
                state.overlay = nil
                state.status = StatusLine("cancelled")
                return []
            case .enter:
                if dialog.yesFocused { return confirm(dialog.confirmation, &state) }
                state.overlay = nil
                state.status = StatusLine("cancelled")
                return []
            case .char("n"), .char("N"), .escape, .char("q"):
                state.overlay = nil
                state.status = StatusLine("cancelled")
                return []
            default:
                break
            }
            state.overlay = .dialog(dialog)
            return []
        }
    }

    /// Yes on a dialog: do it, or for a refused-but-forcible merge ask the second question.
    static func confirm(_ confirmation: Confirmation, _ state: inout AppState) -> [Effect] {
        state.overlay = nil
        switch confirmation {
        case .merge(let preview):
            if preview.isAllowed {
                return [.merge(target: preview.targetDistinctID, source: preview.sourceDistinctID, force: false)]
            }
            if preview.canForce {
                state.overlay = .dialog(Dialog(.forceMerge(preview)))
                return []
            }
            state.status = StatusLine("not merged: " + (preview.refusalText ?? "refused"), isError: true)
            return []
        case .forceMerge(let preview):
            return [.merge(target: preview.targetDistinctID, source: preview.sourceDistinctID, force: true)]
        case .groupMerge(let preview):
            if let unnamed = preview.unnamed {
                state.status = StatusLine("not merged: person \(unnamed.person.uuid.lowercased) has only generic distinct IDs", isError: true)
                return []
            }
            if preview.needsForce {
                state.overlay = .dialog(Dialog(.forceGroupMerge(preview)))
                return []
            }
            return [.groupMerge(references: preview.members.map { $0.person.uuid.lowercased }, force: false)]
        case .forceGroupMerge(let preview):
            return [.groupMerge(references: preview.members.map { $0.person.uuid.lowercased }, force: true)]
        case .undo(let preview):
            return [.undo(actionID: preview.action.id ?? 0)]
        case .split(let preview):
            return [.split(person: preview.person, distinctIDs: preview.distinctIDs)]
        }
    }

    /// A scrollable box's new first line after `key`, or nil when the key is not a scroll key.
    static func scrolled(_ offset: Int, by key: Key, lines: Int, _ state: AppState) -> Int? {
        let visible = max(1, state.height - 6)
        var offset = offset
        switch key {
        case .up, .char("k"), .wheelUp: offset -= 1
        case .down, .char("j"), .wheelDown: offset += 1
        case .pageUp: offset -= visible
        case .pageDown, .char(" "): offset += visible
        case .home, .char("g"): offset = 0
        case .end, .char("G"): offset = lines
        default: return nil
        }
        return max(0, min(offset, lines - visible))
    }
}
