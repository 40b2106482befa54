import Foundation

/// Where output goes, and what the terminal on the other end can do.
struct Terminal {
    let handle: FileHandle
    let descriptor: Int32

    static let standardOutput = Terminal(handle: .standardOutput, descriptor: STDOUT_FILENO)
    static let standardError = Terminal(handle: .standardError, descriptor: STDERR_FILENO)

    var isInteractive: Bool { isatty(descriptor) == 1 }

    /// Columns of the terminal; `COLUMNS` when set; else 100 when not a terminal.
    var width: Int {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 100
    }

    func write(_ text: String) {
        handle.write(Data(text.utf8))
    }
}

/// Buffers stdout writes so printing a million persons is not a million system calls.
final class BufferedOutput {
    private var buffer: [UInt8] = []
    private let limit = 1 << 16
    private let descriptor: Int32
    private var failure: Int32?

    init(descriptor: Int32 = STDOUT_FILENO) { self.descriptor = descriptor }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= limit { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and reports a write that failed (disk full, closed pipe) instead of losing it silently.
    func finish() throws {
        flush()
        if let failure { throw Failure("writing the output failed: \(String(cString: strerror(failure)))") }
    }

    deinit { flush() }
}
