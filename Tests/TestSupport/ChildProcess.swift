import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended.
public enum Termination: Equatable, Sendable {
    case exited(Int32)
    case signalled(Int32)

    /// The shell's number: the exit code, or 128 + the signal.
    public var status: Int32 {
        switch self {
        case .exited(let code): code
        case .signalled(let signal): 128 + signal
        }
    }

    /// The signal that ended it, if one did.
    public var signal: Int32? {
        if case .signalled(let signal) = self { signal } else { nil }
    }
}

/// What a finished child process left: how it ended and everything it printed.
public struct ProcessOutput: Sendable {
    public var termination: Termination
    public var stdout: String
    public var stderr: String
    public var status: Int32 { termination.status }
}

/// The tests' one way to run a program: posix_spawn with stdin from a file (or /dev/null) and
/// stdout and stderr into files, waitpid to see it end. Files, not pipes: a child that prints a
/// lot never blocks, and nothing waits for a pipe's end that a grandchild still holds open (Foundation's
/// `Process` was seen to wait forever on `pg_ctl start` and `tmux new-session`, which leave a daemon running).
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    /// The command line, for messages.
    public let command: String
    private let files: TemporaryDirectory  // stdin, stdout, stderr
    private let lock = NSLock()
    private var ended: Termination?

    /// Runs a program to its end and returns what it printed; killed (and an error thrown) after `timeout`.
    /// `environment` is added to this process's environment.
    public static func run(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
                           input: Data? = nil, timeout: TimeInterval = 300) throws -> ProcessOutput {
        let child = try start(executable, arguments, environment: environment, input: input)
        guard let termination = child.wait(timeout: timeout) else {
            child.stop(grace: 0)
            throw TestFailure("\(child.command) did not end within \(Int(timeout)) s and was killed; "
                             + "it printed:\n\(child.stdout)\(child.stderr)")
        }
        return ProcessOutput(termination: termination, stdout: child.stdout, stderr: child.stderr)
    }

    /// Starts a program and returns at once; `stop()` ends it (and so does dropping the last reference).
    /// `executable` without a slash is looked up in PATH.
    public static func start(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
                             input: Data? = nil) throws -> ChildProcess {
        try ChildProcess(executable, arguments, environment: environment, input: input)
    }

    private init(_ executable: String, _ arguments: [String], environment: [String: String], input: Data?) throws {
        command = ([executable] + arguments).joined(separator: " ")
        files = try TemporaryDirectory("identikit-child")
        var stdinPath = "/dev/null"
        if let input {
            stdinPath = files.path("stdin")
            try input.write(to: URL(fileURLWithPath: stdinPath))
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, files.path("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, files.path("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else of the test process leaks into the child (and on into daemons it leaves behind).
        _ = Self.addCloseFrom?(&actions, 3)

        // Start as from a shell: default signal handlers and nothing blocked (the test thread's mask
        // would otherwise reach tmux, the explorer and the server).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw TestFailure("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift does not see without _GNU_SOURCE.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// How it ended, or nil while it runs.
    public var termination: Termination? { lock.withLock { reap() } }

    public var isRunning: Bool { termination == nil }

    /// Waits for the end, polling; nil if it still runs after `timeout`.
    public func wait(timeout: TimeInterval? = nil) -> Termination? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var pause: useconds_t = 200
        while true {
            if let termination { return termination }
            if let deadline, Date() >= deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
    }

    /// Sends a signal, unless it has already ended (its pid may belong to another process by then).
    public func send(_ signal: Int32) {
        lock.withLock { if reap() == nil { _ = kill(pid, signal) } }
    }

    /// SIGTERM, up to `grace` seconds for it to end, then SIGKILL; returns how it ended.
    @discardableResult
    public func stop(grace: TimeInterval = 20) -> Termination {
        if grace > 0 {
            send(SIGTERM)
            if let termination = wait(timeout: grace) { return termination }
        }
        send(SIGKILL)
        return wait()!
    }

    /// What it printed so far.
    public var stdout: String { read("stdout") }
    public var stderr: String { read("stderr") }

    private func read(_ name: String) -> String {
        (try? Data(contentsOf: files.url.appendingPathComponent(name))).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Collects the exit status once it is there (under the lock).
    private func reap() -> Termination? {
        if let ended { return ended }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, WNOHANG) } while result == -1 && errno == EINTR
        // ECHILD: someone else collected it; it has ended all the same, status unknown.
        if result == -1 { ended = .exited(-1); return ended }
        guard result == pid else { return nil }
        let signal = status & 0x7f
        ended = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        return ended
    }

    deinit {
        // Never leave a child behind; its files go with `files`.
        if termination == nil { stop(grace: 0) }
    }
}
