import Foundation
import IdentityCore
import Ingest

/// Progress of a long ingest on stderr: a bar redrawn in place on a terminal, a plain
/// line every few seconds otherwise (logs, CI), nothing for short runs.
final class ProgressDisplay {
    private let terminal = Terminal.standardError
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drewBar = false
    private let quiet: Bool

    init(quiet: Bool) { self.quiet = quiet }

    func update(_ progress: IngestProgress) { update(progress, file: 1, of: 1, inputsBefore: 0) }

    /// Progress in file `file` of `files` (counted from 1), after `inputsBefore` inputs of the earlier
    /// files: one display for the whole run, so the rate and the total run on across files.
    func update(_ progress: IngestProgress, file: Int, of files: Int, inputsBefore: Int) {
        guard !quiet else { return }
        var progress = progress
        progress.inputs += inputsBefore
        if files > 1 { progress.source = "[\(file)/\(files)] " + progress.source }
        let now = Date()
        let elapsed = now.timeIntervalSince(started)
        let interval: TimeInterval = terminal.isInteractive ? 0.1 : 5
        guard elapsed > 1, now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        let rate = Int(Double(progress.inputs) / max(elapsed, 0.001))
        let source = Escaping.terminalSafe(progress.source)
        var text = "\(source): \(progress.inputs) events, \(rate)/s"
        if let total = progress.totalBytes, total > 0 {
            let fraction = min(1, Double(progress.bytesRead) / Double(total))
            text = "\(source) \(Int(fraction * 100))%: \(progress.inputs) events, \(rate)/s"
            if terminal.isInteractive {
                let barWidth = 24
                let filled = Int(fraction * Double(barWidth))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
                text = "\(bar) " + text
            }
        }
        if terminal.isInteractive {
            terminal.write("\r\u{1B}[K" + String(text.prefix(terminal.width - 1)))
            drewBar = true
        } else {
            terminal.write(text + "\n")
        }
    }

    func finish() {
        if drewBar { terminal.write("\r\u{1B}[K") }
    }
}
