import IdentityStore

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
        let counts = state.stats.map { s in
            "\(Format.count(s.persons)) persons · \(Format.count(s.distinctIDs)) IDs · \(Format.count(s.events)) events · \(Format.count(s.warnings)) warnings "
        } ?? ""
        let countsWidth = DisplayWidth.of(counts)
        let keysWidth = max(10, state.width - countsWidth - 1)
        grid.put(" " + keys(state), x: 0, y: keyRow, style: .key, maxWidth: keysWidth)
        if state.width - countsWidth >= 30 { grid.put(counts, x: state.width - countsWidth, y: keyRow, style: .key) }
    }

    static func keys(_ state: AppState) -> String {
        if state.overlay != nil {
            if case .dialog = state.overlay { return "y yes  n/Esc no  ←/→ choose  Enter confirm" }
            return "↑↓ scroll  any other key closes"
        }
        if state.input != nil { return "Enter done  Esc clear  Backspace delete" }
        switch state.top {
        case .persons: return "↑↓ move  Enter open  / search  o sort  m merge  w warnings  d dups  ? help  q quit"
        case .detail(let d):
            switch d.tab {
            case .properties: return "Tab/1-4 tabs  Enter value  m merge  Esc back  ? help"
            case .distinctIDs: return "Tab/1-4 tabs  Space pick  w why linked  s split  Esc back  ? help"
            case .events: return "Tab/1-4 tabs  Enter JSON  g/G top/end  Esc back  ? help"
            case .history: return "Tab/1-4 tabs  u undo  Enter details  Esc back  ? help"
            }
        case .warningGroups: return "↑↓ move  Enter open  a all  Esc back  ? help"
        case .warnings: return "Enter person  v details  / filter  m merge IDs  Esc back  ? help"
        case .duplicates: return "↑↓ move  Enter group  p property  Esc back  ? help"
        case .duplicateMembers: return "Enter open  m mark/merge  Esc back  ? help"
        case .empty: return "? help  q quit"
        }
    }
}
