/// Keys while typing a search, a warnings filter or a command.
enum InputKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var input = state.input else { return [] }
        switch key {
        case .escape:
            state.input = nil
            return input.kind == .command ? [] : Reducer.liveInput("", &state)
        case .enter:
            state.input = nil
            if input.kind == .command { return Commands.run(input.text, &state) }
            return []
        case .backspace, .delete:
            if input.text.isEmpty {
                state.input = nil
                return input.kind == .command ? [] : Reducer.liveInput("", &state)
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
        // Search and filters follow the text as it is typed; the top screen decides what that means.
        return input.kind == .command ? [] : Reducer.liveInput(input.text, &state)
    }
}
