import Foundation
import IdentityStore

/// The explorer without a terminal: the same update → effects → view loop as `ExplorerApp`,
/// rendering into a cell grid. The benchmarks time it; tests can drive it key by key.
public final class HeadlessExplorer {
    public private(set) var state: AppState
    public private(set) var frame: CellGrid
    private let runner: EffectRunner

    public init(store: PersonStore, width: Int, height: Int) {
        runner = EffectRunner(store: store)
        state = AppState(width: width, height: height, storeName: (store.path as NSString).lastPathComponent)
        frame = CellGrid(width: width, height: height)
        settle(Reducer.start(state))
    }

    /// Handles one key completely: its queries and actions run, and the next frame is drawn.
    public func press(_ key: Key) {
        let (next, effects) = Reducer.update(state, .key(key))
        state = next
        settle(effects)
    }

    private func settle(_ effects: [Effect]) {
        runner.settle(effects, state: &state)
        frame = Renderer.view(state)
    }
}

extension EffectRunner {
    /// Runs effects, feeding each resulting message through `update`, until none are left.
    func settle(_ effects: [Effect], state: inout AppState) {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            for message in run(effect) {
                let (next, more) = Reducer.update(state, message)
                state = next
                pending += more
            }
        }
    }
}
