import IdentityCore
import Store

/// Help, viewers and dialogs, drawn in a box over the screen.
enum OverlayView {
    static let helpLines = [
        "Everywhere",
        "  ↑/↓ j/k move   PgUp/PgDn page   g/G first/last   Enter open",
        "  Esc/q back (q on the first screen quits)   Ctrl-C quit",
        "  / search   : command   r refresh   ? this help",
        "  W warnings  D duplicates  P persons  L live  H PostHog  S suspects",
        "  m mark a merge source; m on another person previews the merge",
        "Persons",
        "  o sort by first seen / last seen / size   n/N next/previous match",
        "  g/G the whole list's first/last person   i identified/anonymous/all",
        "  w warnings   d duplicates   h PostHog",
        "Person (tabs: Tab/Shift-Tab or 1-4)",
        "  1 Properties: Enter every write it had (set, set_once, unset, merges,",
        "    skipped ones and why), oldest first; v the whole value",
        "  2 Distinct IDs: Space pick, w why linked (two IDs), s split,",
        "    t tree of how every ID joined (box-drawn, oldest ID at the root)",
        "  3 Events: each with its effect; Enter shows the effect and JSON",
        "  4 History: u undo the selected merge, Enter details",
        "Warnings: Enter a group, Enter a warning opens its person",
        "  (or asks whose, when it names several), v details,",
        "  / filter by text, a all types, m merge its two IDs",
        "Live: new events on top with their effect; Space pause/resume,",
        "  / filter by distinct ID or event; Enter: effect, p person, u undo, w warning",
        "Duplicates: p switch email/name, Enter a group, m mark and merge,",
        "  M merge the whole group into one (one action, one undo)",
        "Suspects: persons with far too many IDs, generic-looking IDs, one email",
        "  on several identified persons; Enter opens the person or the group",
        "PostHog: Enter both sides, a accept/reopen; there Space pick,",
        "  m mark/merge, s split picked IDs, Enter the ID's person",
        "Dialogs: default No; y or ←/→ + Enter for Yes; n/Esc cancel",
        "Commands: :merge TARGET SOURCE  :undo ID  :split ID…  :person REF",
        "  :search TEXT  :sort size  :warnings [TYPE]  :dups [PROPERTY]  :q",
        "  :filter KEY=VALUE KEY!=VALUE KEY~TEXT (all must hold; none clears)",
    ]

    static func draw(_ overlay: Overlay, _ state: AppState, _ grid: inout CellGrid) {
        switch overlay {
        case .help(let offset):
            box(title: "Keys", lines: helpLines, offset: offset, footer: "↑↓ scroll · any other key closes", state, &grid)
        case .viewer(let title, let lines, let offset):
            box(title: title, lines: lines, offset: offset, footer: "↑↓ scroll · Esc closes", state, &grid)
        case .choice(let choice):
            let lines = choice.distinctIDs.enumerated().map { ($0.offset == choice.selected ? "▶ " : "  ") + $0.element }
            box(title: choice.title, lines: lines, offset: max(0, choice.selected - (state.height - 8)),
                footer: "↑↓ pick · Enter opens · Esc cancels", state, &grid, highlighted: choice.selected)
        case .dialog(let dialog):
            let (title, lines, _, forcing) = content(dialog.confirmation)
            box(title: title, lines: lines + [""], offset: dialog.offset, footer: buttons(dialog), state, &grid,
                footerStyle: forcing ? .error : .bold)
        }
    }

    /// Title, body, Yes label, and whether it is the dangerous question.
    static func content(_ confirmation: Confirmation) -> (String, [String], String, Bool) {
        switch confirmation {
        case .merge(let p):
            var lines = ["Merge \(name(p.source, p.sourceDistinctIDs)) (source)",
                         " into \(name(p.target, p.targetDistinctIDs)) (target, survives)", ""]
            if let refusal = p.refusalText { lines += ["✗ REFUSED by the safe rule: " + refusal, ""] }
            lines.append("Resulting distinct IDs (\(p.resultingDistinctIDs.count)):")
            lines += p.resultingDistinctIDs.map { id in "  " + id + (p.sourceDistinctIDs.contains(id) ? "  ← from source" : "") }
            lines += ["", "Properties after the merge (the target wins conflicts):"]
            for outcome in p.plan.properties {
                var line = "  \(outcome.key) = \(Format.compact(outcome.value))  [\(outcome.side.rawValue)]"
                if let lost = outcome.overridden { line += "  (source had \(Format.compact(lost)))" }
                lines.append(line)
            }
            let yes = p.isAllowed ? "Merge" : (p.canForce ? "Force…" : "—")
            return ("Merge preview", lines, yes, false)
        case .forceMerge(let p):
            return ("Force merge: are you sure?", [
                "⚠ This merges two IDENTIFIED persons.",
                "The safe rule refused it: \(p.refusalText ?? "")", "",
                "\(name(p.source, p.sourceDistinctIDs)) will be merged into \(name(p.target, p.targetDistinctIDs)).",
                "It can be undone later from History (u).",
            ], "Yes, force merge", true)
        case .groupMerge(let p):
            return groupMergeContent(p)
        case .forceGroupMerge(let p):
            return ("Force group merge: are you sure?", [
                "⚠ This merges \(p.identifiedCount) IDENTIFIED persons into one:",
            ] + p.members.filter(\.person.isIdentified).map { "  " + name($0.person, $0.distinctIDs) } + [
                "The safe rule would refuse merging identified persons.", "",
                "It is one action: one undo (u in History, or identikit undo) reverses all of it.",
            ], "Yes, force merge", true)
        case .undo(let u):
            let group = u.action.kind == .groupMerge
            var lines = ["Undo \(group ? "group merge" : "merge") \(u.action.id ?? 0) (\(u.action.kind.rawValue), \(Format.time(u.action.at)))", "",
                         "Brings back the merged-away person\(group ? "s" : "") with \(u.movedBack.count) distinct ID\(u.movedBack.count == 1 ? "" : "s"):"]
            lines += u.movedBack.map { "  " + $0 }
            if !u.leftInPlace.isEmpty { lines += ["Left where they are now (moved again later): " + u.leftInPlace.joined(separator: ", ")] }
            if !u.keptKeys.isEmpty { lines += ["Kept at their later value: " + u.keptKeys.joined(separator: ", ")] }
            return ("Undo merge", lines, "Undo", false)
        case .split(let s):
            var lines = ["Split from \(s.displayName), each into a new person of its own:"]
            lines += s.distinctIDs.map { "  " + $0 }
            lines += ["", "Stays with the person: " + (s.remaining.isEmpty ? "(nothing)" : s.remaining.joined(separator: ", "))]
            return ("Split person", lines, "Split", false)
        }
    }

    /// The group merge preview: who survives, who goes in, and the one person that results.
    static func groupMergeContent(_ p: GroupMergePreview) -> (String, [String], String, Bool) {
        var lines = ["Merge \(p.members.count) persons into one, as one action (one undo reverses it):",
                     "  survives:  " + name(p.target.person, p.target.distinctIDs)]
        lines += p.sources.map { "  merged in: " + name($0.person, $0.distinctIDs) }
        lines.append("")
        if let unnamed = p.unnamed {
            lines += ["✗ REFUSED: person \(unnamed.person.uuid.lowercased) has only generic distinct IDs", ""]
        } else if p.needsForce {
            lines += ["✗ \(p.identifiedCount) of them are identified: the safe rule would refuse; Yes asks once more", ""]
        }
        lines.append("Resulting distinct IDs (\(p.resultingDistinctIDs.count)):")
        let targetIDs = Set(p.target.distinctIDs)
        lines += p.resultingDistinctIDs.map { "  " + $0 + (targetIDs.contains($0) ? "" : "  ← merged in") }
        lines += ["", "Properties after the merge (the survivor wins conflicts):"]
        lines += p.result.properties.keys.sorted().map { "  \($0) = \(Format.compact(p.result.properties[$0]!))" }
        let yes = p.unnamed != nil ? "—" : (p.needsForce ? "Force…" : "Merge all")
        return ("Merge duplicates group", lines, yes, false)
    }

    static func name(_ person: Person, _ ids: [String]) -> String {
        let label = person.properties["name"]?.stringValue ?? person.properties["email"]?.stringValue ?? ids.first ?? person.uuid.lowercased
        return "\"\(label)\"" + (person.isIdentified ? " ✓identified" : " ·anonymous") + " (\(ids.count) ID\(ids.count == 1 ? "" : "s"))"
    }

    /// The option a click on screen row `row` lands on, laid out as `box` lays out a choice.
    static func choiceIndex(atRow row: Int, _ choice: PersonChoice, _ state: AppState) -> Int? {
        let body = min(choice.distinctIDs.count, state.height - 6)
        let y = max(0, (state.height - 2 - (body + 4)) / 2)
        let start = max(0, min(max(0, choice.selected - (state.height - 8)), choice.distinctIDs.count - body))
        let line = row - (y + 1)
        return (0..<body).contains(line) ? start + line : nil
    }

    /// Where `box` draws: its corner, size, and the rows of its body.
    struct BoxFrame {
        var x: Int, y: Int, width: Int, height: Int, contentWidth: Int, body: Int

        init(title: String, lines: [String], footer: String, _ state: AppState) {
            let maxWidth = state.width - 4
            contentWidth = min(maxWidth - 4, max(DisplayWidth.of(title) + 4, DisplayWidth.of(footer) + 2,
                                                 lines.map { DisplayWidth.of(Escaping.terminalSafe($0)) }.max() ?? 0))
            width = contentWidth + 4
            body = min(lines.count, state.height - 6)
            height = body + 4
            x = (state.width - width) / 2
            y = max(0, (state.height - 2 - height) / 2)
        }

        /// The footer's first column (it ends two columns before the box's right edge) and its row.
        func footerStart(_ footer: String) -> (x: Int, y: Int) { (x + width - 2 - DisplayWidth.of(footer), y + height - 2) }
    }

    /// A dialog's footer: its two buttons, the focused one in brackets.
    static func buttons(_ dialog: Dialog) -> String {
        let yes = content(dialog.confirmation).2
        return dialog.yesFocused ? "  No  [\(yes)]" : "[ No ]  \(yes) "
    }

    /// Which button of a dialog a click lands on: true for Yes, false for No, nil for neither.
    static func dialogButton(atRow row: Int, column: Int, _ dialog: Dialog, _ state: AppState) -> Bool? {
        let (title, lines, _, _) = content(dialog.confirmation)
        let footer = buttons(dialog)
        let start = BoxFrame(title: title, lines: lines + [""], footer: footer, state).footerStart(footer)
        guard row == start.y, column >= start.x, column < start.x + DisplayWidth.of(footer) else { return nil }
        // "[ No ]" and "  No  " are six columns; Yes is the rest.
        return column - start.x >= 6
    }

    static func box(title: String, lines: [String], offset: Int, footer: String, _ state: AppState, _ grid: inout CellGrid,
                    footerStyle: CellStyle = .dim, highlighted: Int? = nil) {
        let frame = BoxFrame(title: title, lines: lines, footer: footer, state)
        let (x, y, boxWidth, boxHeight, contentWidth, body) = (frame.x, frame.y, frame.width, frame.height, frame.contentWidth, frame.body)
        grid.clear(x: x, y: y, width: boxWidth, height: boxHeight)
        let horizontal = String(repeating: "─", count: boxWidth - 2)
        grid.put("┌" + horizontal + "┐", x: x, y: y, style: .bold)
        grid.put(" " + title + " ", x: x + 2, y: y, style: .bold, maxWidth: boxWidth - 4)
        for row in 1..<(boxHeight - 1) {
            grid.put("│", x: x, y: y + row, style: .bold)
            grid.put("│", x: x + boxWidth - 1, y: y + row, style: .bold)
        }
        grid.put("└" + horizontal + "┘", x: x, y: y + boxHeight - 1, style: .bold)
        let start = max(0, min(offset, lines.count - body))
        for n in 0..<body {
            let line = lines[start + n]
            let style: CellStyle = start + n == highlighted ? .selected : (line.hasPrefix("✗") || line.hasPrefix("⚠") ? .error : .normal)
            grid.put(line, x: x + 2, y: y + 1 + n, style: style, maxWidth: contentWidth)
        }
        if lines.count > body {
            grid.put("\(start + 1)-\(start + body)/\(lines.count)", x: x + 2, y: y + boxHeight - 1, style: .dim)
        }
        let footerStart = frame.footerStart(footer)
        grid.put(footer, x: footerStart.x, y: footerStart.y, style: footerStyle)
    }
}
