import Foundation

/// A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on a
/// free loopback port, one superuser with a password (so logins really authenticate), stopped and
/// deleted by `stop()`. Runs the server as the `postgres` user when the tests run as root, since
/// PostgreSQL refuses to run as root. Started once per test process and shared (`shared`).
public final class PostgresCluster: @unchecked Sendable {
    public let port: Int
    public let user = "identikit"
    public let password: String
    public let directory: URL
    private let binaries: URL
    private let runAs: String?
    private var nextDatabase = 0
    private let lock = NSLock()

    public enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case command(String, Int32, String)
        public var description: String {
            switch self {
            case .notInstalled:
                "PostgreSQL's server programs (initdb, pg_ctl) are not installed: apt-get install postgresql"
            case .command(let command, let status, let output): "\(command) exited with \(status): \(output)"
            }
        }
    }

    /// The cluster of this test process, started on first use; stopped when the process exits.
    public static let shared: Result<PostgresCluster, Error> = {
        do {
            let cluster = try PostgresCluster()
            atexit { if case .success(let cluster) = PostgresCluster.shared { cluster.stop() } }
            return .success(cluster)
        } catch {
            return .failure(error)
        }
    }()

    public init() throws {
        guard let binaries = Self.findBinaries() else { throw Failure.notInstalled }
        self.binaries = binaries
        runAs = getuid() == 0 ? "postgres" : nil
        password = "pw-" + UUID().uuidString.prefix(8).lowercased()
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("identikit-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let passwordFile = directory.appendingPathComponent("pw")
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if runAs != nil { try run("/bin/chown", ["-R", "postgres", directory.path], asUser: false) }
        let data = directory.appendingPathComponent("data").path
        try run(binaries.appendingPathComponent("initdb").path,
                ["-D", data, "-U", user, "--pwfile", passwordFile.path, "--auth-local=trust", "--auth-host=scram-sha-256",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        // Small and fast: a test server, not a production one (fsync off).
        let options = "-c port=\(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(directory.path) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        try run(binaries.appendingPathComponent("pg_ctl").path,
                ["-D", data, "-l", directory.appendingPathComponent("log").path, "-o", options, "-w", "-t", "60", "start"])
    }

    /// A new, empty database on this cluster; its URL (with the password) for `--db`.
    public func makeDatabase() throws -> String {
        let name: String = lock.withLock {
            nextDatabase += 1
            return "test_\(getpid())_\(nextDatabase)"
        }
        try run(binaries.appendingPathComponent("createdb").path,
                ["-h", directory.path, "-p", String(port), "-U", user, name])
        return url(database: name)
    }

    public func url(database: String, password: String? = nil) -> String {
        "postgres://\(user):\(password ?? self.password)@127.0.0.1:\(port)/\(database)"
    }

    /// Stops the server (fast shutdown) and deletes its folder.
    public func stop() {
        let data = directory.appendingPathComponent("data").path
        _ = try? run(binaries.appendingPathComponent("pg_ctl").path, ["-D", data, "-m", "fast", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Restarts the server on the same port (for fault tests).
    public func restart(pausing seconds: Double = 0) throws {
        let data = directory.appendingPathComponent("data").path
        try run(binaries.appendingPathComponent("pg_ctl").path, ["-D", data, "-m", "fast", "-w", "stop"])
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
        let options = "-c port=\(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(directory.path) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        try run(binaries.appendingPathComponent("pg_ctl").path,
                ["-D", data, "-l", directory.appendingPathComponent("log").path, "-o", options, "-w", "-t", "60", "start"])
    }

    /// Runs a command to its end and returns what it printed. posix_spawn and waitpid, not
    /// Foundation's Process: `pg_ctl start` leaves the server running with our output file open,
    /// and Process's exit monitoring was seen to miss the exit of a command whose child lives on.
    @discardableResult
    private func run(_ executable: String, _ arguments: [String], asUser: Bool = true) throws -> String {
        var argv = [executable] + arguments
        if asUser, let runAs { argv = ["/usr/sbin/runuser", "-u", runAs, "--"] + argv }
        let output = directory.appendingPathComponent("cmd-\(UUID().uuidString.prefix(8)).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let fd = open(output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure.command(argv.joined(separator: " "), -1, "cannot create \(output.path)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fd, 1)
        posix_spawn_file_actions_adddup2(&actions, fd, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        close(fd)
        guard spawned == 0 else { throw Failure.command(argv.joined(separator: " "), spawned, String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitStatus == 0 else { throw Failure.command(argv.joined(separator: " "), exitStatus, text) }
        return text
    }

    private static func findBinaries() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = root.appendingPathComponent(version).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        return nil
    }

    /// A port nothing listens on now: bind port 0 on loopback and read what the kernel chose.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
