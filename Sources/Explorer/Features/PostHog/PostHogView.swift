import Foundation
import IdentityCore
import Store

/// The PostHog comparison: the list of disagreements, then one disagreement's two sides.
enum PostHogView {
    static func drawList(_ s: PostHogState, _ state: AppState, _ grid: inout CellGrid) {
        guard let comparison = s.comparison else {
            Chrome.title("PostHog", state, &grid)
            if s.loaded {
                grid.put("No comparison with PostHog yet. Export your project's persons (JSON Lines), then:", x: 2, y: 2, style: .dim)
                grid.put("identikit compare persons-export.jsonl", x: 4, y: 4, style: .bold)
            }
            return
        }
        Chrome.title("PostHog · compared \(Format.time(comparison.comparedAt)) · \(Format.count(comparison.agree)) agree · "
                     + "\(Format.count(comparison.differences.count)) differ", state, &grid)
        let columns = [Column(title: "IDs", width: 5, alignRight: true), Column(title: "PostHog", width: 9),
                       Column(title: "identikit", width: 9), Column(title: "Status", width: 8), Column(title: "Distinct IDs", width: nil)]
        let widths = Column.resolve(columns, total: state.width - 2)
        Column.header(columns, widths: widths, y: 1, into: &grid)
        if s.differences.isEmpty {
            grid.put("PostHog and identikit group every shared distinct ID the same way.", x: 2, y: 3, style: .dim)
            return
        }
        drawRows(s.differences, cursor: s.cursor, top: 2, visible: Layout.listRows(.posthog(s), height: state.height),
                 into: &grid) { difference, y, style, grid in
            Column.draw([Format.count(difference.distinctIDs.count), persons(difference.posthog.count),
                         persons(difference.identikit.count), difference.status.rawValue,
                         difference.distinctIDs.joined(separator: ", ")], columns, widths: widths, y: y, style: style, into: &grid)
        }
    }

    static func drawDifference(_ s: PostHogDifferenceState, _ state: AppState, _ grid: inout CellGrid) {
        let d = s.difference
        Chrome.title("PostHog · \(d.distinctIDs.count) distinct IDs · \(d.status.rawValue)", state, &grid)
        grid.put("PostHog:   " + sides(d.posthog, "P"), x: 2, y: 1, maxWidth: state.width - 3)
        grid.put("identikit: " + sides(d.identikit, "I"), x: 2, y: 2, maxWidth: state.width - 3)
        let columns = [Column(title: "Distinct ID", width: nil), Column(title: "PostHog person", width: 15),
                       Column(title: "identikit person", width: 17)]
        let widths = Column.resolve(columns, total: state.width - 2)
        let top = PostHogDifferenceFeature.headerLines(s) + 2
        Column.header(columns, widths: widths, y: top - 1, into: &grid)
        drawRows(s.rows, cursor: s.cursor, top: top, visible: Layout.listRows(.posthogDifference(s), height: state.height),
                 into: &grid, marked: { s.picked.contains($0.distinctID) || state.mark?.reference == $0.distinctID }) { row, y, style, grid in
            Column.draw([row.distinctID, "P\(row.posthogPerson)", "I\(row.identikitPerson)"], columns, widths: widths, y: y,
                        style: style, into: &grid)
        }
    }

    static func persons(_ n: Int) -> String { "\(n) person\(n == 1 ? "" : "s")" }

    /// `P1 [a, b]  P2 [c]`: each side's persons over the set, numbered as in the table.
    static func sides(_ groups: [[String]], _ prefix: String) -> String {
        groups.enumerated().map { "\(prefix)\($0.offset + 1) [\($0.element.map(Escaping.terminalSafe).joined(separator: ", "))]" }
            .joined(separator: "  ")
    }
}
