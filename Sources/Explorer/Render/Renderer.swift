import IdentityCore
import Store

/// `view(state) -> CellGrid`: the whole frame, pure.
public enum Renderer {
    public static func view(_ state: AppState) -> CellGrid {
        var grid = CellGrid(width: state.width, height: state.height)
        if state.isTooSmall {
            tooSmall(state, &grid)
            return grid
        }
        state.top.feature.draw(state, &grid)
        if state.busy { loadingMark(state, &grid) }
        Chrome.bottom(state, &grid)
        if let overlay = state.overlay { OverlayView.draw(overlay, state, &grid) }
        return grid
    }

    /// Shown while a query or write takes longer than a moment; keys still work meanwhile.
    static func loadingMark(_ state: AppState, _ grid: inout CellGrid) {
        let mark = " ⋯ loading "
        let right = state.storeName.isEmpty ? 0 : DisplayWidth.of(state.storeName) + 1
        grid.put(mark, x: max(0, state.width - right - DisplayWidth.of(mark) - 1), y: 0, style: .title)
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
