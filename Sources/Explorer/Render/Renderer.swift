import IdentityCore
import IdentityStore

/// `view(state) -> CellGrid`: the whole frame, pure.
public enum Renderer {
    public static func view(_ state: AppState) -> CellGrid {
        var grid = CellGrid(width: state.width, height: state.height)
        if state.isTooSmall {
            tooSmall(state, &grid)
            return grid
        }
        switch state.top {
        case .persons(let p): PersonsView.draw(p, state, &grid)
        case .detail(let d): DetailView.draw(d, state, &grid)
        case .warningGroups(let g): WarningsView.drawGroups(g, state, &grid)
        case .warnings(let w): WarningsView.drawList(w, state, &grid)
        case .duplicates(let d): DuplicatesView.drawGroups(d, state, &grid)
        case .duplicateMembers(let m): DuplicatesView.drawMembers(m, state, &grid)
        case .empty: EmptyView.draw(state, &grid)
        }
        Chrome.bottom(state, &grid)
        if let overlay = state.overlay { OverlayView.draw(overlay, state, &grid) }
        return grid
    }

    static func tooSmall(_ state: AppState, _ grid: inout CellGrid) {
        let lines = ["The window is too small: \(state.width)x\(state.height).",
                     "identikit needs at least \(Layout.minWidth)x\(Layout.minHeight).", "Enlarge it, or press q to quit."]
        for (n, line) in lines.enumerated() {
            let y = max(0, state.height / 2 - 1) + n
            grid.put(line, x: max(0, (state.width - DisplayWidth.of(line)) / 2), y: y, style: n == 0 ? .error : .normal)
        }
    }
}
