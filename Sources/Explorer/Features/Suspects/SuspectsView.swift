import IdentityCore
import Store

/// One list of every suspect, kind first: what it is, who, and the number that makes it suspect.
enum SuspectsView {
    static func draw(_ s: SuspectsState, _ state: AppState, _ grid: inout CellGrid) {
        Chrome.title("Suspects · likely identity mistakes", state, &grid)
        guard let report = s.report else { grid.put("Looking for suspects…", x: 2, y: 3, style: .dim); return }
        // A kind at the limit has more than is listed: the first ones, most telling first.
        let counts = SuspectKind.allCases.map { kind in
            let count = report.of(kind).count
            let one = count == 1 && count < SuspectRules.limitPerKind
            return "\(count)\(count >= SuspectRules.limitPerKind ? "+" : "") \(counted(kind, one: one))"
        }.joined(separator: " · ")
        grid.put("\(counts) · many IDs means more than \(report.idThreshold)", x: 1, y: 1, style: .dim)
        let columns = [Column(title: "Kind", width: 13), Column(title: "Suspect", width: nil), Column(title: "Count", width: 24)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 2, into: &grid)
        if report.suspects.isEmpty { grid.put("No suspects: nothing looks like an identity mistake.", x: 2, y: 4, style: .dim); return }
        drawRows(s.rows, cursor: s.cursor, top: 3, visible: Layout.listRows(.suspects(s), height: state.height),
                 into: &grid) { suspect, y, style, grid in
            Column.draw([label(suspect.kind), what(suspect), count(suspect)], columns, widths: widths, y: y, style: style, into: &grid)
        }
    }

    static func label(_ kind: SuspectKind) -> String {
        switch kind {
        case .manyIDs: "many IDs"
        case .genericID: "generic ID"
        case .sharedEmail: "shared email"
        }
    }

    /// The kind after a count: "1 shared email", "0 persons with many IDs".
    static func counted(_ kind: SuspectKind, one: Bool) -> String {
        switch kind {
        case .manyIDs: one ? "person with many IDs" : "persons with many IDs"
        case .genericID: one ? "generic ID" : "generic IDs"
        case .sharedEmail: one ? "shared email" : "shared emails"
        }
    }

    static func what(_ s: Suspect) -> String {
        switch s.kind {
        case .manyIDs: s.person?.displayName ?? "-"
        case .genericID: "\(Escaping.quoted(s.distinctID ?? "")) on \(s.person?.displayName ?? "-")"
        case .sharedEmail: s.email ?? "-"
        }
    }

    static func count(_ s: Suspect) -> String {
        switch s.kind {
        case .manyIDs, .genericID: "\(Format.count(s.count)) distinct ID\(s.count == 1 ? "" : "s")"
        case .sharedEmail: "\(s.count) identified persons"
        }
    }
}
