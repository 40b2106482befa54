import IdentityCore
import Store

/// The `:` command line.
enum Commands {
    static let help = "commands: merge TARGET SOURCE, undo MERGE_ID, split ID…, person REF, search TEXT, filter [KEY=VALUE|KEY!=VALUE|KEY~TEXT…], sort first-seen|last-seen|size, warnings, dups [PROPERTY], persons, quit"

    /// Words split on spaces; "double" or 'single' quotes keep spaces inside one (`:filter name="Grace Wei"`).
    static func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quote: Character?, started = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                started = true
            } else if character == " " {
                if started || !current.isEmpty { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
            }
        }
        if started || !current.isEmpty { words.append(current) }
        return words
    }

    static func run(_ line: String, _ state: inout AppState) -> [Effect] {
        let words = Self.words(line)
        guard let command = words.first else { return [] }
        let arguments = Array(words.dropFirst())
        switch command {
        case "q", "quit", "exit":
            state.quit = true
        case "merge" where arguments.count == 2:
            return [.previewMerge(target: arguments[0], source: arguments[1])]
        case "undo" where arguments.count == 1:
            guard let id = Int64(arguments[0]) else { break }
            return [.previewUndo(actionID: id)]
        case "split" where !arguments.isEmpty:
            return [.previewSplit(person: arguments[0], displayName: arguments[0], distinctIDs: arguments)]
        case "person", "open":
            guard arguments.count == 1 else { break }
            return Reducer.open(.detail(DetailState(reference: arguments[0])), &state)
        case "search", "/":
            let text = arguments.joined(separator: " ")
            var persons = PersonsState()
            persons.search = text.isEmpty ? nil : text
            return Reducer.replaceAll(with: .persons(persons), &state)
        case "filter":
            return filter(arguments, &state)
        case "sort":
            guard arguments.count == 1, let order = PersonOrder(rawValue: arguments[0]) else { break }
            var persons = PersonsState()
            persons.order = order
            // The filter in force stays, as with `o`.
            for case .persons(let shown) in state.screens { persons.filter = shown.filter }
            return Reducer.replaceAll(with: .persons(persons), &state)
        case "warnings":
            if let name = arguments.first, WarningType(rawValue: name) == nil {
                state.status = StatusLine("no warning type \(Escaping.quoted(name)); the types: "
                                          + WarningType.allCases.map(\.rawValue).joined(separator: ", "), isError: true)
                return []
            }
            var list = WarningListState(type: arguments.first.flatMap(WarningType.init(rawValue:)))
            if arguments.isEmpty { return Reducer.open(.warningGroups(WarningGroupsState()), &state) }
            list.filter = ""
            return Reducer.open(.warnings(list), &state)
        case "dups", "duplicates":
            return Reducer.open(.duplicates(DuplicatesState(property: arguments.first ?? "email")), &state)
        case "persons":
            return Reducer.replaceAll(with: .persons(PersonsState()), &state)
        case "help":
            state.overlay = .help(offset: 0)
        default:
            state.status = StatusLine("unknown command \(Escaping.quoted(line)): " + help, isError: true)
            return []
        }
        if !state.quit, state.overlay == nil {
            state.status = StatusLine("usage: " + help, isError: true)
        }
        return []
    }

    /// `:filter` narrows the persons list (the one on top, else a new one) to the conditions given,
    /// all of which must hold; with none it clears every filter.
    static func filter(_ arguments: [String], _ state: inout AppState) -> [Effect] {
        var conditions: [PropertyCondition] = []
        for argument in arguments {
            do {
                conditions.append(try PropertyCondition(parsing: argument))
            } catch {
                state.status = StatusLine("filter: \(error.description)", isError: true)
                return []
            }
        }
        var persons = PersonsState()
        if case .persons(let shown) = state.top { persons = PersonsState(order: shown.order, filter: shown.filter) }
        persons.filter = arguments.isEmpty ? .none : PersonFilter(conditions: conditions, identified: persons.filter.identified)
        state.status = StatusLine(persons.filter.isEmpty ? "filter cleared" : "filter: \(persons.filter.summary)")
        if case .persons = state.top {
            state.top = .persons(persons)
            return Reducer.reload(state)
        }
        return Reducer.replaceAll(with: .persons(persons), &state)
    }
}
