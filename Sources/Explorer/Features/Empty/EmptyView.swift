/// A store with nothing in it yet: how to fill it.
enum EmptyView {
    static let lines = [
        "This store is empty.",
        "",
        "Load events from a file (JSON Lines, a JSON array or a /batch body, .gz too):",
        "    identikit ingest events.jsonl",
        "",
        "Or start the capture server and point a PostHog SDK at it:",
        "    identikit serve",
        "",
        "Or load demo data and look around:",
        "    identikit demo",
        "",
        "This screen refreshes by itself when events arrive.",
    ]

    static func draw(_ state: AppState, _ grid: inout CellGrid) {
        Chrome.title("Welcome", state, &grid)
        let top = max(2, (state.height - lines.count) / 2 - 1)
        for (n, line) in lines.enumerated() {
            grid.put(line, x: 4, y: top + n, style: n == 0 ? .bold : (line.hasPrefix("    ") ? .accent : .normal))
        }
    }
}
