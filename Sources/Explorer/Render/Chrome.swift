import Store

/// The title bar, the message line and the key bar that frame every screen.
enum Chrome {
    static func title(_ text: String, _ state: AppState, _ grid: inout CellGrid) {
        grid.fill(y: 0, style: .title)
        let right = state.storeName.isEmpty ? "" : state.storeName + " "
        let rightWidth = DisplayWidth.of(right)
        grid.put(" identikit › " + text, x: 0, y: 0, style: .title, maxWidth: max(10, state.width - rightWidth - 1))
        if state.width - rightWidth > 40 { grid.put(right, x: state.width - rightWidth, y: 0, style: .title) }
    }

    static func bottom(_ state: AppState, _ grid: inout CellGrid) {
        let messageRow = state.height - 2
        let keyRow = state.height - 1
        if let input = state.input {
            let end = grid.put(input.prompt + input.text, x: 0, y: messageRow, style: .bold)
            grid.put("▏", x: end, y: messageRow, style: .bold)
        } else if let status = state.status {
            grid.put(status.isError ? "✗ " + status.text : status.text, x: 0, y: messageRow, style: status.isError ? .error : .info)
        } else if let mark = state.mark {
            grid.put("merge source: \(mark.displayName): select the target, press m", x: 0, y: messageRow, style: .info)
        }
        grid.fill(y: keyRow, style: .key)
        let counts = state.stats.map { Chrome.counts($0, wide: state.width >= 110) } ?? ""
        let countsWidth = DisplayWidth.of(counts)
        // The keys say how to use the screen: below 110 columns they have the whole bar (the counts
        // took half of it and cut the screen's own keys); wider, the counts share it.
        let hints = " " + keys(state)
        let showCounts = !counts.isEmpty && (state.width >= 110 || DisplayWidth.of(hints) + 1 + countsWidth <= state.width)
        grid.put(hints, x: 0, y: keyRow, style: .key, maxWidth: showCounts ? state.width - countsWidth - 1 : state.width)
        if showCounts { grid.put(counts, x: state.width - countsWidth, y: keyRow, style: .key) }
    }

    static func counts(_ s: StoreStats, wide: Bool) -> String {
        func n(_ count: Int, _ noun: String) -> String { "\(Format.count(count)) \(noun)\(count == 1 ? "" : "s")" }
        let parts = wide ? [n(s.persons, "person"), n(s.distinctIDs, "ID"), n(s.events, "event"), n(s.warnings, "warning")]
                         : [n(s.persons, "person"), n(s.events, "event"), n(s.warnings, "warning")]
        return parts.joined(separator: " · ") + " "
    }

    static func keys(_ state: AppState) -> String {
        if state.overlay != nil {
            if case .dialog = state.overlay { return "y yes  n/Esc no  ←/→ choose  Enter" }
            return "↑↓ scroll  any other key closes"
        }
        if state.input != nil { return "Enter done  Esc clear  Backspace delete" }
        return state.top.feature.keyHints()
    }
}
