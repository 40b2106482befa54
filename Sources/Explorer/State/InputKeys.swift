import IdentityStore

/// Keys while typing a search, a warnings filter or a command.
enum InputKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var input = state.input else { return [] }
        switch key {
        case .escape:
            state.input = nil
            return input.kind == .command ? [] : applyLive("", input.kind, &state)
        case .enter:
            state.input = nil
            if input.kind == .command { return Commands.run(input.text, &state) }
            return []
        case .backspace, .delete:
            if input.text.isEmpty {
                state.input = nil
                return input.kind == .command ? [] : applyLive("", input.kind, &state)
            }
            input.text.removeLast()
        case .ctrl("u"):
            input.text = ""
        case .char(let c):
            input.text.append(c)
        default:
            return []
        }
        state.input = input
        return input.kind == .command ? [] : applyLive(input.text, input.kind, &state)
    }

    /// Search and filters follow the text as it is typed.
    static func applyLive(_ text: String, _ kind: InputLine.Kind, _ state: inout AppState) -> [Effect] {
        let index = state.screens.count - 1
        switch (kind, state.top) {
        case (.search, .persons(var p)):
            p.search = text.isEmpty ? nil : text
            p.cursor = ListCursor()
            state.screens[index] = .persons(p)
            return Reducer.reload(.persons(p))
        case (.warningFilter, .warnings(var w)):
            w.filter = text
            w.cursor = ListCursor()
            state.screens[index] = .warnings(w)
            return Reducer.reload(.warnings(w))
        default:
            return []
        }
    }
}
