import CNcursesw
import Foundation

/// The only code that talks to ncurses: sets the terminal up, reads keys, writes the cells a frame
/// diff names, and restores the terminal however the explorer ends.
public final class NcursesScreen: TerminalBackend {
    public private(set) var width: Int = 0
    public private(set) var height: Int = 0
    private let useColor: Bool
    private var open = false

    public init(noColor: Bool) {
        useColor = !noColor
    }

    public func start() {
        Self.installSignalHandlers()  // Before initscr, so ncurses sees SIGWINCH unblocked.
        setlocale(LC_ALL, "")
        initscr()
        open = true
        raw()  // Ctrl-C arrives as a key: the explorer quits cleanly instead of dying mid-frame.
        noecho()
        nonl()
        keypad(ik_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        _ = mousemask(ik_mouse_mask(), nil)
        mouseinterval(0)
        if useColor, has_colors() {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_RED), -1)
            init_pair(2, Int16(COLOR_CYAN), -1)
            init_pair(3, Int16(COLOR_GREEN), -1)
            init_pair(4, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
        }
        width = Int(ik_cols())
        height = Int(ik_lines())
    }

    /// Puts the terminal back as it was. Safe to call twice.
    public func stop() {
        guard open else { return }
        open = false
        endwin()
    }

    deinit { stop() }

    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT: set a flag the main loop checks; it then restores the terminal.
    private static func installSignalHandlers() {
        ik_install_signal_handlers()
    }

    /// The termination signal received, if any.
    public var pendingSignal: Int32? {
        let signal = ik_signal_pending()
        return signal == 0 ? nil : signal
    }

    /// Counts reads that failed at once: a terminal that went away makes every read fail immediately.
    private var instantFailures = 0

    /// Whether the terminal looks gone (hung up): many reads in a row failed without waiting.
    public var terminalLost: Bool { instantFailures > 200 }

    /// Waits up to `milliseconds` for a key; nil on timeout. A resize comes back as `.resized`.
    public func read(timeout milliseconds: Int32) -> TerminalInput? {
        timeout(milliseconds)
        var character: wint_t = 0
        let started = Date()
        let result = get_wch(&character)
        if result == ERR {
            if milliseconds > 10, Date().timeIntervalSince(started) < 0.002 { instantFailures += 1 } else { instantFailures = 0 }
            return nil
        }
        instantFailures = 0
        if result == ik_key_code_yes() {
            let code = Int32(character)
            if code == KEY_RESIZE {
                width = Int(ik_cols())
                height = Int(ik_lines())
                return .resized(width: width, height: height)
            }
            if code == KEY_MOUSE { return mouse() }
            return Self.functionKey(code).map(TerminalInput.key)
        }
        return Self.character(UInt32(character)).map(TerminalInput.key)
    }

    private func mouse() -> TerminalInput? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        if ik_is_wheel_up(event.bstate) != 0 { return .key(.wheelUp) }
        if ik_is_wheel_down(event.bstate) != 0 { return .key(.wheelDown) }
        if ik_is_button1(event.bstate) != 0 { return .key(.click(row: Int(event.y), column: Int(event.x))) }
        return nil
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        default: nil
        }
    }

    static func character(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        default: return Unicode.Scalar(value).map { .char(Character($0)) }
        }
    }

    /// Writes the changed cells, each grapheme at its own column (a wide one covers the next cell).
    public func write(_ diff: FrameDiff) {
        if diff.clear { erase() }
        for run in diff.runs {
            for (offset, cell) in run.cells.enumerated() where !cell.text.isEmpty {
                let x = run.x + offset
                // The bottom-right cell cannot be written without scrolling on some terminals.
                if run.y == height - 1, x == width - 1 { continue }
                let (attributes, pair) = attributes(cell.style)
                var wide = Array(cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) })
                wide.append(0)
                ik_put(Int32(run.y), Int32(x), wide, attributes, pair)
            }
        }
        refresh()
    }

    /// Every style differs by attribute as well as colour, so NO_COLOR loses nothing.
    private func attributes(_ style: CellStyle) -> (attr_t, Int16) {
        let color = useColor
        switch style {
        case .normal: return (ik_a_normal(), 0)
        case .bold: return (ik_a_bold(), 0)
        case .dim: return (ik_a_dim(), 0)
        case .selected: return (ik_a_reverse(), 0)
        case .title: return color ? (ik_a_bold(), 4) : (ik_a_reverse() | ik_a_bold(), 0)
        case .header: return (ik_a_underline() | ik_a_bold(), 0)
        case .error: return (ik_a_bold(), color ? 1 : 0)
        case .info: return (ik_a_normal(), color ? 3 : 0)
        case .accent: return (ik_a_bold(), color ? 2 : 0)
        case .key: return (ik_a_reverse(), 0)
        }
    }
}
