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
        try startServer()
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
        try? stopServer()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Restarts the server on the same port (for fault tests).
    public func restart(pausing seconds: Double = 0) throws {
        try stopServer()
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
        try startServer()
    }

    /// Stops the server, keeping its data, until `startServer()` (for fault tests).
    public func stopServer() throws {
        try run(binaries.appendingPathComponent("pg_ctl").path, ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
    }

    /// Starts the server on its port; small and fast: a test server, not a production one (fsync off).
    public func startServer() throws {
        let options = "-c port=\(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(directory.path) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        try run(binaries.appendingPathComponent("pg_ctl").path,
                ["-D", dataDirectory, "-l", directory.appendingPathComponent("log").path, "-o", options, "-w", "-t", "60", "start"])
    }

    private var dataDirectory: String { directory.appendingPathComponent("data").path }

    /// Runs a command to its end and returns what it printed (with ChildProcess: `pg_ctl start`
    /// leaves the server running, so waiting for the end must not wait for its output to close).
    @discardableResult
    private func run(_ executable: String, _ arguments: [String], asUser: Bool = true) throws -> String {
        var argv = [executable] + arguments
        if asUser, let runAs { argv = ["/usr/sbin/runuser", "-u", runAs, "--"] + argv }
        let output = try ChildProcess.run(argv[0], Array(argv.dropFirst()))
        let text = output.stdout + output.stderr
        guard output.status == 0 else { throw Failure.command(argv.joined(separator: " "), output.status, text) }
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

    /// A port nothing listens on now.
    public static func freePort() throws -> Int { try FreePort.find() }
}
