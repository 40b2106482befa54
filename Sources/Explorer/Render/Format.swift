import Foundation
import IdentityCore
import Store

/// Text for times, values, events and actions, the same in every screen. Times are UTC.
public enum Format {
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// `2024-05-01 12:34` (UTC).
    public static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0)
    }

    /// "1 ID", "2 IDs", "1,234 events".
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count(n)) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    public static func count(_ n: Int) -> String {
        var digits = String(n)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }

    /// A JSON value on one line.
    public static func compact(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return JSONCoding.string(value)
    }

    public static func displayName(_ detail: PersonDetail) -> String {
        let p = detail.person.properties
        if let name = p["name"]?.stringValue, !name.isEmpty { return name }
        if let email = p["email"]?.stringValue, !email.isEmpty { return email }
        let ids = detail.distinctIDs
        return (ids.first { $0.how == .identify } ?? ids.first)?.distinctID ?? detail.person.uuid.lowercased
    }

    public static func joinText(_ how: JoinKind) -> String {
        switch how {
        case .firstEvent: "first event"
        case .identify: "$identify"
        case .alias: "alias"
        case .mergeDangerously: "$merge_dangerously"
        case .merge: "merge"
        case .manualMerge: "manual merge"
        case .split: "split"
        case .undo: "undo"
        }
    }

    public static func eventLines(_ event: StoredEvent) -> [String] {
        let value: JSONValue = .object([
            "seq": .int(event.seq), "uuid": .string(event.uuid.lowercased), "event": .string(event.name),
            "distinct_id": .string(event.distinctID),
            "timestamp": event.timestamp.map { .string(Timestamp.format($0)) } ?? .null,
            "properties": .object(event.properties), "source": event.source.map(JSONValue.string) ?? .null,
        ])
        return JSONCoding.string(value, pretty: true).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// An event's effect in full: what it did, the person, the merge, the warnings, the properties.
    public static func effectLines(_ event: StoredEvent) -> [String] {
        var lines = ["effect: " + EventEffect.summary(event.effect, duplicates: event.duplicates)]
        guard let effect = event.effect else { return lines }
        if let person = effect.person { lines.append("person: \(person.lowercased)   (p opens it)") }
        if let linked = effect.linkedID { lines.append("linked ID: \(linked)") }
        if let merge = effect.merge {
            lines.append("merge: action \(merge.actionID) by \(merge.how.rawValue): person \(merge.source.lowercased) into \(merge.target.lowercased)   (u undoes it)")
        }
        for (n, warning) in effect.warnings.enumerated() {
            lines.append("warning: \(warning.rawValue): \(warning.summary)" + (n == 0 ? "   (w opens it)" : ""))
        }
        if !effect.set.isEmpty { lines.append("$set: " + effect.set.joined(separator: ", ")) }
        if !effect.setOnce.isEmpty { lines.append("$set_once: " + effect.setOnce.joined(separator: ", ")) }
        if !effect.unset.isEmpty { lines.append("$unset: " + effect.unset.joined(separator: ", ")) }
        for skip in effect.skipped { lines.append("skipped: \(skip.key) (\(skip.reason.words))") }
        if event.duplicates > 0 { lines.append("duplicates ignored: \(event.duplicates)") }
        return lines
    }

    public static func warningLines(_ warning: IngestionWarning) -> [String] {
        var lines = ["type: \(warning.type.rawValue)", "  \(warning.type.summary)", "time: \(Format.time(warning.createdAt))",
                     "distinct IDs: \(warning.distinctIDs.joined(separator: ", "))",
                     "event: \(warning.eventUUID?.lowercased ?? "-")", "source: \(warning.source ?? "-")", "details:"]
        lines += JSONCoding.string(JSONValue.object(warning.details), pretty: true).split(separator: "\n").map { "  " + $0 }
        if let raw = warning.raw { lines += ["raw input:", "  " + raw] }
        return lines
    }

    public static func actionLines(_ action: ActionRecord) -> [String] {
        var lines = ["action \(action.id ?? 0): \(action.kind.rawValue) at \(time(action.at))",
                     "target person: \(action.targetUUID?.lowercased ?? "-")",
                     "source person: \(action.sourceUUID?.lowercased ?? "-")",
                     "distinct IDs: \(action.distinctIDs.joined(separator: ", "))"]
        if let event = action.eventUUID { lines.append("event: \(event.lowercased)") }
        if let undone = action.undoneBy { lines.append("undone by action \(undone)") }
        if let undoes = action.details.undoes { lines.append("undoes merge \(undoes)") }
        if !action.details.groupMembers.isEmpty {
            lines.append("its merges: " + action.details.groupMembers.map(String.init).joined(separator: ", ") + " (undone together)")
        }
        if let group = action.details.group { lines.append("part of group merge \(group): undo the group to undo it") }
        if !action.details.keptKeys.isEmpty { lines.append("kept at later value: \(action.details.keptKeys.joined(separator: ", "))") }
        if action.kind.isUndoable, action.details.group == nil, action.undoneBy == nil { lines += ["", "press Esc, then u on this row to undo it"] }
        return lines
    }

    /// The identity graph as a tree drawn with box characters: each ID under the one it was linked to.
    public static func graphLines(_ graph: IdentityGraph) -> [String] {
        var children: [String: [IdentityGraph.Edge]] = [:]
        for edge in graph.edges { children[edge.parent, default: []].append(edge) }
        var lines = [graph.root + "  (oldest ID)"]
        func walk(_ id: String, _ prefix: String) {
            let kids = children[id] ?? []
            for (n, edge) in kids.enumerated() {
                let last = n == kids.count - 1
                var line = prefix + (last ? "└─ " : "├─ ") + edge.id + "  " + joinText(edge.link.kind) + " " + time(edge.link.at)
                if let event = edge.link.eventUUID { line += "  event " + String(event.lowercased.prefix(8)) + "…" }
                if let action = edge.link.actionID { line += "  action \(action)" }
                lines.append(line)
                walk(edge.id, prefix + (last ? "   " : "│  "))
            }
        }
        walk(graph.root, "")
        if !graph.unlinked.isEmpty {
            lines += ["", "No link in force reaches: " + graph.unlinked.joined(separator: ", ")]
        }
        return lines
    }

    public static func whyLines(_ a: String, _ b: String, _ links: [Link]) -> [String] {
        guard !links.isEmpty else { return ["no chain of links joins \(a) and \(b)"] }
        var lines = ["\(a) and \(b) are one person through \(links.count) link\(links.count == 1 ? "" : "s"):", ""]
        for (n, link) in links.enumerated() {
            var line = "\(n + 1). \(link.a) ↔ \(link.b)  by \(joinText(link.kind)) at \(time(link.at))"
            if let event = link.eventUUID { line += "  event \(event.lowercased)" }
            if let action = link.actionID { line += "  action \(action)" }
            lines.append(line)
        }
        return lines
    }
}
