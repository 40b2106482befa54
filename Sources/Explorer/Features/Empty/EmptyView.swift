/// A store with nothing in it yet: how to fill it.
enum EmptyView {
    /// With a capture server running (`serve --explore`), where to point an SDK.
    static func lines(captureURL: String?, storeLocation: String? = nil) -> [String] {
        guard let captureURL else {
            // The commands to copy name this store: without --db they would fill the default one.
            guard let storeLocation else { return lines }
            let db = " --db " + (storeLocation.contains(" ") ? "'\(storeLocation)'" : storeLocation)
            return lines.map { $0 == "    identikit ingest events.jsonl" || $0 == "    identikit serve" ? $0 + db : $0 }
        }
        return [
            "This store is empty.",
            "",
            "The capture server is listening on \(captureURL)",
            "Point a PostHog SDK's host at it, or send a batch:",
            "    curl -X POST \(captureURL)/batch/ -d '{\"batch\": [{\"event\": \"hi\", \"distinct_id\": \"me\"}]}'",
            "",
            "This screen refreshes by itself when events arrive.",
        ]
    }

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
        let lines = lines(captureURL: state.captureURL, storeLocation: state.storeLocation)
        let top = max(2, (state.height - lines.count) / 2 - 1)
        for (n, line) in lines.enumerated() {
            grid.put(line, x: 4, y: top + n, style: n == 0 ? .bold : (line.hasPrefix("    ") ? .accent : .normal))
        }
    }
}
