import CompressNIO
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOCore

/// Runs the built `identikit` binary for tests: one-shot commands and a live `serve`.
public enum Identikit {
    /// The package root, found from this file's path.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// `.build/debug/identikit`, or $IDENTIKIT_BIN.
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["IDENTIKIT_BIN"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".build/debug/identikit").path
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs a command to the end and returns what it printed.
    public static func run(_ arguments: [String], input: Data? = nil, executable: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(input)
            try? inputPipe.fileHandleForWriting.close()
        }
        // Read both pipes at once so neither fills up and blocks the child.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.done { usleep(1000) }
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// A fresh directory for a test's store.
    public static func temporaryDirectory(_ name: String = "identikit-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var finished = false
    func set(_ value: Data) { lock.withLock { data = value; finished = true } }
    func append(_ value: Data) { lock.withLock { data.append(value) } }
    var value: Data { lock.withLock { data } }
    var done: Bool { lock.withLock { finished } }
}

/// `identikit serve --port 0` as a subprocess: started, asked for its port, stopped with SIGTERM.
public final class ServeProcess: @unchecked Sendable {
    public let process: Process
    public let url: String
    public let storePath: String
    let stderrPipe: Pipe
    private let collected = LockedData()

    /// Starts the server on a free port and waits for its "listening on" line.
    public init(store: String, extraArguments: [String] = [], timeout: TimeInterval = 60) throws {
        storePath = store
        process = Process()
        process.executableURL = URL(fileURLWithPath: Identikit.binary)
        process.arguments = ["serve", "--port", "0", "--db", store] + extraArguments
        let out = Pipe()
        stderrPipe = Pipe()
        process.standardOutput = out
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let errHandle = stderrPipe.fileHandleForReading
        errHandle.readabilityHandler = { [collected] handle in
            collected.append(handle.availableData)
        }

        // The first stdout line names the port.
        let outHandle = out.fileHandleForReading
        var buffer = Data()
        let deadline = Date().addingTimeInterval(timeout)
        var found: String?
        while found == nil {
            guard Date() < deadline else {
                process.terminate()
                throw ServeError("identikit serve did not print its address within \(timeout) s")
            }
            let chunk = outHandle.availableData
            if chunk.isEmpty {
                if !process.isRunning {
                    let err = String(decoding: collected.value, as: UTF8.self)
                    throw ServeError("identikit serve exited with \(process.terminationStatus): \(err)")
                }
                usleep(10_000)
                continue
            }
            buffer.append(chunk)
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                guard line.hasPrefix("listening on ") else {
                    process.terminate()
                    throw ServeError("unexpected first line from identikit serve: \(line)")
                }
                found = String(line.dropFirst("listening on ".count))
            }
        }
        url = found!
        // Keep draining stdout so the child never blocks on a full pipe.
        outHandle.readabilityHandler = { handle in _ = handle.availableData }
    }

    /// What the server logged so far.
    public var log: String { String(decoding: collected.value, as: UTF8.self) }

    public var isRunning: Bool { process.isRunning }

    /// SIGTERM, then waits for a graceful exit; returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        }
        stderrPipe.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit { if process.isRunning { stop() } }
}

public struct ServeError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Plain HTTP requests with URLSession.
public enum HTTP {
    public struct Reply: Sendable {
        public var status: Int
        public var body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as a JSON object, if it is one.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        configuration.httpMaximumConnectionsPerHost = 16
        return URLSession(configuration: configuration)
    }()

    public static func post(_ url: String, body: Data?, headers: [String: String] = [:]) async throws -> Reply {
        try await send("POST", url, body: body, headers: headers)
    }

    public static func send(_ method: String, _ url: String, body: Data? = nil,
                            headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = body
            if headers["Content-Type"] == nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await session.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? -1, body: data)
    }

    public static func json(_ object: Any) -> Data {
        try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

/// Gzip for building request bodies.
public enum GzipTestData {
    public static func gzip(_ data: Data) -> Data {
        var buffer = ByteBuffer(bytes: data)
        let compressed = try! buffer.compress(with: .gzip())
        return Data(compressed.readableBytesView)
    }

    /// A body of concatenated gzip members that together expand to about `expandedBytes` of zeros.
    public static func bomb(expandedBytes: Int) -> Data {
        let memberSize = 8 * 1024 * 1024
        let member = gzip(Data(count: memberSize))
        var body = Data()
        for _ in 0..<max(1, expandedBytes / memberSize) { body.append(member) }
        return body
    }
}

/// Raw bytes over a loopback TCP connection, for requests no HTTP client would send.
public enum RawTCP {
    /// Connects, writes `bytes` (and optionally half-closes), reads until the peer closes or `timeout`.
    public static func exchange(port: Int, bytes: [UInt8], closeWrite: Bool = true, timeout: TimeInterval = 5) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ServeError("connect() to port \(port) failed") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if closeWrite { shutdown(fd, Int32(SHUT_WR)) }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return received
    }

    /// The port of a "http://host:port" URL.
    public static func port(of url: String) -> Int {
        Int(url.split(separator: ":").last.map(String.init) ?? "") ?? 0
    }
}
